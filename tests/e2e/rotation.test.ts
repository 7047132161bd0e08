/**
 * Scheduled rotation through Pulumi's real dynamic-provider host, driven over gRPC
 * as the engine drives it (tests/helpers/engine.ts), on the real clock: a resource
 * created with `rotateAfter: "2s"` is unchanged in a preview at once, is an update
 * in a preview 3 s later, and `up` then resets every password with no sipAdd. The
 * inputs are the fixture program's (tests/fixtures/engine), edited as a program edit
 * would; each command starts a new host, as `pulumi` does. Judged from the emulator.
 *
 * Prints the run's figures: when each step ran (ms after the passwords were set),
 * what the engine decided, and the API calls the emulator counted.
 */
import type { Emulator } from "../../emulator";
import type { EngineResource, Operation } from "../helpers/engine";
import { FixtureStack } from "../helpers/fixture";
import type { DiffResult, Host } from "../helpers/host";
import { CanaryScan, scanHosts } from "../helpers/leaks";
import { isSecret, reveal, type Props } from "../helpers/values";

const CREDENTIALS = { apiKey: "rotate-key-3f0", apiSecret: "RotateCanarySecret-9b4" };
const APP = "engine-app";

let stack: FixtureStack;
let emulator: Emulator;
const figures: string[] = [];
let canaries = "";
const scan = new CanaryScan();
const startedAt = Math.floor(Date.now() / 1000);

/** A new configured host process: one `pulumi` command. */
const host = (): Promise<Host> => stack.host();
const declared = (name: string, edit: Props): Props => stack.declared(name, edit);
const resource = (on: Host, name: string): EngineResource => stack.resource(on, name);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Runs one command and records a row of figures: ms after `setAt`, the engine's
 * decision, the diff's answer and the emulator's counters for that command alone.
 */
async function step(
  name: string,
  setAt: number | undefined,
  r: EngineResource,
  run: (r: EngineResource) => Promise<Operation>,
  diffOf: (r: EngineResource) => DiffResult | undefined = (e) => e.plan?.diff,
): Promise<{ operation: Operation; calls: ReturnType<Emulator["counters"]> }> {
  emulator.resetCounters();
  const began = Date.now();
  const operation = await run(r);
  const calls = emulator.counters();
  for (const phone of emulator.phones()) scan.add("password", phone.password);
  const diff = diffOf(r);
  const offset = setAt === undefined ? "—" : `${began - setAt}`;
  figures.push(
    `| ${name} | ${offset} | ${operation} | ${diff ? `${diff.changes}, replaces [${diff.replaces.join(", ")}]` : "—"} | ` +
      `${calls.sipAdd} | ${calls.sipQuery} | ${calls.sipReset} |`,
  );
  return { operation, calls };
}

function platform(filter: (p: { groupName: string; account: string }) => boolean): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(APP)
      .filter(filter)
      .map((p) => [p.account, p.password]),
  );
}

beforeAll(async () => {
  stack = await FixtureStack.start(CREDENTIALS);
  emulator = stack.emulator;
});

afterAll(async () => {
  await stack?.close();
  console.log(
    [
      'rotateAfter: "2s" through the real dynamic-provider host (ms after the passwords were set; emulator counters per command):',
      "| step | at ms | engine | diff | sipAdd | sipQuery | sipReset |",
      "|---|---:|---|---|---:|---:|---:|",
      ...figures,
      canaries,
    ].join("\n"),
  );
});

