/**
 * The lifecycle of both resources through Pulumi's real dynamic-provider host,
 * driven over gRPC as the engine drives it (tests/helpers/host.ts, engine.ts),
 * against the emulator. The engine's inputs, `__provider` and resource options come
 * from running the fixture program (fixture/program.ts) under mocks, as the engine
 * receives them; each scenario edits those inputs as an edit of the program would.
 * Each scenario mirrors a step of Pulumi's ProgramTest / Terraform's acceptance
 * tests, and is judged from the emulator's own state, counters and request log.
 * Every command (preview, up, refresh, destroy) starts a new host process, as
 * `pulumi` does: the provider caches sipQuery snapshots per process.
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { CheckFailedError, EngineResource } from "../helpers/engine";
import { InitFailedError, resourceUrn, startHost, type Host } from "../helpers/host";
import { captureRegistrations, type CapturedRegistration } from "../helpers/mocks";
import { CanaryScan } from "../helpers/leaks";
import { isSecret, outsideSecrets, reveal, type Props } from "../helpers/values";
import { program } from "../fixtures/engine/program";

const FIXTURE = path.join(__dirname, "..", "fixtures", "engine");
const PROJECT = "itniotech-engine";
const STACK = "dev";
const CREDENTIALS = { apiKey: "engine-key-51a", apiSecret: "EngineCanarySecret-77e1" };
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const PASSWORD = "pulumi-nodejs:dynamic/itniotech:SipPhonePassword";
const APP = "engine-app";

let emulator: Emulator;
const registrations = new Map<string, CapturedRegistration>();
const hosts: Host[] = [];
const calls: Array<{ scenario: string; sipAdd: number; sipQuery: number; sipReset: number }> = [];
const scan = new CanaryScan();
const startedAt = Math.floor(Date.now() / 1000);

/** A new host process, configured with the whole namespaced stack config, the secret marked. */
async function host(): Promise<Host> {
  const started = await startHost({ cwd: FIXTURE, project: PROJECT, stack: STACK });
  hosts.push(started);
  await started.configure(stackConfig(emulator.baseUrl, CREDENTIALS), SECRET_CONFIG_KEYS);
  return started;
}

function registration(name: string): CapturedRegistration {
  const found = registrations.get(name);
  if (!found) throw new Error(`the fixture program registers no ${name}`);
  return found;
}

/** The inputs the program registers for `name`, with `edit` applied as a program edit would. */
function declared(name: string, edit: Props = {}): Props {
  return { ...registration(name).inputs, ...edit };
}

/** The program's resource `name` in the engine, on `on`. */
function resource(on: Host, name: string): EngineResource {
  const { type, additionalSecretOutputs } = registration(name);
  return new EngineResource(on, resourceUrn(type, name, PROJECT, STACK), { additionalSecretOutputs });
}

/** The engine's calls as compact text: "check:none", "check:old inputs", "create:<id>", … */
function steps(r: EngineResource): string[] {
  return r.log.map((c) => [c.method, c.olds ?? c.id].filter(Boolean).join(":"));
}

/** The platform's passwords of one group, by account. */
function live(groupName: unknown): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(APP)
      .filter((p) => p.groupName === groupName)
      .map((p) => [p.account, p.password]),
  );
}

function passwordsOf(r: EngineResource): Record<string, string> {
  return reveal(r.state?.outputs["passwords"]) as Record<string, string>;
}

/** Every password the platform holds now, and every secret the host ever returned, become canaries. */
function harvest(): void {
  for (const phone of emulator.phones()) scan.add("password", phone.password);
}

