import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { main } from "../../cli/main";
import { DEMO_CREDENTIALS, type Emulator } from "../../emulator";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** What `--state -` reads. */
  stdin?: string;
  /** Whether stderr is a terminal (progress is drawn only there). @default false */
  tty?: boolean;
  /** Whether stdout is a terminal (`itniotech passwords` refuses to print there). @default false */
  stdoutTty?: boolean;
  cwd?: string;
}

/** Runs `itniotech <argv>` in this process with captured streams; resolves its exit code and output. */
export async function itniotech(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.stdoutTty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

/** The environment that points the command line at an emulator with the demo credentials. */
export function emulatorEnv(emulator: Emulator): NodeJS.ProcessEnv {
  return {
    ITNIOTECH_API_KEY: DEMO_CREDENTIALS.apiKey,
    ITNIOTECH_API_SECRET: DEMO_CREDENTIALS.apiSecret,
    ITNIOTECH_BASE_URL: emulator.baseUrl,
  };
}

/** The package's bin, as `npx itniotech` runs it after install; it runs dist/ (`npm run build`). */
export const BIN = path.resolve(__dirname, "../../bin/itniotech.js");
const BUILT = path.resolve(__dirname, "../../dist/cli/index.js");

/** Runs the built `itniotech` in its own process; resolves its exit code and output. */
export function spawnItniotech(argv: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliRun> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env["PATH"], ...env },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
