/**
 * Scheduled rotation against the emulator (real HTTP on port 0), on an injected
 * clock: what each update does on the platform, counted from the emulator. The
 * engine calls `update` when diff reports a change, or to retry a resource with an
 * init error; both are driven here as the engine drives them.
 */
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { sipPhoneGroupProvider as groups, sipPhonePasswordProvider as passwords } from "../../provider";
import { setClock } from "../../provider/clock";
import { resetConfiguration } from "../../provider/config";
import { directory } from "../../provider/directory";
import { PartialFailure } from "../../provider/partial";
import { isSecret, reveal } from "../../provider/secrets";
import { configureProvider } from "../helpers/config";

type Props = Record<string, unknown>;

const T0 = Date.parse("2026-01-01T00:00:00.000Z");
const DAY = 86_400_000;
let clock = T0;
let emulator: Emulator;
let unique = 0;
const logs: string[] = [];

function group(extra: Props = {}): Props {
  unique++;
  return {
    appId: `rot-app-${unique}`,
    groupName: `rot-group-${unique}`,
    phoneName: `rotphone${unique}`,
    quantity: 3,
    displayNum: "8610000000",
    namePrefix: "office",
    __provider: "provider text",
    ...extra,
  };
}

/** What the engine sends back: secrets stripped (the host does not accept secrets). */
const bare = (outs: unknown): Props => reveal(outs) as Props;
const iso = (ms: number) => new Date(ms).toISOString();

function platform(inputs: Props): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(inputs["appId"] as string)
      .filter((p) => p.groupName === inputs["groupName"])
      .map((p) => [p.account, p.password]),
  );
}

/** One `pulumi up` of an existing group: diff, then update when diff (or an init error) asks for it. */
async function up(id: string, olds: Props, news: Props, initError = false): Promise<Props | "same"> {
  const diff = await groups.diff(id, olds, news);
  if (!diff.changes && !initError) return "same";
  expect(diff.replaces).toEqual([]);
  return (await groups.update(id, olds, news)).outs as Props;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS);
  setClock(() => clock);
});
afterAll(async () => {
  setClock(undefined);
  resetConfiguration();
  await emulator.close();
});
let log: jest.SpyInstance;
beforeEach(() => {
  clock = T0;
  emulator.clearFaults();
  emulator.resetCounters();
  logs.length = 0;
  log = jest.spyOn(console, "log").mockImplementation((m: unknown) => void logs.push(String(m)));
});
afterEach(() => log.mockRestore());

describe("SipPhoneGroup: passwordsSetAt", () => {
  it("create records the time of the sipAdd; a refresh keeps it", async () => {
    const inputs = group({ rotateAfter: "90d" });
    const { id, outs } = await groups.create(inputs);
    expect(outs).toMatchObject({ rotateAfter: "90d", passwordsSetAt: iso(T0) });
    expect(outs).not.toHaveProperty("lastResetAt");
    clock = T0 + DAY;
    directory.clear();
    const read = await groups.read(id, bare(outs));
    expect(read.props).toMatchObject({ passwordsSetAt: iso(T0) });
    expect(read.inputs).toMatchObject({ rotateAfter: "90d" });
  });

  it("adoption records the time of the takeover (the passwords' real age is unknown to the provider)", async () => {
    const inputs = group({ adopt: true, rotateAfter: "90d" });
    emulator.seedGroup({
      appId: inputs["appId"] as string,
      groupName: inputs["groupName"] as string,
      phoneName: inputs["phoneName"] as string,
      quantity: 3,
      displayNum: "8610000000",
    });
    clock = T0 + 5 * DAY;
    const { outs } = await groups.create(inputs);
    expect(emulator.counters().sipAdd).toBe(0);
    expect(outs["passwordsSetAt"]).toBe(iso(T0 + 5 * DAY));
  });
});

