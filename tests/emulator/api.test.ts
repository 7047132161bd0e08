import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { unixSeconds } from "../../protocol/signing";
import { post } from "./raw";

let emulator: Emulator;
let n = 0;
const fresh = () => ({
  appId: `api-${++n}`,
  groupName: `group-${n}`,
  phoneName: `phone${n}`,
  quantity: 2,
  displayNum: "8610000000",
});

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, maxPhonesPerApp: 60 });
});
afterAll(() => emulator.close());

describe("authentication", () => {
  // Timestamps are computed when each test runs (a table is built earlier, at load),
  // and well outside the ±300 s window, so a slow machine cannot bring them back in.
  const now = () => Number(unixSeconds());
  it.each([
    ["a wrong Sign", () => ({ headers: { Sign: "0".repeat(32) } }), "-1"],
    ["an unknown key", () => ({ apiKey: "nobody" }), "-1"],
    ["a wrong secret", () => ({ apiSecret: "not-the-secret" }), "-1"],
    ["a stale timestamp", () => ({ timestamp: String(now() - 360) }), "-16"],
    ["a future timestamp", () => ({ timestamp: String(now() + 360) }), "-16"],
    ["a 9-digit timestamp", () => ({ timestamp: "163046880" }), "-16"],
    ["an 11-digit timestamp", () => ({ timestamp: "16304688000" }), "-16"],
    ["a millisecond timestamp", () => ({ timestamp: String(Date.now()) }), "-16"],
    ["a non-numeric timestamp", () => ({ timestamp: "16304688a0" }), "-16"],
  ])("%s -> %s with HTTP 200", async (_what, options, status) => {
    const reply = await post(
      emulator.baseUrl,
      "sipQuery",
      { current: 1, size: 10, params: { appId: "x" } },
      options(),
    );
    expect([reply.httpStatus, reply.status]).toEqual([200, status]);
    expect(reply.data).toBeNull();
  });

  it("accepts a timestamp at the edge of the window", async () => {
    const reply = await post(
      emulator.baseUrl,
      "sipQuery",
      { params: { appId: "x" } },
      { timestamp: String(Number(unixSeconds()) - 299) },
    );
    expect(reply.status).toBe("0");
  });

  it("-2 when the caller's IP is not allowed", async () => {
    const restricted = await startEmulator({ port: 0, allowedIps: ["10.1.2.3"] });
    try {
      expect((await post(restricted.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("-2");
    } finally {
      await restricted.close();
    }
  });

  it("accepts the configured credentials only", async () => {
    const custom = await startEmulator({ port: 0, credentials: [{ apiKey: "k1", apiSecret: "s1" }] });
    try {
      expect(
        (
          await post(
            custom.baseUrl,
            "sipQuery",
            { params: { appId: "x" } },
            { apiKey: "k1", apiSecret: "s1" },
          )
        ).status,
      ).toBe("0");
      expect((await post(custom.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("-1");
    } finally {
      await custom.close();
    }
  });
});

describe("sipAdd", () => {
  it("creates <phoneName>_<NNN> accounts with 8-character alphanumeric passwords", async () => {
    const group = { ...fresh(), quantity: 12 };
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("0");
    const phones = emulator.phones(group.appId);
    expect(phones.map((p) => p.account)).toEqual(
      Array.from({ length: 12 }, (_, i) => `${group.phoneName}_${String(i + 1).padStart(3, "0")}`),
    );
    for (const phone of phones) expect(phone.password).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(new Set(phones.map((p) => p.password)).size).toBe(12);
  });

  it.each([
    ["groupName", "abc", "-22"],
    ["groupName", "abcd", "0"],
    ["groupName", "a".repeat(32), "0"],
    ["groupName", "a".repeat(33), "-22"],
    ["phoneName", "abc", "-22"],
    ["phoneName", "话机名称", "0"],
    ["phoneName", "a".repeat(33), "-22"],
    ["groupName", "    ", "-22"],
    ["quantity", 0, "-22"],
    ["quantity", 1, "0"],
    ["quantity", 50, "0"],
    ["quantity", 51, "-22"],
    ["quantity", "2", "-22"],
    ["quantity", 1.5, "-22"],
    ["displayNum", "123456", "-22"],
    ["displayNum", "1234567", "0"],
    ["displayNum", "1234567890123", "0"],
    ["displayNum", "12345678901234", "-22"],
    ["displayNum", "86100000a0", "-22"],
    ["displayNum", 8610000000, "-22"],
    ["appId", "", "-22"],
    ["appId", undefined, "-22"],
  ])("%s=%j -> %s", async (field, value, status) => {
    const group: Record<string, unknown> = { ...fresh(), [field]: value };
    if (field === "appId" && value !== undefined) group["appId"] = value;
    const reply = await post(emulator.baseUrl, "sipAdd", group);
    expect(reply.status).toBe(status);
    if (status === "-22") expect(reply.reason).toContain(field);
  });

  it("-22 for a body that is not JSON, or not an object", async () => {
    expect((await post(emulator.baseUrl, "sipAdd", "{not json")).status).toBe("-22");
    expect((await post(emulator.baseUrl, "sipAdd", "[1,2]")).status).toBe("-22");
  });

  it("-20 when the group name or the phone name is taken in the application, not in another one", async () => {
    const group = fresh();
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("0");
    expect((await post(emulator.baseUrl, "sipAdd", { ...group, phoneName: "other-phone" })).status).toBe(
      "-20",
    );
    expect((await post(emulator.baseUrl, "sipAdd", { ...group, groupName: "other-group" })).status).toBe(
      "-20",
    );
    expect((await post(emulator.baseUrl, "sipAdd", { ...group, appId: `${group.appId}-b` })).status).toBe(
      "0",
    );
  });

  it("-23 when the application's phone cap would be passed", async () => {
    const group = { ...fresh(), quantity: 50 };
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("0");
    const more = { ...group, groupName: "more-grp", phoneName: "more-phone", quantity: 11 };
    expect((await post(emulator.baseUrl, "sipAdd", more)).status).toBe("-23");
    expect((await post(emulator.baseUrl, "sipAdd", { ...more, quantity: 10 })).status).toBe("0");
  });

  it("of 20 concurrent identical calls exactly one wins", async () => {
    const group = fresh();
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => post(emulator.baseUrl, "sipAdd", group)),
    );
    expect(replies.filter((r) => r.status === "0")).toHaveLength(1);
    expect(replies.filter((r) => r.status === "-20")).toHaveLength(19);
    expect(emulator.phones(group.appId)).toHaveLength(group.quantity);
  });
});

describe("sipQuery", () => {
  const appId = "paging-app";
  beforeAll(() => {
    for (let g = 0; g < 5; g++)
      emulator.seedGroup({
        appId,
        groupName: `page-group-${g}`,
        phoneName: `pagephone${g}`,
        quantity: 10,
        displayNum: "8610000000",
      });
  });

  it("pages with true totals, and an empty page past the end", async () => {
    const seen: string[] = [];
    for (let current = 1; current <= 4; current++) {
      const reply = await post(emulator.baseUrl, "sipQuery", { current, size: 15, params: { appId } });
      const page = reply.data as {
        total: number;
        pages: number;
        size: number;
        current: number;
        records: Array<{ account: string }>;
      };
      expect([page.total, page.pages, page.size, page.current]).toEqual([50, 4, 15, current]);
      seen.push(...page.records.map((r) => r.account));
    }
    expect(new Set(seen).size).toBe(50);
    const past = (await post(emulator.baseUrl, "sipQuery", { current: 9, size: 15, params: { appId } }))
      .data as { total: number; records: unknown[] };
    expect([past.total, past.records.length]).toEqual([50, 0]);
  });

  it("defaults current to 1 and size to 25", async () => {
    const page = (await post(emulator.baseUrl, "sipQuery", { params: { appId } })).data as {
      current: number;
      size: number;
      records: unknown[];
    };
    expect([page.current, page.size, page.records.length]).toEqual([1, 25, 25]);
  });

  it.each([
    [{ current: 0, size: 10 }],
    [{ current: 1, size: 0 }],
    [{ current: 1, size: 101 }],
    [{ current: "1", size: 10 }],
    [{ current: 1.5, size: 10 }],
    [{ current: 1, size: 10, params: {} }],
    [{ current: 1, size: 10, params: { appId: "" } }],
  ])("-22 for %j", async (body) => {
    const full = { params: { appId }, ...body };
    expect((await post(emulator.baseUrl, "sipQuery", full)).status).toBe("-22");
  });

  it("an application with no phones has an empty first page", async () => {
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "nothing-here" } })).data).toEqual({
      total: 0,
      size: 25,
      current: 1,
      pages: 0,
      records: [],
    });
  });
});

