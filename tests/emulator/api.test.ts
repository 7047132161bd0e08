import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { isLoopback, normaliseAddress } from "../../emulator/auth";
import { sign, signedHeaders, unixSeconds } from "../../protocol/signing";
import { CanaryScan } from "../helpers/leaks";
import { operatorPost, post } from "../helpers/raw";

let emulator: Emulator;
let n = 0;
const suiteStarted = Number(unixSeconds());
/** Every password a reply has shown, for the log's canary scan. */
const passwordsSeen: string[] = [];
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
    ["a wrong Sign", "-1", () => ({ headers: { Sign: "0".repeat(32) } })],
    ["an unknown key", "-1", () => ({ apiKey: "nobody" })],
    ["a wrong secret", "-1", () => ({ apiSecret: "not-the-secret" })],
    ["a stale timestamp", "-16", () => ({ timestamp: String(now() - 360) })],
    ["a future timestamp", "-16", () => ({ timestamp: String(now() + 360) })],
    ["a 9-digit timestamp", "-16", () => ({ timestamp: "163046880" })],
    ["an 11-digit timestamp", "-16", () => ({ timestamp: "16304688000" })],
    ["a millisecond timestamp", "-16", () => ({ timestamp: String(Date.now()) })],
    ["a non-numeric timestamp", "-16", () => ({ timestamp: "16304688a0" })],
  ])("%s -> %s with HTTP 200", async (_what, status, options) => {
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

describe("check order: IP, then key and Sign, then timestamp, then body", () => {
  // A fixed server clock, so the window's edges are exact.
  const NOW = 1_700_000_000;
  let fixed: Emulator;
  beforeAll(async () => {
    fixed = await startEmulator({ port: 0, now: () => NOW * 1000 + 999, timestampWindowSeconds: 300 });
  });
  afterAll(() => fixed.close());
  const query = { params: { appId: "order" } };

  it.each([
    [NOW - 300, "0"],
    [NOW + 300, "0"],
    [NOW - 301, "-16"],
    [NOW + 301, "-16"],
  ])("timestamp %d against a server at %d (±300 s inclusive) -> %s", async (timestamp, status) => {
    expect((await post(fixed.baseUrl, "sipQuery", query, { timestamp: String(timestamp) })).status).toBe(
      status,
    );
  });

  it.each([
    ["10 digits", String(NOW), "0"],
    ["9 digits", String(NOW).slice(1), "-16"],
    ["11 digits (zero-padded)", `0${NOW}`, "-16"],
    ["milliseconds", `${NOW}000`, "-16"],
    ["a sign", `+${String(NOW).slice(1)}`, "-16"],
    ["a fraction", `${String(NOW).slice(0, 8)}.5`, "-16"],
    ["letters", `${String(NOW).slice(0, 9)}a`, "-16"],
  ])(
    "a timestamp of %s -> %s, judged by its form (the window here is huge)",
    async (_what, timestamp, status) => {
      const lax = await startEmulator({ port: 0, now: () => NOW * 1000, timestampWindowSeconds: 1e13 });
      try {
        expect((await post(lax.baseUrl, "sipQuery", query, { timestamp })).status).toBe(status);
      } finally {
        await lax.close();
      }
    },
  );

  it("the window is configurable", async () => {
    const narrow = await startEmulator({ port: 0, now: () => NOW * 1000, timestampWindowSeconds: 5 });
    try {
      expect((await post(narrow.baseUrl, "sipQuery", query, { timestamp: String(NOW - 5) })).status).toBe(
        "0",
      );
      expect((await post(narrow.baseUrl, "sipQuery", query, { timestamp: String(NOW - 6) })).status).toBe(
        "-16",
      );
    } finally {
      await narrow.close();
    }
  });

  it("sends its own clock as the Date header (what a client resynchronises from after -16)", async () => {
    const response = await fetch(`${fixed.url}/_emulator/health`);
    expect(Date.parse(response.headers.get("date") ?? "")).toBe(NOW * 1000);
  });

  it.each([
    [
      "a bad Sign and a stale timestamp",
      { timestamp: String(NOW - 9999), headers: { Sign: "f".repeat(32) } },
      "{}",
      "-1",
    ],
    ["an unknown key and a bad body", { apiKey: "nobody" }, "{not json", "-1"],
    ["a stale timestamp and a bad body", { timestamp: String(NOW - 9999) }, "{not json", "-16"],
    ["a millisecond timestamp and a bad body", { timestamp: String(NOW * 1000) }, "{not json", "-16"],
  ])("%s -> %s", async (_what, options, body, status) => {
    expect((await post(fixed.baseUrl, "sipAdd", body, { timestamp: String(NOW), ...options })).status).toBe(
      status,
    );
  });

  it("an IP that is not allowed is -2 before anything else, even with a bad Sign", async () => {
    const restricted = await startEmulator({ port: 0, allowedIps: ["10.1.2.3"] });
    try {
      const reply = await post(restricted.baseUrl, "sipAdd", "{not json", { headers: { Sign: "bad" } });
      expect([reply.status, reply.data]).toEqual(["-2", null]);
    } finally {
      await restricted.close();
    }
  });

  it.each([[["127.0.0.1"]], [["::ffff:127.0.0.1"]]])(
    "allowedIps %j lets a loopback caller in",
    async (allowedIps) => {
      const allowed = await startEmulator({ port: 0, allowedIps });
      try {
        expect((await post(allowed.baseUrl, "sipQuery", query)).status).toBe("0");
      } finally {
        await allowed.close();
      }
    },
  );

  it.each([["Api-Key"], ["Timestamp"], ["Sign"]])("a request without %s -> -1", async (name) => {
    const response = await fetch(`${emulator.baseUrl}/sipQuery`, {
      method: "POST",
      headers: Object.fromEntries(
        Object.entries(
          signedHeaders(DEMO_CREDENTIALS.apiKey, DEMO_CREDENTIALS.apiSecret, unixSeconds()),
        ).filter(([header]) => header !== name),
      ),
      body: JSON.stringify(query),
    });
    // Without a Timestamp the Sign cannot match either: it covers the timestamp.
    expect(((await response.json()) as { status: string }).status).toBe("-1");
  });

  it("accepts the Sign in upper case hex too", async () => {
    const timestamp = unixSeconds();
    const upper = sign(DEMO_CREDENTIALS.apiKey, DEMO_CREDENTIALS.apiSecret, timestamp).toUpperCase();
    expect(
      (await post(emulator.baseUrl, "sipQuery", query, { timestamp, headers: { Sign: upper } })).status,
    ).toBe("0");
  });
});

describe("bodies", () => {
  it.each([["sipAdd"], ["sipQuery"], ["sipReset"]])(
    "%s: -22 for a body that is not a JSON object",
    async (endpoint) => {
      for (const body of ["{not json", "", "[1,2]", "null", '"text"', "42"]) {
        const reply = await post(emulator.baseUrl, endpoint, body);
        expect([body, reply.httpStatus, reply.status, reply.data]).toEqual([body, 200, "-22", null]);
      }
    },
  );

  it("-22 for a body over 1 MiB, and the server keeps serving", async () => {
    const huge = JSON.stringify({ ...fresh(), padding: "x".repeat(1024 * 1024) });
    expect((await post(emulator.baseUrl, "sipAdd", huge)).status).toBe("-22");
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("0");
  });

  it("unknown extra fields are ignored", async () => {
    expect((await post(emulator.baseUrl, "sipAdd", { ...fresh(), extra: true })).status).toBe("0");
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
    // fresh() gives each case an application of its own, so a 0 can never be a -20.
    ["groupName", "abc", "-22"],
    ["groupName", "abcd", "0"],
    ["groupName", "g".repeat(32), "0"],
    ["groupName", "g".repeat(33), "-22"],
    ["phoneName", "abc", "-22"],
    ["phoneName", "pqrs", "0"],
    ["phoneName", "p".repeat(32), "0"],
    ["phoneName", "p".repeat(33), "-22"],
    ["phoneName", "话机名称", "0"],
    ["phoneName", "话机名称话机名称话机名称话机名称话机名称话机名称话机名称话机名称x", "-22"],
    ["groupName", "    ", "-22"],
    ["groupName", 1234, "-22"],
    ["groupName", null, "-22"],
    ["phoneName", undefined, "-22"],
    ["quantity", 0, "-22"],
    ["quantity", 1, "0"],
    ["quantity", 50, "0"],
    ["quantity", 51, "-22"],
    ["quantity", 1.5, "-22"],
    ["displayNum", "123456", "-22"],
    ["displayNum", "1234567", "0"],
    ["displayNum", "1234567890123", "0"],
    ["displayNum", "12345678901234", "-22"],
    ["displayNum", "86100000a0", "-22"],
    ["displayNum", "+8610000000", "-22"],
    ["displayNum", "861 000 000", "-22"],
    ["displayNum", undefined, "-22"],
    ["quantity", undefined, "-22"],
    ["quantity", -1, "-22"],
    ["appId", "", "-22"],
    ["appId", undefined, "-22"],
  ])("%s=%j -> %s", async (field, value, status) => {
    const group: Record<string, unknown> = { ...fresh(), [field]: value };
    if (field === "appId" && value !== undefined) group["appId"] = value;
    const reply = await post(emulator.baseUrl, "sipAdd", group);
    expect(reply.status).toBe(status);
    if (status === "-22") expect(reply.reason).toContain(field);
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
    [{ current: "one", size: 10 }],
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
    passwordsSeen.push(password, before ?? "");
    const page = (await post(emulator.baseUrl, "sipQuery", { params: { appId: group.appId } })).data as {
      records: Array<{ account: string; password: string }>;
    };
    expect(page.records.find((r) => r.account === account)?.password).toBe(password);
  });

  it("a phone name over 28 characters makes accounts sipReset cannot take (the contract's 4-32 rule)", async () => {
    const group = { ...fresh(), phoneName: "p".repeat(29), quantity: 1 };
    expect((await post(emulator.baseUrl, "sipAdd", group)).status).toBe("0");
    const account = `${"p".repeat(29)}_001`;
    expect(emulator.phones(group.appId).map((p) => p.account)).toEqual([account]);
    const reply = await post(emulator.baseUrl, "sipReset", { appId: group.appId, account });
    expect([reply.status, reply.reason]).toEqual([
      "-22",
      expect.stringContaining("account must be 4-32 characters"),
    ]);
  });

  it("-24 for an account of another application", async () => {
    const group = fresh();
    await post(emulator.baseUrl, "sipAdd", group);
    const account = `${group.phoneName}_001`;
    expect(
      (await post(emulator.baseUrl, "sipReset", { appId: `${group.appId}-other`, account })).status,
    ).toBe("-24");
    expect(
      (await post(emulator.baseUrl, "sipReset", { appId: group.appId, account: `${group.phoneName}_003` }))
        .status,
    ).toBe("-24");
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
    const text = await (await fetch(`${emulator.url}/_emulator/requests`)).text();
    const { counters, requests } = JSON.parse(text) as {
      counters: Record<string, number>;
      requests: Array<Record<string, unknown>>;
    };
    expect(counters["sipAdd"]).toBeGreaterThan(0);
    expect(requests.length).toBeGreaterThan(0);
    for (const line of requests) {
      expect(Object.keys(line).sort()).toEqual(
        expect.arrayContaining(["at", "durationMs", "endpoint", "httpStatus", "status"]),
      );
      expect(typeof line["durationMs"]).toBe("number");
    }
    // Canaries: the secret, every Sign this suite can have sent, every password ever held.
    const canaries = new CanaryScan();
    canaries.addCredentials(DEMO_CREDENTIALS, suiteStarted - 400, Number(unixSeconds()) + 400);
    for (const password of passwordsSeen) canaries.add("password", password);
    for (const phone of emulator.phones()) canaries.add("password", phone.password);
    expect(canaries.find(text)).toEqual([]);
    const added = await operatorPost(emulator.url, "faults", {
      endpoint: "sipQuery",
      kind: "status",
      status: "-18",
      times: 1,
    });
    expect(added.status).toBe(200);
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("-18");
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("0");
    const rejected = await operatorPost(emulator.url, "faults", { kind: "explode" });
    expect(rejected.status).toBe(400);
    expect(await rejected.text()).toMatch(/kind must be one of/);
  });

  it("faults: POST a list (all or nothing), GET them, DELETE them", async () => {
    const faults = `${emulator.url}/_emulator/faults`;
    const half = await operatorPost(emulator.url, "faults", [
      { endpoint: "sipReset", kind: "status", status: "-18" },
      { endpoint: "sipReset", kind: "latency", ms: -1 },
    ]);
    expect(half.status).toBe(400);
    expect(await half.text()).toMatch(/ms >= 0/);
    expect(emulator.faults()).toEqual([]);
    const two = [
      { endpoint: "sipQuery", kind: "status", status: "-18" },
      { endpoint: "sipQuery", kind: "latency", ms: 1, times: 3 },
    ];
    expect((await operatorPost(emulator.url, "faults", two)).status).toBe(200);
    expect(await (await fetch(faults)).json()).toEqual({ faults: two });
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("-18");
    expect((await fetch(faults, { method: "DELETE" })).status).toBe(200);
    expect(emulator.faults()).toEqual([]);
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("0");
    expect((await operatorPost(emulator.url, "faults", "{oops")).status).toBe(400);
  });

  it("phones lists the operator's view, per application", async () => {
    const group = fresh();
    await post(emulator.baseUrl, "sipAdd", group);
    const listed = (await (await fetch(`${emulator.url}/_emulator/phones?appId=${group.appId}`)).json()) as {
      phones: Array<{ account: string; appId: string }>;
    };
    expect(listed.phones.map((p) => [p.appId, p.account])).toEqual([
      [group.appId, `${group.phoneName}_001`],
      [group.appId, `${group.phoneName}_002`],
    ]);
  });

  it("reset wipes phones, faults, counters and the log, and frees the names", async () => {
    const other = await startEmulator({ port: 0 });
    try {
      const group = {
        appId: "r",
        groupName: "reset-me",
        phoneName: "resetme",
        quantity: 1,
        displayNum: "8610000000",
      };
      expect((await post(other.baseUrl, "sipAdd", group)).status).toBe("0");
      other.inject({ endpoint: "sipReset", kind: "drop" });
      expect((await operatorPost(other.url, "reset")).status).toBe(200);
      expect(other.phones()).toEqual([]);
      expect(other.faults()).toEqual([]);
      expect(other.requests()).toEqual([]);
      expect(other.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
      expect((await post(other.baseUrl, "sipAdd", group)).status).toBe("0");
    } finally {
      await other.close();
    }
  });

  it("unknown paths get a JSON 404, other methods a JSON 405", async () => {
    const reply = await post(emulator.baseUrl, "sipDelete", {});
    expect([reply.httpStatus, reply.status]).toEqual([404, "-22"]);
    const get = await fetch(`${emulator.baseUrl}/sipQuery`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { status: string }).status).toBe("-22");
    const operator = await fetch(`${emulator.url}/_emulator/nothing`);
    expect(operator.status).toBe(404);
    expect(await operator.json()).toEqual({ error: "no operator endpoint GET /_emulator/nothing" });
  });

  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["192.0.2.2", false],
    ["::ffff:192.0.2.2", false],
    ["fd00::2", false],
    ["", false],
  ])("isLoopback(%j) = %s", (address, loopback) => {
    expect(isLoopback(normaliseAddress(address))).toBe(loopback);
  });

  // A non-loopback caller is decided by the table above: tests send traffic to
  // loopback addresses only, so the 403 itself is not exercised over the network.
});
