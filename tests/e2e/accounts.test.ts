/**
 * Several accounts in one stack through Pulumi's real dynamic-provider host, driven
 * over gRPC as the engine drives it (tests/helpers/host.ts, engine.ts): a program
 * with a group in the default account, a group and a password in a second account
 * ("emea", an entry of `itniotech:accounts`), against one emulator that gives each
 * API key its own applications. `up` creates, a second preview shows nothing to do,
 * `destroy` revokes — each command in a new host process, configured with the
 * structured, partly secret config as the engine sends it (JSON text, the whole key
 * secret: provider/accounts.ts). Each call's API key comes from the emulator's log.
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { EngineResource } from "../helpers/engine";
import { resourceUrn, startHost, type Host } from "../helpers/host";
import { CanaryScan, scanHosts } from "../helpers/leaks";
import { captureRegistrations, type CapturedRegistration } from "../helpers/mocks";
import { outsideSecrets, reveal, type Props } from "../helpers/values";

const FIXTURE = path.join(__dirname, "..", "fixtures", "engine");
const PROJECT = "itniotech-accounts";
const STACK = "dev";
const DEFAULT = { apiKey: "hq-key-3e1", apiSecret: "HqCanarySecret-0b7d52" };
const EMEA = { apiKey: "emea-key-9a4", apiSecret: "EmeaCanarySecret-c61f03" };
const CONFIG = {
  "itniotech:apiKey": DEFAULT.apiKey,
  "itniotech:apiSecret": DEFAULT.apiSecret,
  "itniotech:accounts": JSON.stringify({ emea: EMEA }),
};
const SECRET_KEYS = ["itniotech:apiSecret", "itniotech:accounts"];

/** The program: the same explicit names in both accounts, each in its own application. */
function program(sdk: typeof import("pulumi-itniotech")): void {
  const names = { groupName: "front-desk", phoneName: "frontdesk", quantity: 2, displayNum: "8610000000" };
  new sdk.SipPhoneGroup("hq", { appId: "hq-app", ...names });
  new sdk.SipPhoneGroup("emea", { appId: "emea-app", ...names, account: "emea" });
  new sdk.SipPhonePassword("emea-desk", {
    appId: "emea-app",
    account: "frontdesk_001",
    itniotechAccount: "emea",
  });
}
const ORDER = ["hq", "emea", "emea-desk"];

let emulator: Emulator;
let registrations: Map<string, CapturedRegistration>;
const hosts: Host[] = [];
const resources = new Map<string, EngineResource>();
/** Per command: API calls per key, from the emulator's request log. */
const perCommand: Array<{ command: string; calls: Record<string, Record<string, number>> }> = [];
const startedAt = Math.floor(Date.now() / 1000);
/** Every state the engine stored (after up and after the preview). */
const states: Props[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    credentials: [DEFAULT, { ...EMEA, appIds: ["emea-app"] }],
  });
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  const captured = await captureRegistrations(() => program(sdk), { project: PROJECT, stack: STACK });
  registrations = new Map(captured.map((r) => [r.name, r]));
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator?.close();
  console.log(
    [
      "Two accounts in one stack, through the real dynamic-provider host (calls per API key, emulator log):",
      "| command | key | sipAdd | sipQuery | sipReset |",
      "|---|---|---:|---:|---:|",
      ...perCommand.flatMap(({ command, calls }) =>
        (Object.keys(calls).length === 0
          ? [["(none)", {} as Record<string, number>] as const]
          : Object.entries(calls)
        ).map(
          ([key, c]) =>
            `| ${command} | ${key} | ${c["sipAdd"] ?? 0} | ${c["sipQuery"] ?? 0} | ${c["sipReset"] ?? 0} |`,
        ),
      ),
    ].join("\n"),
  );
});

/** One command (`pulumi up`, `preview`, `destroy`): a new host, configured as the engine does. */
async function command(name: string, body: (on: (resource: string) => EngineResource) => Promise<void>) {
  const host = await startHost({ cwd: FIXTURE, project: PROJECT, stack: STACK });
  hosts.push(host);
  await host.configure({ ...CONFIG, "itniotech:baseUrl": emulator.baseUrl }, SECRET_KEYS);
  const before = emulator.requests().length;
  const on = (resource: string) => {
    const existing = resources.get(resource);
    const registration = registrations.get(resource) as CapturedRegistration;
    const next = existing
      ? existing.inHost(host)
      : new EngineResource(host, resourceUrn(registration.type, resource, PROJECT, STACK), {
          additionalSecretOutputs: registration.additionalSecretOutputs,
        });
    resources.set(resource, next);
    return next;
  };
  await body(on);
  const calls: Record<string, Record<string, number>> = {};
  for (const line of emulator.requests().slice(before)) {
    const byKey = (calls[line.apiKey ?? "?"] ??= {});
    byKey[line.endpoint] = (byKey[line.endpoint] ?? 0) + 1;
  }
  perCommand.push({ command: name, calls });
  return calls;
}