/** Runs a scenario and records the API calls it made. */
async function scenario(name: string, body: () => Promise<void>): Promise<void> {
  emulator.resetCounters();
  try {
    await body();
  } finally {
    harvest();
    calls.push({ scenario: name, ...emulator.counters() });
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [CREDENTIALS] });
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  for (const r of await captureRegistrations(() => program(sdk), { project: PROJECT, stack: STACK }))
    registrations.set(r.name, r);
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator.close();
  const table = [
    "API calls per scenario (emulator counters), through the real dynamic-provider host:",
    "| scenario | sipAdd | sipQuery | sipReset |",
    "|---|---:|---:|---:|",
    ...calls.map((c) => `| ${c.scenario} | ${c.sipAdd} | ${c.sipQuery} | ${c.sipReset} |`),
  ].join("\n");
  console.log(table);
});

it("the program registers what the engine will send: __provider texts, namePrefix filled, secret outputs", () => {
  // Registrations arrive in the order their inputs finish serializing: compare as sets.
  expect(Object.fromEntries([...registrations.values()].map((r) => [r.name, r.type]))).toEqual({
    office: GROUP,
    named: GROUP,
    adopted: GROUP,
    doomed: GROUP,
    desk: PASSWORD,
  });
  const office = registration("office");
  expect(office.providerText).toContain('require("pulumi-itniotech/provider")');
  expect(office.providerText).not.toContain(CREDENTIALS.apiSecret);
  expect(office.inputs).toEqual({
    appId: APP,
    displayNum: "8610000000",
    quantity: 2,
    namePrefix: "office",
    __provider: office.providerText,
  });
  expect(office.additionalSecretOutputs).toEqual(["passwords"]);
  expect(registration("desk").additionalSecretOutputs).toEqual(["password"]);
  // One text per resource type: the host configures one provider for all groups.
  expect(registration("named").providerText).toBe(office.providerText);
});