describe("sipReset", () => {
  it("returns a new password, and sipQuery returns it from then on", async () => {
    const group = fresh();
    await post(emulator.baseUrl, "sipAdd", group);
    const account = `${group.phoneName}_001`;
    const before = emulator.phones(group.appId).find((p) => p.account === account)?.password;
    const reply = await post(emulator.baseUrl, "sipReset", { appId: group.appId, account });
    const { password } = reply.data as { account: string; password: string };
    expect(reply.data).toEqual({ account, password });
    expect(password).not.toBe(before);
    const page = (await post(emulator.baseUrl, "sipQuery", { params: { appId: group.appId } })).data as {
      records: Array<{ account: string; password: string }>;
    };
    expect(page.records.find((r) => r.account === account)?.password).toBe(password);
  });

  it.each([
    [{ appId: "api-1", account: "nobody_001" }, "-24"],
    [{ appId: "api-1", account: "abc" }, "-22"],
    [{ appId: "api-1" }, "-22"],
    [{ account: "phone1_001" }, "-22"],
  ])("%j -> %s", async (body, status) => {
    expect((await post(emulator.baseUrl, "sipReset", body)).status).toBe(status);
  });
});

describe("operator endpoints", () => {
  it("health, requests (no secrets), faults and reset over HTTP", async () => {
    const health = await (await fetch(`${emulator.url}/_emulator/health`)).json();
    expect(health).toMatchObject({ status: "ok" });
    const log = await (await fetch(`${emulator.url}/_emulator/requests`)).text();
    expect(log).toContain("sipAdd");
    expect(log).not.toContain(DEMO_CREDENTIALS.apiSecret);
    for (const phone of emulator.phones()) expect(log).not.toContain(phone.password);
    const added = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ endpoint: "sipQuery", kind: "status", status: "-18", times: 1 }),
    });
    expect(added.status).toBe(200);
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("-18");
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("0");
    const rejected = await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "explode" }),
    });
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toMatch(/kind must be one of/);
  });

  it("reset wipes everything", async () => {
    const other = await startEmulator({ port: 0 });
    try {
      other.seedGroup({
        appId: "r",
        groupName: "reset-me",
        phoneName: "resetme",
        quantity: 1,
        displayNum: "8610000000",
      });
      expect((await fetch(`${other.url}/_emulator/reset`, { method: "POST" })).status).toBe(200);
      expect(other.phones()).toEqual([]);
      expect(other.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    } finally {
      await other.close();
    }
  });

  it("unknown paths get a JSON 404", async () => {
    const reply = await post(emulator.baseUrl, "sipDelete", {});
    expect([reply.httpStatus, reply.status]).toEqual([404, "-22"]);
  });
});