describe('SipPhoneGroup with rotateAfter: "2s"', () => {
  let office: EngineResource;
  let setAt = 0;
  const news = () => declared("office", { rotateAfter: "2s" });

  let before: Record<string, string> = {};
  let since = "";

  it("is unchanged in a preview at once, and an update in a preview 3 s later (no API call)", async () => {
    // The hosts of the next commands start beforehand (one at a time: the machine is
    // small), so that "at once" and "3 s later" are not a process start later.
    const createHost = await host();
    const atOnceHost = await host();
    const laterHost = await host();
    office = resource(createHost, "office");
    const created = await step("group: up (create)", undefined, office, (r) => r.up(news()));
    expect(created).toMatchObject({ operation: "create", calls: { sipAdd: 1, sipReset: 0 } });
    const outputs = office.state?.outputs as Props;
    expect(outputs["rotateAfter"]).toBe("2s");
    setAt = Date.parse(outputs["passwordsSetAt"] as string);
    expect(setAt).toBeGreaterThan(startedAt * 1000);
    before = reveal(outputs["passwords"]) as Record<string, string>;

    const atOnce = office.inHost(atOnceHost);
    const first = await step("group: preview at once", setAt, atOnce, (r) => r.preview(news()));
    expect(first.operation).toBe("same");
    expect(atOnce.plan?.diff?.changes).toBe("none");
    expect(first.calls).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });

    await sleep(setAt + 3000 - Date.now());
    const later = office.inHost(laterHost);
    const second = await step("group: preview 3 s later", setAt, later, (r) => r.preview(news()));
    expect(second.operation).toBe("update");
    expect(later.plan?.diff).toMatchObject({ changes: "some", replaces: [] });
    expect(second.calls).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    since = new Date(setAt + 2000).toISOString();
    await laterHost.waitForOutput(
      new RegExp(
        `SipPhoneGroup ${office.state?.id}: rotation due since ${since}.*pulumi up. resets every password`,
      ),
    );
  });

  it("the nightly drift job's refresh shows the due rotation as a change, and changes nothing", async () => {
    const refreshing = office.inHost(await host());
    const refreshed = async (r: EngineResource): Promise<Operation> => {
      await r.refresh();
      return r.lastRefresh?.shown === "update" ? "update" : "same";
    };
    await step("group: refresh (drift job)", setAt, refreshing, refreshed, (r) => r.lastRefresh?.diff);
    expect(refreshing.lastRefresh?.shown).toBe("update");
    expect(refreshing.state?.outputs["passwordsSetAt"]).toBe(new Date(setAt).toISOString());
    expect(reveal(refreshing.state?.outputs["passwords"])).toEqual(before);
    await refreshing.host.waitForOutput(new RegExp(`rotation due since ${since}`));
  });

  it("up then resets every password with 0 sipAdd, logs why, and a preview right after is unchanged", async () => {
    const upHost = await host();
    const afterHost = await host();
    office = office.inHost(upHost);
    const rotated = await step("group: up (rotation)", setAt, office, (r) => r.up(news()));
    expect(rotated.operation).toBe("update");
    expect(rotated.calls).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 2 });
    const state = office.state?.outputs as Props;
    expect(isSecret(state["passwords"])).toBe(true);
    const after = reveal(state["passwords"]) as Record<string, string>;
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
    expect(after).toEqual(platform((p) => p.groupName === state["groupName"]));
    const setAgain = Date.parse(state["passwordsSetAt"] as string);
    expect(setAgain).toBeGreaterThanOrEqual(setAt + 3000);
    expect(state["lastResetAt"]).toBe(state["passwordsSetAt"]);
    await upHost.waitForOutput(new RegExp(`rotation due since ${since}.*resetting every password`));

    const next = office.inHost(afterHost);
    const third = await step("group: preview after the up", setAgain, next, (r) => r.preview(news()));
    expect(third.operation).toBe("same");
    setAt = setAgain;
  });

  it("a rotateAfter change alone is an update that resets nothing and calls no API", async () => {
    const previewHost = await host();
    const upHost = await host();
    const longer = declared("office", { rotateAfter: "1d" });
    const before = office.state?.outputs as Props;
    const preview = office.inHost(previewHost);
    expect(
      (await step('group: preview "2s" → "1d"', setAt, preview, (r) => r.preview(longer))).operation,
    ).toBe("update");
    office = office.inHost(upHost);
    const changed = await step('group: up "2s" → "1d"', setAt, office, (r) => r.up(longer));
    expect(changed).toEqual({ operation: "update", calls: { sipAdd: 0, sipQuery: 0, sipReset: 0 } });
    const state = office.state?.outputs as Props;
    expect(state["rotateAfter"]).toBe("1d");
    expect(state["passwordsSetAt"]).toBe(before["passwordsSetAt"]);
    expect(reveal(state["passwords"])).toEqual(reveal(before["passwords"]));
    expect(isSecret(state["passwords"])).toBe(true);
  });
});

describe('SipPhonePassword with rotateAfter: "2s"', () => {
  it("is unchanged in a preview at once, an update 3 s later; up resets the password with 0 sipAdd", async () => {
    stack.seedDeskGroup();
    const news = declared("desk", { rotateAfter: "2s" });
    const createHost = await host();
    const atOnceHost = await host();
    const laterHost = await host();
    let desk = resource(createHost, "desk");
    const created = await step("password: up (create)", undefined, desk, (r) => r.up(news));
    expect(created).toMatchObject({ operation: "create", calls: { sipAdd: 0, sipReset: 1 } });
    const outputs = desk.state?.outputs as Props;
    const setAt = Date.parse(outputs["passwordSetAt"] as string);
    const first = reveal(outputs["password"]);

    const atOnce = desk.inHost(atOnceHost);
    expect((await step("password: preview at once", setAt, atOnce, (r) => r.preview(news))).operation).toBe(
      "same",
    );

    await sleep(setAt + 3000 - Date.now());
    const later = desk.inHost(laterHost);
    const second = await step("password: preview 3 s later", setAt, later, (r) => r.preview(news));
    expect(second).toEqual({ operation: "update", calls: { sipAdd: 0, sipQuery: 0, sipReset: 0 } });
    await laterHost.waitForOutput(
      /SipPhonePassword engine-app\/deskphone_001: rotation due since .*pulumi up. resets the password/,
    );

    desk = desk.inHost(await host());
    const rotated = await step("password: up (rotation)", setAt, desk, (r) => r.up(news));
    expect(rotated).toEqual({ operation: "update", calls: { sipAdd: 0, sipQuery: 0, sipReset: 1 } });
    const state = desk.state?.outputs as Props;
    expect(isSecret(state["password"])).toBe(true);
    expect(reveal(state["password"])).not.toBe(first);
    expect(reveal(state["password"])).toBe(platform((p) => p.account === "deskphone_001")["deskphone_001"]);
    expect(Date.parse(state["passwordSetAt"] as string)).toBeGreaterThanOrEqual(setAt + 3000);
  });
});

describe("secrets across the rotation scenarios", () => {
  it("host output and answers hold no API secret, Sign or password outside a secret: 0 findings", () => {
    const { texts, leaks, passwordsSeen } = scanHosts(scan, stack.hosts, CREDENTIALS, startedAt);
    expect(texts.join("")).toMatch(/rotation due since/);
    canaries = `canary scan: ${scan.size} needles over ${texts.length} texts, ${leaks.length} findings`;
    expect(leaks).toEqual([]);
    expect(passwordsSeen).toBe(true);
  });
});