describe("SipPhoneGroup through the real provider host", () => {
  let office: EngineResource;
  /** The outputs `named` got from a create (scenario 5), to compare an adoption with. */
  let createdOutputs: Props | undefined;
  /** The group with explicit names (scenario 5). */
  let named: EngineResource;

  it("1. preview of a new stack: check only (no state to diff), 0 API calls", async () => {
    await scenario("1. preview of a new stack", async () => {
      office = resource(await host(), "office");
      expect(await office.preview(declared("office"))).toBe("create");
      expect(office.state).toBeUndefined();
      expect(steps(office)).toEqual(["check:none"]);
      // The preview Create never reaches a host without supportsPreview.
      expect(office.host.exchanges.map((e) => e.method)).toEqual([
        "handshake",
        "getPluginInfo",
        "configure",
        "check",
      ]);
      expect(office.plan?.inputs["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    });
  });

  it("2. up creates; preview again and refresh (in a new host) show no changes", async () => {
    await scenario("2. up, preview, refresh", async () => {
      office = office.inHost(await host());
      expect(await office.up(declared("office"))).toBe("create");
      expect(steps(office)).toEqual(["check:none", `create:${office.state?.id}`]);
      const outputs = office.state?.outputs as Props;
      expect(outputs["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
      expect(office.state?.id).toBe(`${APP}/${outputs["groupName"]}`);
      expect(outputs["__provider"]).toBe(registration("office").providerText);
      expect(isSecret(outputs["passwords"])).toBe(true);
      expect(outputs["accounts"]).toEqual(Object.keys(live(outputs["groupName"])).sort());
      expect(reveal(outputs["passwords"])).toEqual(live(outputs["groupName"]));
      expect(outputs).not.toHaveProperty("lastResetAt");
      expect(emulator.counters()).toEqual({ sipAdd: 1, sipQuery: 1, sipReset: 0 });

      const preview = office.inHost(await host());
      expect(await preview.preview(declared("office"))).toBe("same");
      expect(preview.plan?.diff?.changes).toBe("none");

      office = office.inHost(await host());
      expect(await office.refresh()).toBe("same");
      expect(office.state?.outputs).toEqual(outputs);
      expect(office.lastRefresh).toMatchObject({ stateChanged: false, shown: "same" });
      expect(office.lastRefresh?.diff?.changes).toBe("none");
      expect(await office.preview(declared("office"))).toBe("same");
    });
  });

  it("3. a resetTriggers change updates: every password rotated on the platform and in state, kept secret", async () => {
    await scenario("3. rotate (resetTriggers)", async () => {
      const before = passwordsOf(office);
      const news = declared("office", { resetTriggers: [1] });
      office = office.inHost(await host());
      expect(await office.preview(news)).toBe("update");
      expect(office.plan?.diff).toMatchObject({ changes: "some", replaces: [] });
      expect(emulator.counters().sipReset).toBe(0);
      expect(await office.up(news)).toBe("update");
      const outputs = office.state?.outputs as Props;
      expect(isSecret(outputs["passwords"])).toBe(true);
      const after = passwordsOf(office);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      expect(after).toEqual(live(outputs["groupName"]));
      expect(outputs["resetTriggers"]).toEqual([1]);
      expect(typeof outputs["lastResetAt"]).toBe("string");
      // The engine sent the old passwords bare: this host accepts no secrets.
      const update = office.host.exchanges.find((e) => e.method === "update");
      expect((update?.request["olds"] as Props)["passwords"]).toEqual(before);
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 2 });
    });
  });

  it("4. a quantity change with auto-names replaces: new names from the no-olds check, the new group created before the old one is revoked", async () => {
    await scenario("4. replace (quantity, auto-names)", async () => {
      const old = office.state as { id: string; outputs: Props };
      const oldPasswords = passwordsOf(office);
      const news = declared("office", { resetTriggers: [1], quantity: 3 });

      office = office.inHost(await host());
      expect(await office.preview(news)).toBe("replace");
      expect(office.plan?.diff?.replaces).toEqual(["quantity"]);
      expect(office.plan?.inputs["groupName"]).not.toBe(old.outputs["groupName"]);
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });

      office = office.inHost(await host());
      const logFrom = emulator.requests().length;
      expect(await office.up(news)).toBe("replace");
      const fresh = office.state as { id: string; outputs: Props };
      expect(steps(office)).toEqual([
        "check:old inputs",
        `diff:${old.id}`,
        "check:none",
        `create:${fresh.id}`,
        `delete:${old.id}`,
      ]);
      expect(fresh.outputs["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
      expect(fresh.outputs["groupName"]).not.toBe(old.outputs["groupName"]);
      expect(fresh.outputs["phoneName"]).not.toBe(old.outputs["phoneName"]);
      expect(fresh.outputs["accounts"]).toHaveLength(3);
      expect(passwordsOf(office)).toEqual(live(fresh.outputs["groupName"]));

      // The platform's own log: the new group's sipAdd came before the first reset of an old account.
      const requests = emulator.requests().slice(logFrom);
      const added = requests.findIndex(
        (r) => r.endpoint === "sipAdd" && r.subject === fresh.outputs["groupName"],
      );
      const oldAccounts = old.outputs["accounts"] as string[];
      const resets = requests.flatMap((r, i) =>
        r.endpoint === "sipReset" && oldAccounts.includes(r.subject ?? "") ? [i] : [],
      );
      expect(added).toBeGreaterThan(-1);
      expect(resets).toHaveLength(oldAccounts.length);
      expect(Math.min(...resets)).toBeGreaterThan(added);
      const revoked = live(old.outputs["groupName"]);
      expect(Object.keys(revoked).sort()).toEqual(oldAccounts);
      for (const account of oldAccounts) expect(revoked[account]).not.toBe(oldPasswords[account]);
      await office.host.waitForOutput(/warning: SipPhoneGroup .*cannot delete phones/);
    });
  });

  it("5. a quantity change with explicit unchanged names fails in check, naming the properties", async () => {
    await scenario("5. explicit names, replacement refused", async () => {
      named = resource(await host(), "named");
      expect(await named.up(declared("named"))).toBe("create");
      const state = named.state;
      createdOutputs = state?.outputs;
      const news = declared("named", { quantity: 3 });
      for (const run of [() => named.preview(news), () => named.up(news)]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckFailedError);
        const failures = (error as CheckFailedError).failures;
        expect(failures.map((f) => f.property)).toEqual(["groupName", "phoneName"]);
        expect(failures[0]?.reason).toMatch(/can never be freed or reused/);
      }
      // The first check (with the old inputs) refuses it: no diff, no replacement, no create.
      expect(steps(named).slice(1)).toEqual([`create:${state?.id}`, "check:old inputs", "check:old inputs"]);
      expect(named.state).toBe(state);
      expect(emulator.counters()).toEqual({ sipAdd: 1, sipQuery: 1, sipReset: 0 });
      expect(emulator.groups(APP).filter((g) => g.groupName === "engine-named-group")).toHaveLength(1);
    });
  });

  it("6. adopt takes over an existing group without sipAdd; the state is what a create gives", async () => {
    await scenario("6. adopt", async () => {
      emulator.seedGroup({
        appId: APP,
        groupName: "console-group",
        phoneName: "consolephone",
        quantity: 2,
        displayNum: "8610000000",
      });
      const adopted = resource(await host(), "adopted");
      expect(await adopted.up(declared("adopted"))).toBe("create");
      expect(emulator.counters().sipAdd).toBe(0);
      expect(adopted.state?.id).toBe(`${APP}/console-group`);
      const outputs = adopted.state?.outputs as Props;
      expect(outputs["accounts"]).toEqual(Object.keys(live("console-group")).sort());
      expect(isSecret(outputs["passwords"])).toBe(true);
      expect(reveal(outputs["passwords"])).toEqual(live("console-group"));
      expect(outputs).toMatchObject({
        appId: APP,
        groupName: "console-group",
        phoneName: "consolephone",
        quantity: 2,
        displayNum: "8610000000",
        adopt: true,
      });
      // The same shape as the group `named` got from a create with the same kind of inputs.
      if (!createdOutputs) throw new Error("scenario 5 created no group to compare with");
      const created = createdOutputs;
      const shape = (o: Props) =>
        Object.entries(o)
          .filter(([k]) => k !== "adopt")
          .map(([k, v]) => [k, isSecret(v) ? "secret" : Array.isArray(v) ? "array" : typeof v])
          .sort();
      expect(shape(outputs)).toEqual(shape(created));
      // A later refresh and preview of the adopted group find nothing to do.
      const later = adopted.inHost(await host());
      expect(await later.refresh()).toBe("same");
      expect(await later.preview(declared("adopted"))).toBe("same");
    });
  });

  it("7. refresh reports an out-of-band reset, and drops a group removed on the platform", async () => {
    await scenario("7. refresh: drift and removal", async () => {
      const account = (office.state?.outputs["accounts"] as string[])[0] as string;
      const fresh = emulator.resetPasswordOutOfBand(APP, account);
      office = office.inHost(await host());
      expect(await office.refresh()).toBe("changed");
      expect(passwordsOf(office)[account]).toBe(fresh);
      expect(passwordsOf(office)).toEqual(live(office.state?.outputs["groupName"]));
      expect(isSecret(office.state?.outputs["passwords"])).toBe(true);
      // What `pulumi refresh` DISPLAYS is the provider's diff of the refreshed state against the
      // old INPUTS (step.go RefreshStep.Apply); inputs carry no passwords, so it finds no change:
      // the new password is stored, but the resource is listed as unchanged (unless
      // PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true, which compares outputs: lastRefresh.stateChanged).
      expect(office.lastRefresh).toMatchObject({ stateChanged: true, shown: "same" });
      // The drift does not make the next up do anything.
      expect(await office.preview(declared("office", { resetTriggers: [1], quantity: 3 }))).toBe("same");

      const doomed = resource(await host(), "doomed");
      await doomed.up(declared("doomed"));
      expect(emulator.removeGroup(APP, doomed.state?.outputs["groupName"] as string)).toBe(2);
      const later = doomed.inHost(await host());
      expect(await later.refresh()).toBe("deleted");
      expect(later.state).toBeUndefined();
      expect(later.lastRefresh?.shown).toBe("delete");
      expect(steps(later)).toEqual([`read:${doomed.state?.id}`]);
    });
  });

  it("8. a reset failing midway keeps every password the platform has and the old triggers; the next up converges", async () => {
    await scenario("8. partial rotation, then converge", async () => {
      const before = passwordsOf(office);
      const news = declared("office", { resetTriggers: [2], quantity: 3 });
      office = office.inHost(await host());
      emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 2 });
      const error = await office.up(news).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InitFailedError);
      const failure = error as InitFailedError;
      expect(failure.id).toBe(office.state?.id);
      expect(failure.reasons).toHaveLength(1);
      expect(failure.reasons[0]).toMatch(/2 of 3 password resets failed/);
      const kept = office.state as { inputs: Props; outputs: Props; initErrors: string[] };
      expect(kept.initErrors).toEqual(failure.reasons);
      expect(kept.outputs["__provider"]).toBe(registration("office").providerText);
      expect(isSecret(kept.outputs["passwords"])).toBe(true);
      expect(passwordsOf(office)).toEqual(live(kept.outputs["groupName"]));
      expect(Object.keys(before).filter((a) => passwordsOf(office)[a] !== before[a])).toHaveLength(1);
      // The old triggers in the kept outputs, the new inputs as the engine stores them.
      expect(kept.outputs["resetTriggers"]).toEqual([1]);
      expect(kept.inputs["resetTriggers"]).toEqual([2]);

      office = office.inHost(await host());
      expect(await office.preview(news)).toBe("update");
      expect(await office.up(news)).toBe("update");
      const after = passwordsOf(office);
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      expect(after).toEqual(live(office.state?.outputs["groupName"]));
      expect(office.state?.outputs["resetTriggers"]).toEqual([2]);
      expect(office.state?.initErrors).toEqual([]);
      expect(await office.inHost(await host()).preview(news)).toBe("same");
    });
  });

  it("8b. after a partial rotation, a refresh clears the init errors; the kept old triggers still make the next up converge", async () => {
    await scenario("8b. partial rotation, refresh, then converge", async () => {
      const before = passwordsOf(named);
      const news = declared("named", { resetTriggers: ["r1"] });
      named = named.inHost(await host());
      emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 1 });
      await expect(named.up(news)).rejects.toThrow(InitFailedError);
      expect(named.state?.initErrors).toHaveLength(1);
      expect(passwordsOf(named)).toEqual(live("engine-named-group"));

      // `pulumi refresh` (or `up --refresh`): Read succeeds, so the init errors are gone, and the
      // inputs it returns (from the kept outputs) carry the old triggers: the refresh shows the
      // unfinished rotation as a change.
      named = named.inHost(await host());
      expect(await named.refresh()).toBe("changed");
      expect(named.state?.initErrors).toEqual([]);
      expect(named.state?.outputs["resetTriggers"]).toBeUndefined();
      expect(named.state?.inputs["resetTriggers"]).toBeUndefined();
      expect(named.lastRefresh?.shown).toBe("update");
      expect(passwordsOf(named)).toEqual(live("engine-named-group"));

      named = named.inHost(await host());
      expect(await named.preview(news)).toBe("update");
      expect(named.plan?.diff?.changes).toBe("some");
      expect(await named.up(news)).toBe("update");
      const after = passwordsOf(named);
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      expect(after).toEqual(live("engine-named-group"));
      expect(named.state?.outputs["resetTriggers"]).toEqual(["r1"]);
      expect(await named.inHost(await host()).preview(news)).toBe("same");
    });
  });

  it("9. destroy (in a new host) revokes every password and warns; no error", async () => {
    await scenario("9. destroy", async () => {
      const { id, outputs } = office.state as { id: string; outputs: Props };
      const before = passwordsOf(office);
      office = office.inHost(await host());
      await office.destroy();
      expect(office.state).toBeUndefined();
      expect(steps(office)).toEqual([`delete:${id}`]);
      const after = live(outputs["groupName"]);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      await office.host.waitForOutput(/warning: SipPhoneGroup .*stay on the platform.*retainOnDelete/);
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 3 });
    });
  });
});

