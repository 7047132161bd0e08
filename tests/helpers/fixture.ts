/**
 * The engine tests' stack (tests/e2e/lifecycle.test.ts, rotation.test.ts): the
 * fixture program (tests/fixtures/engine) captured as the engine receives it, an
 * emulator on port 0, and a new configured provider host per command, as `pulumi`
 * starts one per command.
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { program } from "../fixtures/engine/program";
import { SECRET_CONFIG_KEYS, stackConfig, type Credentials } from "./config";
import { EngineResource } from "./engine";
import { resourceUrn, startHost, type Host } from "./host";
import { captureRegistrations, type CapturedRegistration } from "./mocks";
import type { Props } from "./values";

const FIXTURE = path.join(__dirname, "..", "fixtures", "engine");
export const FIXTURE_PROJECT = "itniotech-engine";
export const FIXTURE_STACK = "dev";

export class FixtureStack {
  /** Every host started, for closing and for leak scans. */
  readonly hosts: Host[] = [];

  private constructor(
    readonly emulator: Emulator,
    readonly credentials: Credentials,
    readonly registrations: ReadonlyMap<string, CapturedRegistration>,
  ) {}

  /** An emulator that accepts `credentials`, and the fixture program's registrations. */
  static async start(credentials: Credentials): Promise<FixtureStack> {
    const emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
    const registrations = new Map<string, CapturedRegistration>();
    const captured = await captureRegistrations(() => program(sdk), {
      project: FIXTURE_PROJECT,
      stack: FIXTURE_STACK,
    });
    for (const r of captured) registrations.set(r.name, r);
    return new FixtureStack(emulator, credentials, registrations);
  }

  /** A new host process, configured with the whole namespaced stack config, the secret marked. */
  async host(): Promise<Host> {
    const started = await startHost({ cwd: FIXTURE, project: FIXTURE_PROJECT, stack: FIXTURE_STACK });
    this.hosts.push(started);
    await started.configure(stackConfig(this.emulator.baseUrl, this.credentials), SECRET_CONFIG_KEYS);
    return started;
  }

  registration(name: string): CapturedRegistration {
    const found = this.registrations.get(name);
    if (!found) throw new Error(`the fixture program registers no ${name}`);
    return found;
  }

  /** The inputs the program registers for `name`, with `edit` applied as a program edit would. */
  declared(name: string, edit: Props = {}): Props {
    return { ...this.registration(name).inputs, ...edit };
  }

  /** The program's resource `name` in the engine, on `on`. */
  resource(on: Host, name: string): EngineResource {
    const { type, additionalSecretOutputs } = this.registration(name);
    return new EngineResource(on, resourceUrn(type, name, FIXTURE_PROJECT, FIXTURE_STACK), {
      additionalSecretOutputs,
    });
  }

  /** The platform's group that holds the account of the program's `desk` password ("deskphone_001"). */
  seedDeskGroup(): void {
    this.emulator.seedGroup({
      appId: "engine-app",
      groupName: "desk-group",
      phoneName: "deskphone",
      quantity: 1,
      displayNum: "8610000000",
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.close()));
    await this.emulator.close();
  }
}