const inputs = (name: string): Props => (registrations.get(name) as CapturedRegistration).inputs;

it("the program registers the selector as an input, and no credential in __provider", () => {
  expect(inputs("emea")["account"]).toBe("emea");
  expect(inputs("emea-desk")["itniotechAccount"]).toBe("emea");
  expect(inputs("emea-desk")["account"]).toBe("frontdesk_001");
  expect(inputs("hq")["account"]).toBeUndefined();
});

it("up: each resource is created in its own account, with its own key", async () => {
  const calls = await command("up", async (on) => {
    for (const name of ORDER) expect(await on(name).up(inputs(name))).toBe("create");
  });
  for (const r of resources.values()) states.push(r.state as unknown as Props);
  expect(calls).toEqual({
    [DEFAULT.apiKey]: { sipAdd: 1, sipQuery: 1 },
    [EMEA.apiKey]: { sipAdd: 1, sipQuery: 1, sipReset: 1 },
  });
  // The same names, two applications of two accounts.
  expect(emulator.phones("hq-app").map((p) => p.account)).toEqual(["frontdesk_001", "frontdesk_002"]);
  expect(emulator.phones("emea-app").map((p) => p.account)).toEqual(["frontdesk_001", "frontdesk_002"]);
  const emea = resources.get("emea")?.state?.outputs as Props;
  expect(emea["account"]).toBe("emea");
  expect(reveal(emea["passwords"])).toMatchObject({
    frontdesk_002: emulator.phones("emea-app")[1]?.password,
  });
  const desk = resources.get("emea-desk")?.state?.outputs as Props;
  expect(reveal(desk["password"])).toBe(emulator.phones("emea-app")[0]?.password);
});

it("a second preview: every resource unchanged, no API call", async () => {
  const calls = await command("preview", async (on) => {
    for (const name of ORDER) expect(await on(name).preview(inputs(name))).toBe("same");
  });
  for (const r of resources.values()) states.push(r.state as unknown as Props);
  expect(calls).toEqual({});
});

it("a preview that names an unknown account fails at check, naming the known ones", async () => {
  await command("preview (unknown account)", async (on) => {
    await expect(on("emea").preview({ ...inputs("emea"), account: "apac" })).rejects.toMatchObject({
      failures: [
        {
          property: "account",
          reason: "account 'apac' is not an entry of the stack config 'itniotech:accounts' (known: emea)",
        },
      ],
    });
  });
});

it("destroy: each group revoked with its own account's key", async () => {
  const calls = await command("destroy", async (on) => {
    for (const name of [...ORDER].reverse()) await on(name).destroy();
  });
  expect(calls).toEqual({
    // The accounts come from the state: no scan.
    [DEFAULT.apiKey]: { sipReset: 2 },
    [EMEA.apiKey]: { sipReset: 2 },
  });
});

it("neither account's API secret (nor any Sign or password) leaks into state, __provider, host output or answers", () => {
  const scan = new CanaryScan();
  for (const phone of emulator.phones()) scan.add("password", phone.password);
  scan.addCredentials(EMEA, startedAt - 5, Math.floor(Date.now() / 1000) + 5);
  const { texts, leaks, passwordsSeen } = scanHosts(scan, hosts, DEFAULT, startedAt);
  expect(texts.join("").length).toBeGreaterThan(1000);
  expect(leaks).toEqual([]);
  expect(passwordsSeen).toBe(true);
  // The states the engine kept (inputs with __provider, outputs) and the stack's registrations,
  // outside their secrets: no canary at all.
  expect(states).toHaveLength(6);
  const kept = [...states, ...registrations.values()].map((s) => outsideSecrets(s));
  expect(kept.flatMap((t) => scan.find(t))).toEqual([]);
  // ...and the API secrets are nowhere, not even inside secrets.
  const all = JSON.stringify([...states, ...registrations.values()]);
  for (const secret of [DEFAULT.apiSecret, EMEA.apiSecret]) expect(all).not.toContain(secret);
  console.log(
    `leak scan: ${texts.length} host texts and ${kept.length} states/registrations against ${scan.size} canaries ` +
      `(both API secrets, every Sign of both keys since the start, every password): ${leaks.length} found`,
  );
});
