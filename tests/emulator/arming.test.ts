import { startEmulator, type Emulator, type Fault } from "../../emulator";
import { operatorPost, post } from "../helpers/raw";

// A fault request either arms every fault it carries, or none: a 4xx never leaves
// anything armed, and whatever is armed can always be listed.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.clearFaults());

const faultsUrl = () => `${emulator.url}/_emulator/faults`;
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("all or none", () => {
  it("a fault with a deeply nested extra field is refused, nothing is armed, and the list still answers", async () => {
    // 100,000 levels parse, but JSON.stringify of them overflows the stack.
    const body = `{"kind":"status","status":"-18","endpoint":"sipQuery","extra":${nested(100_000)}}`;
    const reply = await operatorPost(emulator.url, "faults", body);
    expect(reply.status).toBe(400);
    expect(emulator.faults()).toEqual([]);
    const listed = await fetch(faultsUrl());
    expect([listed.status, await listed.json()]).toEqual([200, { faults: [] }]);
    expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "x" } })).status).toBe("0");
  });

  it("a field no fault takes is refused by name (a typo must not arm a fault that never ends)", async () => {
    const reply = await operatorPost(emulator.url, "faults", { kind: "drop", time: 1 });
    expect(reply.status).toBe(400);
    expect(await reply.text()).toMatch(
      /drop faults take kind, endpoint, times, probability; no fault takes \\"time\\"/,
    );
    expect(emulator.faults()).toEqual([]);
    expect(() => emulator.inject({ kind: "status", status: "-18", extra: 5 } as unknown as Fault)).toThrow(
      /no fault takes "extra"/,
    );
  });

  it("another kind's field is dropped: one object can describe several kinds", async () => {
    const both = { endpoint: "sipAdd", httpStatus: 503, status: "-18", times: 1 } as const;
    emulator.inject({ ...both, kind: "http" } as Fault);
    emulator.inject({ ...both, kind: "status" } as Fault);
    expect(emulator.faults()).toEqual([
      { kind: "http", endpoint: "sipAdd", httpStatus: 503, times: 1 },
      { kind: "status", endpoint: "sipAdd", status: "-18", times: 1 },
    ]);
  });

  it("a body nested deeper than 32 levels is refused before parsing; 32 is accepted as JSON", async () => {
    const deep = await operatorPost(emulator.url, "faults", `[${nested(32)}]`);
    expect(deep.status).toBe(400);
    expect(await deep.text()).toMatch(/nests deeper than 32 levels/);
    // 32 levels is a valid body shape-wise (then refused as a fault, for its content).
    const at = await operatorPost(emulator.url, "faults", nested(32));
    expect(await at.text()).not.toMatch(/nests deeper/);
    expect(emulator.faults()).toEqual([]);
  });

  it("a list of good faults and one bad is refused whole", async () => {
    const reply = await operatorPost(emulator.url, "faults", [
      { kind: "drop", endpoint: "sipAdd" },
      { kind: "status", status: "-18", reason: "x".repeat(257) },
    ]);
    expect(reply.status).toBe(400);
    expect(await reply.text()).toMatch(/reason must be a string of at most 256 characters/);
    expect(emulator.faults()).toEqual([]);
  });

  it("at most 1,000 faults are armed at once; one more is refused and arms nothing", async () => {
    const many = Array.from({ length: 1_000 }, () => ({ kind: "latency", ms: 0, endpoint: "sipAdd" }));
    expect((await operatorPost(emulator.url, "faults", many)).status).toBe(200);
    const more = await operatorPost(emulator.url, "faults", [{ kind: "drop" }]);
    expect(more.status).toBe(400);
    expect(await more.text()).toMatch(/at most 1000 faults/);
    expect(emulator.faults()).toHaveLength(1_000);
    expect(() => emulator.inject({ kind: "drop" })).toThrow(/at most 1000 faults/);
  });

  it.each([
    ["status", { kind: "status", status: "-".repeat(33) }, /status must be a string of at most 32/],
    [
      "location",
      { kind: "redirect", location: "x".repeat(2_049) },
      /location must be a string of at most 2048/,
    ],
    ["times", { kind: "drop", times: 2 ** 60 }, /times must be a positive whole number/],
  ])("an oversized %s is refused", async (_what, fault, message) => {
    const reply = await operatorPost(emulator.url, "faults", fault);
    expect(reply.status).toBe(400);
    expect(await reply.text()).toMatch(message);
    expect(emulator.faults()).toEqual([]);
  });

  it("what is armed is a clean copy: listing it shows only the fields its kind takes", async () => {
    const fault = { kind: "status", status: "-18", commit: true, endpoint: "sipReset", times: 2 } as const;
    emulator.inject(fault);
    expect(emulator.faults()).toEqual([fault]);
  });
});

describe("latency values", () => {
  it.each([
    ["2^31 ms (past what a timer takes)", 2 ** 31],
    ["1e10 ms", 1e10],
  ])("%s is refused with 400 over HTTP", async (_what, ms) => {
    const reply = await operatorPost(emulator.url, "faults", { kind: "latency", ms });
    expect(reply.status).toBe(400);
    expect(await reply.text()).toMatch(/ms >= 0 and <= 2147483647/);
    expect(emulator.faults()).toEqual([]);
  });

  it.each([Number.POSITIVE_INFINITY, 2 ** 31, Number.NaN, -1])("inject({ ms: %d }) throws", (ms) => {
    expect(() => emulator.inject({ kind: "latency", ms })).toThrow(/ms >= 0 and <= 2147483647/);
    expect(emulator.faults()).toEqual([]);
  });

  it("the longest a timer takes is accepted, and close() does not wait for it", async () => {
    const other = await startEmulator({ port: 0 });
    other.inject({ kind: "latency", ms: 2_147_483_647, endpoint: "sipQuery" });
    const pending = post(other.baseUrl, "sipQuery", { params: { appId: "x" } }).catch((e: unknown) => e);
    while (other.summary().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await other.close();
    await pending;
    // The waiting call ended with the server: logged as abandoned, no timer left behind.
    expect(other.requests()).toEqual([
      expect.objectContaining({ endpoint: "sipQuery", status: "-", httpStatus: 0 }),
    ]);
  });
});

describe("API bodies", () => {
  it("a body nested deeper than 32 levels is -22, naming the bound", async () => {
    const reply = await post(emulator.baseUrl, "sipQuery", `{"params":{"appId":"x"},"extra":${nested(40)}}`);
    expect([reply.httpStatus, reply.status]).toEqual([200, "-22"]);
    expect(reply.reason).toMatch(/nests deeper than 32 levels/);
  });

  it("a body over 1 MiB is -22, naming the bound", async () => {
    const reply = await post(emulator.baseUrl, "sipQuery", " ".repeat(1024 * 1024 + 1));
    expect(reply.status).toBe("-22");
    expect(reply.reason).toMatch(/over 1048576 bytes/);
  });
});