describe("SipPhoneGroup: a due rotation", () => {
  it("one second before: no change, no call; at the instant: every password reset, 0 sipAdd, logged", async () => {
    const inputs = group({ rotateAfter: "90d" });
    const { id, outs } = await groups.create(inputs);
    const before = reveal(outs["passwords"]) as Record<string, string>;
    emulator.resetCounters();

    clock = T0 + 90 * DAY - 1000;
    expect(await up(id, bare(outs), inputs)).toBe("same");
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    expect(logs).toEqual([]);

    clock = T0 + 90 * DAY;
    const after = (await up(id, bare(outs), inputs)) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 3 });
    expect(isSecret(after["passwords"])).toBe(true);
    const rotated = reveal(after["passwords"]) as Record<string, string>;
    for (const account of Object.keys(before)) expect(rotated[account]).not.toBe(before[account]);
    expect(rotated).toEqual(platform(inputs));
    expect(after).toMatchObject({ passwordsSetAt: iso(clock), lastResetAt: iso(clock), rotateAfter: "90d" });
    const since = `rotation due since ${iso(T0 + 90 * DAY)} (passwords set ${iso(T0)})`;
    expect(logs).toEqual([
      `SipPhoneGroup ${id}: ${since}; \`pulumi up\` resets every password`,
      `SipPhoneGroup ${id}: ${since}; resetting every password`,
    ]);

    // The next period counts from the rotation.
    logs.length = 0;
    clock += 90 * DAY - 1000;
    expect(await up(id, bare(after), inputs)).toBe("same");
    expect(logs).toEqual([]);
  });

  it("a trigger change and a due rotation together: one rotation", async () => {
    const inputs = group({ rotateAfter: "1d", resetTriggers: [1] });
    const { id, outs } = await groups.create(inputs);
    emulator.resetCounters();
    clock = T0 + 2 * DAY;
    const after = (await up(id, bare(outs), { ...inputs, resetTriggers: [2] })) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 3 });
    expect(after).toMatchObject({ resetTriggers: [2], passwordsSetAt: iso(clock) });
  });

  it("a rotation failing part-way keeps the OLD passwordsSetAt (and lastResetAt): still due, the next up finishes it", async () => {
    const inputs = group({ rotateAfter: "1d" });
    const { id, outs } = await groups.create(inputs);
    clock = T0 + DAY;
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 1 });
    const error = (await up(id, bare(outs), inputs).catch((e: unknown) => e)) as PartialFailure;
    expect(error).toBeInstanceOf(PartialFailure);
    expect(error.properties["passwordsSetAt"]).toBe(iso(T0));
    expect(error.properties).not.toHaveProperty("lastResetAt");
    expect(reveal(error.properties["passwords"])).toEqual(platform(inputs));

    clock += 60_000;
    expect((await groups.diff(id, bare(error.properties), inputs)).changes).toBe(true);
    emulator.resetCounters();
    const done = (await up(id, bare(error.properties), inputs, true)) as Props;
    expect(emulator.counters().sipReset).toBe(3);
    expect(done["passwordsSetAt"]).toBe(iso(clock));
    expect(reveal(done["passwords"])).toEqual(platform(inputs));
  });
});

describe("SipPhoneGroup: a change of rotateAfter", () => {
  it("alone, not due: the state records it; nothing reset, no API call at all", async () => {
    const inputs = group({ rotateAfter: "90d" });
    const { id, outs } = await groups.create(inputs);
    emulator.resetCounters();
    clock = T0 + 10 * DAY;
    const after = (await up(id, bare(outs), { ...inputs, rotateAfter: "30d" })) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    expect(after).toMatchObject({ rotateAfter: "30d", passwordsSetAt: iso(T0) });
    expect(isSecret(after["passwords"])).toBe(true);
    expect(reveal(after["passwords"])).toEqual(reveal(outs["passwords"]));
    expect(after["accounts"]).toEqual(outs["accounts"]);
    expect(logs).toEqual([]);
    // Removing it: the same.
    const removed = (await up(id, bare(after), inputs)) as Props;
    expect(removed).toMatchObject({ rotateAfter: "90d", passwordsSetAt: iso(T0) });
    const { rotateAfter: _, ...without } = inputs;
    expect(await up(id, bare(removed), without)).not.toHaveProperty("rotateAfter");
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });

  it("to a period already over: a rotation", async () => {
    const inputs = group({ rotateAfter: "90d" });
    const { id, outs } = await groups.create(inputs);
    emulator.resetCounters();
    clock = T0 + 10 * DAY;
    const after = (await up(id, bare(outs), { ...inputs, rotateAfter: "7d" })) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 3 });
    expect(after).toMatchObject({ rotateAfter: "7d", passwordsSetAt: iso(clock) });
    expect(logs[1]).toMatch(`rotation due since ${iso(T0 + 7 * DAY)}`);
  });

  it("set on a group whose state predates passwordsSetAt and never rotated: rotated at the next up", async () => {
    const inputs = group();
    const { id, outs } = await groups.create(inputs);
    const { passwordsSetAt: _, ...legacy } = bare(outs);
    emulator.resetCounters();
    const after = (await up(id, legacy, { ...inputs, rotateAfter: "90d" })) as Props;
    expect(emulator.counters().sipReset).toBe(3);
    expect(after["passwordsSetAt"]).toBe(iso(clock));
    expect(logs[0]).toMatch(/rotation due: the state does not record when the passwords were set/);
  });

  it("set on an older state rotated recently: counts from its lastResetAt, nothing reset", async () => {
    const inputs = group();
    const { id, outs } = await groups.create(inputs);
    const { passwordsSetAt: _, ...older } = bare(outs);
    const legacy = { ...older, lastResetAt: iso(T0 - DAY) };
    emulator.resetCounters();
    const after = (await up(id, legacy, { ...inputs, rotateAfter: "90d" })) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    expect(after).toMatchObject({ rotateAfter: "90d", lastResetAt: iso(T0 - DAY) });
  });
});

