import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { post } from "../helpers/raw";

let emulator: Emulator;
let n = 0;
const fresh = (quantity = 2) => ({
  appId: `helpers-${++n}`,
  groupName: `group-${n}`,
  phoneName: `phone${n}`,
  quantity,
  displayNum: "8610000000",
});
const records = async (appId: string) =>
  (
    (await post(emulator.baseUrl, "sipQuery", { size: 100, params: { appId } })).data as {
      records: Array<{ groupName: string; account: string; password: string }>;
    }
  ).records;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

describe("inspection helpers", () => {
  it("counters() counts every API request per endpoint, rejected ones included; resetCounters() zeroes them", async () => {
    emulator.resetCounters();
    await post(emulator.baseUrl, "sipAdd", fresh());
    await post(emulator.baseUrl, "sipAdd", "{not json");
    await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } }, { apiKey: "nobody" });
    await post(emulator.baseUrl, "sipReset", { appId: "x", account: "nobody_001" });
    await post(emulator.baseUrl, "sipNothing", {});
    expect(emulator.counters()).toEqual({ sipAdd: 2, sipQuery: 1, sipReset: 1 });
    emulator.resetCounters();
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });

  it("requests() logs endpoint, status, HTTP status, duration and time for each call, newest last", async () => {
    const group = fresh();
    await post(emulator.baseUrl, "sipAdd", group);
    await post(emulator.baseUrl, "sipAdd", group);
    const [first, second] = emulator.requests().slice(-2);
    expect(first).toMatchObject({
      endpoint: "sipAdd",
      subject: group.groupName,
      status: "0",
      httpStatus: 200,
    });
    expect(second).toMatchObject({ endpoint: "sipAdd", status: "-20", httpStatus: 200 });
    expect(typeof first?.durationMs).toBe("number");
    expect(Date.parse(first?.at ?? "")).not.toBeNaN();
  });

  it("seedGroup() creates a group out of band: sipQuery lists it and its names are taken", async () => {
    emulator.resetCounters();
    const group = fresh(3);
    const seeded = emulator.seedGroup(group);
    expect(seeded.map((p) => p.account)).toEqual([
      `${group.phoneName}_001`,
      `${group.phoneName}_002`,
      `${group.phoneName}_003`,
    ]);
    expect(emulator.counters().sipAdd).toBe(0);
    expect((await records(group.appId)).map((r) => r.password)).toEqual(seeded.map((p) => p.password));
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("-20");
    expect(() => emulator.seedGroup({ ...group, groupName: "another-group" })).toThrow(/taken/);
    expect(emulator.groups(group.appId)).toEqual([
      { groupName: group.groupName, phoneName: group.phoneName, displayNum: group.displayNum, quantity: 3 },
    ]);
  });

  it("resetPasswordOutOfBand() changes the password sipQuery returns, and refuses an unknown account", async () => {
    const group = fresh(1);
    const [phone] = emulator.seedGroup(group);
    const password = emulator.resetPasswordOutOfBand(group.appId, `${group.phoneName}_001`);
    expect(password).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(password).not.toBe(phone?.password);
    expect((await records(group.appId))[0]?.password).toBe(password);
    expect(() => emulator.resetPasswordOutOfBand(group.appId, "nobody_001")).toThrow(/no account/);
  });

  it("removeGroup() makes a group vanish from sipQuery and sipReset, and frees its names", async () => {
    const group = fresh(2);
    const other = { ...fresh(1), appId: group.appId };
    emulator.seedGroup(group);
    emulator.seedGroup(other);
    expect(emulator.removeGroup(group.appId, group.groupName)).toBe(2);
    expect((await records(group.appId)).map((r) => r.groupName)).toEqual([other.groupName]);
    expect(
      (await post(emulator.baseUrl, "sipReset", { appId: group.appId, account: `${group.phoneName}_001` }))
        .status,
    ).toBe("-24");
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("0");
    expect(emulator.removeGroup(group.appId, "no-such-group")).toBe(0);
  });

  it("phones() is the operator's view: every application, or one", () => {
    const a = fresh(1);
    const b = fresh(1);
    emulator.seedGroup(a);
    emulator.seedGroup(b);
    expect(emulator.phones(a.appId).map((p) => p.account)).toEqual([`${a.phoneName}_001`]);
    const all = emulator.phones().map((p) => p.account);
    expect(all).toEqual(expect.arrayContaining([`${a.phoneName}_001`, `${b.phoneName}_001`]));
  });

  it("reset() wipes phones, faults, counters and the log", async () => {
    const other = await startEmulator({ port: 0 });
    try {
      other.seedGroup(fresh(1));
      other.inject({ kind: "drop" });
      await post(other.baseUrl, "sipQuery", { params: { appId: "x" } }).catch(() => undefined);
      await other.reset();
      expect([other.phones(), other.faults(), other.requests(), other.counters()]).toEqual([
        [],
        [],
        [],
        { sipAdd: 0, sipQuery: 0, sipReset: 0 },
      ]);
    } finally {
      await other.close();
    }
  });
});

describe("options", () => {
  it.each<[string, EmulatorOptions, RegExp]>([
    ["a negative port", { port: -1 }, /port must be/],
    ["a fractional port", { port: 1.5 }, /port must be/],
    ["no credentials", { credentials: [] }, /non-empty array/],
    ["an empty apiKey", { credentials: [{ apiKey: "", apiSecret: "s" }] }, /non-empty apiKey/],
    ["an empty apiSecret", { credentials: [{ apiKey: "k", apiSecret: "" }] }, /non-empty apiKey/],
    [
      "a key listed twice",
      {
        credentials: [
          { apiKey: "k", apiSecret: "s1" },
          { apiKey: "k", apiSecret: "s2" },
        ],
      },
      /listed twice/,
    ],
    ["a negative window", { timestampWindowSeconds: -1 }, /timestampWindowSeconds/],
    ["a NaN window", { timestampWindowSeconds: Number.NaN }, /timestampWindowSeconds/],
    ["a fractional cap", { maxPhonesPerApp: 2.5 }, /maxPhonesPerApp/],
    ["allowedIps not a list", { allowedIps: "127.0.0.1" as unknown as string[] }, /allowedIps/],
    ["an infinite seed", { seed: Number.POSITIVE_INFINITY }, /seed/],
  ])("%s is refused with a readable error", async (_what, options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it("several credential pairs are accepted side by side", async () => {
    const two = await startEmulator({
      port: 0,
      credentials: [
        { apiKey: "k1", apiSecret: "s1" },
        { apiKey: "k2", apiSecret: "s2" },
      ],
    });
    try {
      const query = { params: { appId: "x" } };
      expect((await post(two.baseUrl, "sipQuery", query, { apiKey: "k1", apiSecret: "s1" })).status).toBe(
        "0",
      );
      expect((await post(two.baseUrl, "sipQuery", query, { apiKey: "k2", apiSecret: "s2" })).status).toBe(
        "0",
      );
      expect((await post(two.baseUrl, "sipQuery", query, { apiKey: "k1", apiSecret: "s2" })).status).toBe(
        "-1",
      );
    } finally {
      await two.close();
    }
  });

  it("maxPhonesPerApp: 0 refuses every sipAdd with -23", async () => {
    const capped = await startEmulator({ port: 0, maxPhonesPerApp: 0 });
    try {
      expect((await post(capped.baseUrl, "sipAdd", fresh(1))).status).toBe("-23");
    } finally {
      await capped.close();
    }
  });
});
