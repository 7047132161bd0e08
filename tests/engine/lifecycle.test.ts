/**
 * The lifecycle of both resources through Pulumi's real dynamic-provider host,
 * driven over gRPC as the engine drives it (tests/harness/host.ts, engine.ts),
 * against the emulator. Each scenario mirrors a step of Pulumi's ProgramTest /
 * Terraform's acceptance tests; a refresh always runs in a new host process, as
 * `pulumi refresh` does.
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { isSecret, reveal } from "../../provider/secrets";
import { CheckFailedError, EngineResource } from "../harness/engine";
import { InitFailedError, startHost, type Host } from "../harness/host";
import { captureProviders } from "../harness/mocks";
import { CanaryScan, outsideSecrets } from "../support/leaks";
import { program } from "./fixture/program";

type Props = Record<string, unknown>;

const FIXTURE = path.join(__dirname, "fixture");
const CREDENTIALS = { apiKey: "engine-key-51a", apiSecret: "EngineCanarySecret-77e1" };
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const PASSWORD = "pulumi-nodejs:dynamic/itniotech:SipPhonePassword";
const urn = (type: string, name: string) => `urn:pulumi:dev::itniotech-engine::${type}::${name}`;

let emulator: Emulator;
let providers: Map<string, string>;
const hosts: Host[] = [];
const calls: Array<{ scenario: string; sipAdd: number; sipQuery: number; sipReset: number }> = [];
const scan = new CanaryScan();
const startedAt = Math.floor(Date.now() / 1000);

async function host(): Promise<Host> {
  const started = await startHost(FIXTURE);
  hosts.push(started);
  await started.configure(
    {
      "itniotech:apiKey": CREDENTIALS.apiKey,
      "itniotech:apiSecret": CREDENTIALS.apiSecret,
      "itniotech:baseUrl": emulator.baseUrl,
    },
    ["itniotech:apiSecret"],
  );
  return started;
}

/** The inputs the program registers, as the engine receives them. */
function groupInputs(extra: Props = {}): Props {
  return {
    appId: "engine-app",
    quantity: 2,
    displayNum: "8610000000",
    namePrefix: "office",
    __provider: providers.get(GROUP),
    ...extra,
  };
}

function live(appId: string, groupName: unknown): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(appId)
      .filter((p) => p.groupName === groupName)
      .map((p) => [p.account, p.password]),
  );
}

function harvest(): void {
  for (const phone of emulator.phones()) scan.add("password", phone.password);
}

/** Runs a scenario and records the API calls it made. */
async function scenario(name: string, body: () => Promise<void>): Promise<void> {
  emulator.resetCounters();
  await body();
  harvest();
  calls.push({ scenario: name, ...emulator.counters() });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [CREDENTIALS] });
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  providers = await captureProviders(() => program(sdk));
  expect([...providers.keys()].sort()).toEqual([GROUP, PASSWORD]);
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator.close();
});