describe("SipPhoneGroup: an engine retry (init error) is still a retry", () => {
  it("no change at all: the platform is read (converge), nothing reset, passwordsSetAt kept", async () => {
    const inputs = group({ rotateAfter: "90d" });
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-1", times: 1 });
    const error = (await groups.create(inputs).catch((e: unknown) => e)) as PartialFailure;
    expect(error).toBeInstanceOf(PartialFailure);
    expect(error.properties["passwordsSetAt"]).toBe(iso(T0));
    emulator.resetCounters();
    clock = T0 + DAY;
    const outs = (await up(error.id, bare(error.properties), inputs, true)) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expect(reveal(outs["passwords"])).toEqual(platform(inputs));
    expect(outs["passwordsSetAt"]).toBe(iso(T0));
  });

  it("with a rotateAfter change too: a state that is not whole is still read back, never just rescheduled", async () => {
    const inputs = group({ rotateAfter: "90d" });
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-1", times: 1 });
    const error = (await groups.create(inputs).catch((e: unknown) => e)) as PartialFailure;
    emulator.resetCounters();
    const outs = (await up(
      error.id,
      bare(error.properties),
      { ...inputs, rotateAfter: "30d" },
      true,
    )) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expect(outs["accounts"]).toHaveLength(3);
    expect(reveal(outs["passwords"])).toEqual(platform(inputs));
    expect(outs).toMatchObject({ rotateAfter: "30d", passwordsSetAt: iso(T0) });
  });
});

describe("SipPhonePassword", () => {
  let appId: string;
  let accounts: string[];

  beforeAll(async () => {
    const inputs = group();
    appId = inputs["appId"] as string;
    accounts = ((await groups.create(inputs)).outs["accounts"] as string[]) ?? [];
  });

  /** `pulumi up` of an existing password: diff, then update when it reports a change. */
  async function upPassword(id: string, olds: Props, news: Props): Promise<Props | "same"> {
    const diff = await passwords.diff(id, olds, news);
    if (!diff.changes) return "same";
    return (await passwords.update(id, olds, news)).outs as Props;
  }

  it("create records passwordSetAt; due at the instant, not a second before; a rotateAfter change alone calls nothing", async () => {
    const account = accounts[0] as string;
    const inputs = { appId, account, rotateAfter: "2s" };
    const { id, outs } = await passwords.create(inputs);
    expect(outs).toMatchObject({ rotateAfter: "2s", passwordSetAt: iso(T0) });
    emulator.resetCounters();

    clock = T0 + 1000;
    expect(await upPassword(id, bare(outs), inputs)).toBe("same");
    clock = T0 + 2000;
    const after = (await upPassword(id, bare(outs), inputs)) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 1 });
    expect(isSecret(after["password"])).toBe(true);
    expect(reveal(after["password"])).not.toBe(reveal(outs["password"]));
    expect(after["passwordSetAt"]).toBe(iso(clock));
    expect(logs[1]).toBe(
      `SipPhonePassword ${id}: rotation due since ${iso(T0 + 2000)} (passwords set ${iso(T0)}); resetting the password`,
    );

    emulator.resetCounters();
    const longer = (await upPassword(id, bare(after), { ...inputs, rotateAfter: "30d" })) as Props;
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    expect(longer).toMatchObject({ rotateAfter: "30d", passwordSetAt: iso(clock) });
    expect(reveal(longer["password"])).toBe(reveal(after["password"]));

    clock += DAY;
    directory.clear();
    const read = await passwords.read(id, bare(longer));
    expect(read.props).toMatchObject({ passwordSetAt: iso(T0 + 2000) });
  });

  it("a state without passwordSetAt and a new rotateAfter: reset at the next up", async () => {
    const account = accounts[1] as string;
    const { id, outs } = await passwords.create({ appId, account });
    const { passwordSetAt: _, ...legacy } = bare(outs);
    emulator.resetCounters();
    const after = (await upPassword(id, legacy, { appId, account, rotateAfter: "30d" })) as Props;
    expect(emulator.counters().sipReset).toBe(1);
    expect(after["passwordSetAt"]).toBe(iso(clock));
  });
});
