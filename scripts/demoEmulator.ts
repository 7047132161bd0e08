/**
 * The emulator `npm start` runs in-process: its data in `.emulator/data.json`, on the
 * port of the last run when it can get it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type Emulator } from "../emulator";

/** The demo emulator's port, kept beside its data file (`.emulator/`). */
export const PORT_FILE = path.join(".emulator", "port");

/** The port the demo emulator used last time, if it recorded one. */
export function recordedPort(root: string): number | undefined {
  try {
    const port = Number(readFileSync(path.join(root, PORT_FILE), "utf8").trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** The last run's port is taken, and this command cannot move: the state names that port. */
export class PortTakenError extends Error {
  override readonly name = "PortTakenError";
  constructor(
    readonly port: number,
    command: string,
    options?: ErrorOptions,
  ) {
    super(
      `port ${port} is in use. The dev stack's state calls the emulator at http://127.0.0.1:${port}/voice ` +
        `(pulumi ${command} uses the provider settings of the last update); free that port and run this again.`,
      options,
    );
  }
}

export interface DemoEmulatorOptions {
  /**
   * Whether the command runs the program. `up` and `preview` do, and hand the provider
   * the new address, so another port is only a note. `refresh` and `destroy` do not:
   * they configure the provider from the state (the engine records the whole stack
   * config, baseUrl included, as the provider's inputs), so on another port they would
   * call an emulator that is gone, and a taken port is a {@link PortTakenError}.
   */
  runsProgram: boolean;
  /** Record the port for the next run (after an `up`, whose state now names it). */
  recordPort: boolean;
  /** For the `PortTakenError` message. */
  command: string;
  note: (line: string) => void;
}

/**
 * Starts the demo emulator with its data file, on the port of the last run when it
 * can; a stable port also keeps a repeated `npm start` free of a provider-config change.
 */
export async function startDemoEmulator(root: string, options: DemoEmulatorOptions): Promise<Emulator> {
  const dataFile = path.join(root, ".emulator", "data.json");
  const port = recordedPort(root);
  if (port !== undefined) {
    try {
      return await startEmulator({ port, dataFile });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
      if (!options.runsProgram) throw new PortTakenError(port, options.command, { cause: e });
      options.note(
        `Port ${port} (the last run's emulator) is in use; the emulator takes another one this time.`,
      );
    }
  }
  const emulator = await startEmulator({ port: 0, dataFile });
  if (options.recordPort) writeFileSync(path.join(root, PORT_FILE), `${new URL(emulator.url).port}\n`);
  return emulator;
}