describe("SipPhoneGroup through the real provider host", () => {
  let office: EngineResource;

  it("1. preview of a new stack: check and diff only, 0 API calls", async () => {
    await scenario("1. preview of a new stack", async () => {
      office = new EngineResource(await host(), urn(GROUP, "office"));
      expect(await office.preview(groupInputs())).toBe("create");
      expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    });
  });

  it("2. up creates; preview again and refresh show no changes", async () => {
    await scenario("2. up, preview, refresh", async () => {
      expect(await office.up(groupInputs())).toBe("create");
      const outputs = office.state?.outputs as Props;
      expect(outputs["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
      expect(isSecret(outputs["passwords"])).toBe(true);
      expect(reveal(outputs["passwords"])).toEqual(live("engine-app", outputs["groupName"]));
      expect(await office.preview(groupInputs())).toBe("same");
      office = Object.assign(new EngineResource(await host(), office.urn), { state: office.state });
      expect(await office.refresh()).toBe("same");
      expect(await office.preview(groupInputs())).toBe("same");
    });
  });

  it("3. a resetTriggers change rotates every password, kept as secrets", async () => {
    await scenario("3. rotate (resetTriggers)", async () => {
      const before = reveal(office.state?.outputs["passwords"]) as Record<string, string>;
      expect(await office.preview(groupInputs({ resetTriggers: [1] }))).toBe("update");
      expect(await office.up(groupInputs({ resetTriggers: [1] }))).toBe("update");
      const outputs = office.state?.outputs as Props;
      expect(isSecret(outputs["passwords"])).toBe(true);
      const after = reveal(outputs["passwords"]) as Record<string, string>;
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      expect(after).toEqual(live("engine-app", outputs["groupName"]));
      expect(emulator.counters().sipReset).toBe(2);
    });
  });

  it("4. a quantity change with auto-names replaces: new names, new group created before the old is revoked", async () => {
    await scenario("4. replace (quantity, auto-names)", async () => {
      const old = office.state as { id: string; outputs: Props };
      const oldPasswords = reveal(old.outputs["passwords"]) as Record<string, string>;
      office.calls.length = 0;
      expect(await office.up(groupInputs({ resetTriggers: [1], quantity: 3 }))).toBe("replace");
      const outputs = office.state?.outputs as Props;
      expect(outputs["groupName"]).not.toBe(old.outputs["groupName"]);
      expect(outputs["phoneName"]).not.toBe(old.outputs["phoneName"]);
      expect(outputs["accounts"]).toHaveLength(3);
      const created = office.calls.findIndex((c) => c === `created ${office.state?.id}`);
      const deleted = office.calls.findIndex((c) => c === `delete ${old.id}`);
      expect(created).toBeGreaterThan(-1);
      expect(deleted).toBeGreaterThan(created);
      const revoked = live("engine-app", old.outputs["groupName"]);
      for (const account of Object.keys(oldPasswords))
        expect(revoked[account]).not.toBe(oldPasswords[account]);
      expect(await office.host.waitForOutput(/cannot delete phones/)).toMatch(/cannot delete phones/);
    });
  });

  it("5. a quantity change with explicit unchanged names fails in check, naming the property", async () => {
    await scenario("5. explicit names, replacement refused", async () => {
      const named = new EngineResource(await host(), urn(GROUP, "named"));
      const inputs = groupInputs({
        groupName: "engine-named-group",
        phoneName: "enginenamed",
        namePrefix: "named",
      });
      expect(await named.up(inputs)).toBe("create");
      const error = await named.up({ ...inputs, quantity: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckFailedError);
      expect((error as CheckFailedError).failures.map((f) => f.property)).toEqual(["groupName", "phoneName"]);
      expect((error as CheckFailedError).message).toMatch(/can never be freed or reused/);
      expect(emulator.counters().sipAdd).toBe(1);
    });
  });

  it("6. adopt takes over an existing group without sipAdd; the state is what a create gives", async () => {
    await scenario("6. adopt", async () => {
      emulator.seedGroup({
        appId: "engine-app",
        groupName: "console-group",
        phoneName: "consolephone",
        quantity: 2,
        displayNum: "8610000000",
      });
      const adopted = new EngineResource(await host(), urn(GROUP, "adopted"));
      const inputs = groupInputs({
        groupName: "console-group",
        phoneName: "consolephone",
        adopt: true,
        namePrefix: "adopted",
      });
      expect(await adopted.up(inputs)).toBe("create");
      expect(emulator.counters().sipAdd).toBe(0);
      const outputs = adopted.state?.outputs as Props;
      expect(reveal(outputs["passwords"])).toEqual(live("engine-app", "console-group"));
      expect(Object.keys(outputs).sort()).toEqual(
        Object.keys(office.state?.outputs ?? {})
          .filter((k) => k !== "resetTriggers")
          .concat("adopt")
          .sort(),
      );
      expect(adopted.state?.id).toBe("engine-app/console-group");
    });
  });

  it("7. refresh reports an out-of-band reset, and drops a group removed on the platform", async () => {
    await scenario("7. refresh: drift and removal", async () => {
      const outputs = office.state?.outputs as Props;
      const account = (outputs["accounts"] as string[])[0] as string;
      const fresh = emulator.resetPasswordOutOfBand("engine-app", account);
      office = Object.assign(new EngineResource(await host(), office.urn), { state: office.state });
      expect(await office.refresh()).toBe("changed");
      expect((reveal(office.state?.outputs["passwords"]) as Record<string, string>)[account]).toBe(fresh);
      expect(await office.preview(groupInputs({ resetTriggers: [1], quantity: 3 }))).toBe("same");

      const doomed = new EngineResource(await host(), urn(GROUP, "doomed"));
      await doomed.up(groupInputs({ namePrefix: "doomed" }));
      emulator.removeGroup("engine-app", doomed.state?.outputs["groupName"] as string);
      const refresher = Object.assign(new EngineResource(await host(), doomed.urn), { state: doomed.state });
      expect(await refresher.refresh()).toBe("deleted");
      expect(refresher.state).toBeUndefined();
    });
  });

  it("8. a reset failing midway keeps every password the platform has; the next up converges", async () => {
    await scenario("8. partial rotation, then converge", async () => {
      const news = groupInputs({ resetTriggers: [2], quantity: 3 });
      emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 2 });
      const error = await office.up(news).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InitFailedError);
      expect((error as InitFailedError).reasons[0]).toMatch(/2 of 3 password resets failed/);
      const kept = office.state as { outputs: Props; initErrors: string[] };
      expect(kept.initErrors).toHaveLength(1);
      expect(kept.outputs["__provider"]).toBe(providers.get(GROUP));
      expect(isSecret(kept.outputs["passwords"])).toBe(true);
      expect(reveal(kept.outputs["passwords"])).toEqual(live("engine-app", kept.outputs["groupName"]));
      expect(kept.outputs["resetTriggers"]).toEqual([1]);
      expect(await office.up(news)).toBe("update");
      const outputs = office.state?.outputs as Props;
      expect(reveal(outputs["passwords"])).toEqual(live("engine-app", outputs["groupName"]));
      expect(outputs["resetTriggers"]).toEqual([2]);
      expect(office.state?.initErrors).toEqual([]);
    });
  });

  it("9. destroy revokes every password and warns; no error", async () => {
    await scenario("9. destroy", async () => {
      const outputs = office.state?.outputs as Props;
      const before = reveal(outputs["passwords"]) as Record<string, string>;
      await office.destroy();
      const after = live("engine-app", outputs["groupName"]);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
      expect(
        await office.host.waitForOutput(/warning: SipPhoneGroup .*stay on the platform.*retainOnDelete/),
      ).toMatch(/warning: SipPhoneGroup .*stay on the platform.*retainOnDelete/);
    });
  });
});

