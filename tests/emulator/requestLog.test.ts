import { EventEmitter } from "node:events";
import type http from "node:http";
import { startEmulator, type Emulator } from "../../emulator";
import { BodyBudget, jsonDepth } from "../../emulator/body";
import { REQUEST_LOG_LIMITS, RequestLog, subjectOf, truncate } from "../../emulator/requestLog";
import { post } from "../helpers/raw";

const MiB = 1024 * 1024;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

describe("the request log's bounds, for callers that never authenticate", () => {
  it("a 1 MB page number and appId are logged as a subject of at most 80 characters", async () => {
    const body = `{"current":"${"9".repeat(500_000)}","params":{"appId":"${"a".repeat(500_000)}"}}`;
    expect(body.length).toBeLessThan(MiB);
    const reply = await post(emulator.baseUrl, "sipQuery", body, { apiSecret: "wrong" });
    expect(reply.status).toBe("-1");
    const line = emulator.requests().at(-1);
    expect(line?.subject?.length).toBeLessThanOrEqual(80);
    expect(line?.subject).toMatch(/^a+…#\?$/);
  });

  it("ten 1 MB unauthenticated requests add kilobytes to the log, not megabytes", async () => {
    const before = JSON.stringify(emulator.requests()).length;
    const big = "9".repeat(MiB - 200);
    for (let i = 0; i < 5; i++) {
      // The page number as a string: it reaches the log's subject before any check.
      await post(emulator.baseUrl, "sipQuery", `{"current":"${big}","params":{"appId":"a"}}`, {
        apiKey: "nobody",
      });
      await post(emulator.baseUrl, "sipQuery", `{"current":${big},"params":{"appId":"a"}}`, {
        apiKey: "nobody",
      });
    }
    const grown = JSON.stringify(emulator.requests()).length - before;
    expect(grown).toBeLessThan(10 * 300);
  });
});

describe("RequestLog", () => {
  const line = (subject: string) => ({
    endpoint: "sipQuery",
    subject,
    status: "-1",
    httpStatus: 200,
    durationMs: 1.25,
    at: new Date(0).toISOString(),
  });

  it("keeps its total bytes under 2 MiB, whatever the lines hold (4,000 maximal lines of multi-byte text)", () => {
    const log = new RequestLog();
    for (let i = 0; i < 4_000; i++) log.record({ ...line("话".repeat(1_000)), status: "\u0001".repeat(500) });
    const { logBytes, logLines } = log.summary();
    expect(logBytes).toBeLessThanOrEqual(REQUEST_LOG_LIMITS.bytes);
    expect(Buffer.byteLength(JSON.stringify(log.lines()))).toBeLessThanOrEqual(
      REQUEST_LOG_LIMITS.bytes + logLines,
    );
    expect(logLines).toBeLessThan(4_000); // the byte cap, not the line cap, bound
    // The newest lines are the ones kept.
    expect(log.lines().at(-1)?.subject).toBe(`${"话".repeat(79)}…`);
  });

  it("keeps at most 10,000 lines, the newest", () => {
    const log = new RequestLog();
    for (let i = 0; i < 10_050; i++) log.record(line(`s${i}`));
    const lines = log.lines();
    expect(lines).toHaveLength(10_000);
    expect([lines[0]?.subject, lines.at(-1)?.subject]).toEqual(["s50", "s10049"]);
  });

  it("caps every text field at 80 characters", () => {
    const log = new RequestLog();
    const long = "y".repeat(1_000);
    log.record({
      endpoint: long,
      subject: long,
      status: long,
      httpStatus: 200,
      durationMs: 1,
      at: long,
      fault: long,
    });
    const [kept] = log.lines();
    for (const field of ["endpoint", "subject", "status", "at", "fault"] as const)
      expect([field, kept?.[field]?.length]).toEqual([field, 80]);
  });

  it("evicts by bytes as well as by count, with small limits", () => {
    const log = new RequestLog({ entries: 100, bytes: 1_000, fieldChars: 10 });
    for (let i = 0; i < 50; i++) log.record(line("z".repeat(50)));
    expect(log.summary().logBytes).toBeLessThanOrEqual(1_000);
    expect(log.summary().logLines).toBeGreaterThan(0);
  });

  it("truncate never splits a surrogate pair", () => {
    expect(truncate("ab😀cd", 3)).toBe("ab…");
    expect(truncate("a😀cd", 3)).toBe("a…");
    expect(truncate("abc", 3)).toBe("abc");
  });

  it("a subject is built from bounded parts only", () => {
    expect(subjectOf("sipQuery", { current: 1e300, params: { appId: "app" } })).toBe("app#?");
    expect(subjectOf("sipQuery", { current: 3, params: { appId: "app" } })).toBe("app#3");
    expect(subjectOf("sipQuery", { current: "4", params: { appId: "app" } })).toBe("app#4");
    expect(subjectOf("sipQuery", { current: "9".repeat(400), params: { appId: "app" } })).toBe("app#?");
    expect(subjectOf("sipQuery", { params: { appId: "app" } })).toBe("app#1");
    expect(subjectOf("sipAdd", { groupName: "g".repeat(100) })).toHaveLength(64);
    expect(subjectOf("sipReset", { account: 7 })).toBeUndefined();
  });
});

describe("BodyBudget: bytes of request bodies held at once", () => {
  function fakeRequest() {
    const req = new EventEmitter() as http.IncomingMessage;
    const res = new EventEmitter() as http.ServerResponse;
    return { req, res };
  }

  it("refuses a body that would pass the budget, and gives the bytes back when a reply is gone", async () => {
    const budget = new BodyBudget(100);
    const a = fakeRequest();
    const b = fakeRequest();
    const readA = budget.read(a.req, a.res);
    const readB = budget.read(b.req, b.res);
    a.req.emit("data", Buffer.alloc(80));
    b.req.emit("data", Buffer.alloc(30));
    a.req.emit("end");
    b.req.emit("end");
    expect(await readA).toEqual({ ok: true, text: "\u0000".repeat(80) });
    expect(await readB).toEqual({ ok: false, reason: "busy" });
    expect(budget.held).toBe(80);
    a.res.emit("close");
    b.res.emit("close");
    expect(budget.held).toBe(0);
  });

  it("a body over 1 MiB is refused and holds nothing", async () => {
    const budget = new BodyBudget();
    const { req, res } = fakeRequest();
    const read = budget.read(req, res);
    req.emit("data", Buffer.alloc(MiB));
    req.emit("data", Buffer.alloc(1));
    expect(budget.held).toBe(0);
    req.emit("end");
    expect(await read).toEqual({ ok: false, reason: "tooLarge" });
  });
});

describe("jsonDepth", () => {
  it.each([
    ["an empty object", "{}", 1],
    ["an array in an object in an array", '{"a":[1,{"b":2}]}', 3],
    ["brackets inside a string", '"[[[["', 0],
    ["an escaped quote inside a string", '{"a":"\\"[["}', 1],
    ["a million open brackets, without recursion", "[".repeat(1_000_000), 1_000_000],
  ])("%s", (_what, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});
