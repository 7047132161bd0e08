/**
 * `pulumi destroy` of a SipPhoneGroup whose revocation fails, through Pulumi's real
 * dynamic-provider host: the Delete call fails, so the engine keeps the resource
 * (a destroy that revoked nothing must not drop it and claim the passwords were
 * reset); a phone already gone (-24) is skipped; the next destroy finishes.
 */
import path from "node:path";
import { startEmulator, type Emulator, type Fault } from "../../emulator";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { EngineResource } from "../helpers/engine";
import { HostCallError, resourceUrn, startHost, type Host } from "../helpers/host";
import { captureRegistrations, type CapturedRegistration } from "../helpers/mocks";
import { reveal } from "../helpers/values";
import { program } from "../fixtures/engine/program";

const FIXTURE = path.join(__dirname, "..", "fixtures", "engine");
const PROJECT = "itniotech-delete";
const STACK = "dev";
const CREDENTIALS = { apiKey: "delete-key-9c2", apiSecret: "DeleteCanarySecret-41d7" };

let emulator: Emulator;
let office: CapturedRegistration;
const hosts: Host[] = [];
let run = 0;

/** A new host, as every `pulumi` command starts one. */
async function host(): Promise<Host> {
  const started = await startHost({ cwd: FIXTURE, project: PROJECT, stack: STACK });
  hosts.push(started);
  await started.configure(stackConfig(emulator.baseUrl, CREDENTIALS), SECRET_CONFIG_KEYS);
  return started;
}

/** The program's "office" group in an application of its own, created by `pulumi up`. */
async function created(): Promise<{ group: EngineResource; appId: string }> {
  const appId = `delete-app-${++run}`;
  const group = new EngineResource(await host(), resourceUrn(office.type, "office", PROJECT, STACK), {
    additionalSecretOutputs: office.additionalSecretOutputs,
  });
  await group.up({ ...office.inputs, appId });
  return { group, appId };
}

function live(appId: string): Record<string, string> {
  return Object.fromEntries(emulator.phones(appId).map((p) => [p.account, p.password]));
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [CREDENTIALS] });
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  const registrations = await captureRegistrations(() => program(sdk), { project: PROJECT, stack: STACK });
  office = registrations.find((r) => r.name === "office") as CapturedRegistration;
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator.close();
});
beforeEach(() => emulator.clearFaults());

it.each<[string, Fault]>([
  ["-18 on every attempt", { endpoint: "sipReset", kind: "status", status: "-18" }],
  ["-22 once", { endpoint: "sipReset", kind: "status", status: "-22", times: 1 }],
])(
  "%s: the destroy fails, the resource stays, and the next destroy revokes everything",
  async (_what, fault) => {
    const { group, appId } = await created();
    const before = reveal(group.state?.outputs["passwords"]) as Record<string, string>;
    expect(before).toEqual(live(appId));

    emulator.inject(fault);
    const destroying = group.inHost(await host());
    const error = await destroying.destroy().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostCallError);
    expect((error as HostCallError).message).toMatch(/could not revoke \d of 2 passwords.*may still work/s);
    expect(destroying.state?.id).toBe(group.state?.id);
    const unrevoked = Object.keys(before).filter((account) => live(appId)[account] === before[account]);
    expect(unrevoked.length).toBeGreaterThan(0);
    expect(destroying.host.output()).not.toMatch(/reset and discarded/);

    emulator.clearFaults();
    const again = destroying.inHost(await host());
    await again.destroy();
    expect(again.state).toBeUndefined();
    for (const [account, password] of Object.entries(live(appId))) expect(password).not.toBe(before[account]);
  },
);

it("a phone already gone (-24) is skipped: the destroy succeeds and the rest is revoked", async () => {
  const { group, appId } = await created();
  const before = live(appId);
  emulator.inject({ endpoint: "sipReset", kind: "status", status: "-24", times: 1 });
  const destroying = group.inHost(await host());
  await destroying.destroy();
  expect(destroying.state).toBeUndefined();
  const changed = Object.entries(live(appId)).filter(([account, password]) => password !== before[account]);
  expect(changed).toHaveLength(1);
  await destroying.host.waitForOutput(/reset and discarded/);
});