describe("SipPhonePassword through the real provider host", () => {
  it("10. create, trigger change, delete", async () => {
    await scenario("10. SipPhonePassword lifecycle", async () => {
      emulator.seedGroup({
        appId: "engine-app",
        groupName: "desk-group",
        phoneName: "deskphone",
        quantity: 1,
        displayNum: "8610000000",
      });
      const desk = new EngineResource(await host(), urn(PASSWORD, "desk"));
      const inputs = {
        appId: "engine-app",
        account: "deskphone_001",
        triggers: [1],
        __provider: providers.get(PASSWORD),
      };
      expect(await desk.up(inputs)).toBe("create");
      const first = reveal(desk.state?.outputs["password"]);
      expect(isSecret(desk.state?.outputs["password"])).toBe(true);
      expect(first).toBe(live("engine-app", "desk-group")["deskphone_001"]);
      expect(await desk.up(inputs)).toBe("same");
      expect(await desk.up({ ...inputs, triggers: [2] })).toBe("update");
      expect(reveal(desk.state?.outputs["password"])).not.toBe(first);
      expect(reveal(desk.state?.outputs["password"])).toBe(live("engine-app", "desk-group")["deskphone_001"]);
      await desk.destroy();
      expect(
        await desk.host.waitForOutput(
          /SipPhonePassword engine-app\/deskphone_001: nothing was changed on the platform/,
        ),
      ).toMatch(/SipPhonePassword engine-app\/deskphone_001: nothing was changed on the platform/);
      expect(emulator.counters().sipReset).toBe(2);
    });
  });
});

describe("secrets across every scenario", () => {
  it("host output, returned structs and errors hold no API secret, Sign or password outside a secret", () => {
    scan.addCredentials(CREDENTIALS, startedAt - 5, Math.floor(Date.now() / 1000) + 5);
    const texts = hosts.flatMap((h) => [
      h.output(),
      ...h.transcript.map((t) => {
        try {
          return outsideSecrets(JSON.parse(t));
        } catch {
          return t;
        }
      }),
    ]);
    expect(texts.join("").length).toBeGreaterThan(1000);
    const leaks = texts.flatMap((t) => scan.find(t).map((what) => `${what}: ${t.slice(0, 200)}`));
    expect(leaks).toEqual([]);
    // And the passwords really are in the structs, inside secrets: the scan can see them.
    expect(hosts.some((h) => h.transcript.some((t) => scan.find(t).length > 0))).toBe(true);
  });

  it("prints the API calls of each scenario", () => {
    const table = [
      "| scenario | sipAdd | sipQuery | sipReset |",
      "|---|---:|---:|---:|",
      ...calls.map((c) => `| ${c.scenario} | ${c.sipAdd} | ${c.sipQuery} | ${c.sipReset} |`),
    ].join("\n");
    process.stdout.write(`\n${table}\n`);
    expect(calls).toHaveLength(10);
  });
});