describe("SipPhonePassword through the real provider host", () => {
  it("10. create, trigger change, delete", async () => {
    await scenario("10. SipPhonePassword lifecycle", async () => {
      emulator.seedGroup({
        appId: APP,
        groupName: "desk-group",
        phoneName: "deskphone",
        quantity: 1,
        displayNum: "8610000000",
      });
      const seeded = live("desk-group")["deskphone_001"];
      let desk = resource(await host(), "desk");
      expect(await desk.preview(declared("desk"))).toBe("create");
      expect(emulator.counters().sipReset).toBe(0);
      expect(await desk.up(declared("desk"))).toBe("create");
      expect(desk.state?.id).toBe(`${APP}/deskphone_001`);
      const first = reveal(desk.state?.outputs["password"]);
      expect(isSecret(desk.state?.outputs["password"])).toBe(true);
      expect(first).not.toBe(seeded);
      expect(first).toBe(live("desk-group")["deskphone_001"]);
      desk = desk.inHost(await host());
      expect(await desk.up(declared("desk"))).toBe("same");
      expect(await desk.up(declared("desk", { triggers: [2] }))).toBe("update");
      const second = reveal(desk.state?.outputs["password"]);
      expect(isSecret(desk.state?.outputs["password"])).toBe(true);
      expect(second).not.toBe(first);
      expect(second).toBe(live("desk-group")["deskphone_001"]);
      desk = desk.inHost(await host());
      await desk.destroy();
      expect(desk.state).toBeUndefined();
      // Delete changes nothing remote, and says so.
      expect(live("desk-group")["deskphone_001"]).toBe(second);
      await desk.host.waitForOutput(
        /SipPhonePassword engine-app\/deskphone_001: nothing was changed on the platform/,
      );
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 2 });
    });
  });
});

describe("secrets across every scenario", () => {
  /** Every string inside a secret sentinel in the host's answers: passwords the provider returned. */
  function secretsIn(value: unknown, into: string[]): string[] {
    if (isSecret(value)) {
      const inner = reveal(value);
      if (typeof inner === "string") into.push(inner);
      else if (inner && typeof inner === "object") for (const v of Object.values(inner)) secretsIn(v, into);
    } else if (Array.isArray(value)) for (const v of value) secretsIn(v, into);
    else if (value && typeof value === "object") for (const v of Object.values(value)) secretsIn(v, into);
    return into;
  }

  it("host output, returned structs and errors hold no API secret, Sign or password outside a secret", () => {
    expect(calls).toHaveLength(11);
    const parsed = hosts.flatMap((h) => h.transcript.map((t) => tryParse(t)));
    // Passwords that lived only between two scenarios (overwritten within one) were returned as secrets.
    for (const password of parsed.flatMap((p) => secretsIn(p, []))) scan.add("password", password);
    scan.addCredentials(CREDENTIALS, startedAt - 5, Math.floor(Date.now() / 1000) + 5);
    const texts = [...hosts.map((h) => h.output()), ...parsed.map((p) => outsideSecrets(p))];
    expect(texts.join("").length).toBeGreaterThan(1000);
    const leaks = texts.flatMap((t) => scan.find(t).map((what) => `${what}: ${t.slice(0, 200)}`));
    expect(leaks).toEqual([]);
    // The scan can see: the passwords really are in the answers, inside secrets.
    expect(
      hosts.some((h) => h.transcript.some((t) => scan.find(t).some((w) => w.startsWith("password")))),
    ).toBe(true);
  });
});

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
