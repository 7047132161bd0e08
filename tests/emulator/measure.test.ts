import { DEMO_CREDENTIALS, startEmulator, type Emulator, type RequestSummary } from "../../emulator";
import { RateLimiter } from "../../emulator/rateLimit";
import { VoiceClient } from "../../provider/client";
import { post, rawRequest } from "../helpers/raw";

// What a benchmark reads off the emulator: the most requests it had in flight at
// once, and what a rate-limited vendor would have answered.

const query = { params: { appId: "m" } };

describe("requests in flight", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());

  it("records the high-water mark of API requests in flight, and restarts it with the counters", async () => {
    emulator.resetCounters();
    emulator.inject({ kind: "latency", ms: 150, times: 6 });
    await Promise.all(Array.from({ length: 6 }, () => post(emulator.baseUrl, "sipQuery", query)));
    expect(emulator.summary()).toMatchObject({ inFlight: 0, maxInFlight: 6 });
    // Operator calls are not API requests.
    await Promise.all(Array.from({ length: 8 }, () => fetch(`${emulator.url}/_emulator/health`)));
    expect(emulator.summary().maxInFlight).toBe(6);
    emulator.resetCounters();
    expect(emulator.summary()).toMatchObject({ inFlight: 0, maxInFlight: 0 });
    await Promise.all([post(emulator.baseUrl, "sipQuery", query), post(emulator.baseUrl, "sipQuery", query)]);
    expect(emulator.summary().maxInFlight).toBeGreaterThanOrEqual(1);
    expect(emulator.summary().maxInFlight).toBeLessThanOrEqual(2);
  });

  it("is served at /_emulator/summary and inside /_emulator/requests; DELETE /_emulator/requests starts afresh", async () => {
    emulator.resetCounters();
    emulator.inject({ kind: "latency", ms: 100, times: 3 });
    await Promise.all(Array.from({ length: 3 }, () => post(emulator.baseUrl, "sipReset", { appId: "m" })));
    const summary = (await (await fetch(`${emulator.url}/_emulator/summary`)).json()) as RequestSummary;
    expect(summary).toEqual(emulator.summary());
    expect(summary).toMatchObject({
      counters: { sipAdd: 0, sipQuery: 0, sipReset: 3 },
      inFlight: 0,
      maxInFlight: 3,
      rateLimited: 0,
    });
    expect(summary.logLines).toBeGreaterThanOrEqual(3);
    expect(summary.logBytes).toBeGreaterThan(0);
    const all = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as {
      summary: RequestSummary;
    };
    expect(all.summary.maxInFlight).toBe(3);
    const cleared = await rawRequest(emulator.url, "/_emulator/requests", { method: "DELETE" });
    expect(cleared.httpStatus).toBe(200);
    expect(emulator.summary()).toMatchObject({
      counters: { sipAdd: 0, sipQuery: 0, sipReset: 0 },
      maxInFlight: 0,
      logLines: 0,
      logBytes: 0,
    });
    expect(emulator.requests()).toEqual([]);
  });
});

describe("rateLimitPerSecond", () => {
  it("answers HTTP 429 with Retry-After beyond the limit, and counts what it refused", async () => {
    const limited = await startEmulator({ port: 0, rateLimitPerSecond: 5 });
    try {
      const replies = await Promise.all(
        Array.from({ length: 12 }, () =>
          rawRequest(limited.url, "/voice/sipQuery", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(query),
          }),
        ),
      );
      const refused = replies.filter((r) => r.httpStatus === 429);
      // A burst of one second's worth passes; the bucket refills at 5 a second meanwhile.
      expect(refused.length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeLessThanOrEqual(7);
      for (const r of refused) {
        expect(r.headers["retry-after"]).toBe("1");
        expect(JSON.parse(r.text)).toEqual({ error: "rate limit: 5 requests per second" });
      }
      expect(limited.summary()).toMatchObject({ rateLimited: refused.length, counters: { sipQuery: 12 } });
      expect(limited.requests().filter((r) => r.httpStatus === 429)).toHaveLength(refused.length);
      // Waiting what Retry-After says is enough.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await post(limited.baseUrl, "sipQuery", query)).httpStatus).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("VoiceClient sees an HTTP_ERROR with httpStatus 429", async () => {
    const limited = await startEmulator({ port: 0, rateLimitPerSecond: 1 });
    try {
      const client = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: limited.baseUrl, maxAttempts: 1 });
      await client.sipQuery({ appId: "m", current: 1, size: 1 });
      await expect(client.sipQuery({ appId: "m", current: 1, size: 1 })).rejects.toMatchObject({
        code: "HTTP_ERROR",
        httpStatus: 429,
      });
    } finally {
      await limited.close();
    }
  });

  it("does not apply to operator endpoints", async () => {
    const limited = await startEmulator({ port: 0, rateLimitPerSecond: 1 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 5 }, async () => (await fetch(`${limited.url}/_emulator/health`)).status),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await limited.close();
    }
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2_000_000])(
    "%d is refused at start",
    async (rate) => {
      await expect(startEmulator({ port: 0, rateLimitPerSecond: rate })).rejects.toThrow(
        /rateLimitPerSecond must be a number above 0/,
      );
    },
  );
});

describe("RateLimiter", () => {
  it("passes a burst of one second's worth, then refills at the rate, and says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(4, () => now);
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(limiter.take()).toBe(1);
    now += 250; // one token back
    expect(limiter.take()).toBeUndefined();
    expect(limiter.take()).toBe(1);
    now += 10_000; // never more than the burst
    for (let i = 0; i < 4; i++) expect(limiter.take()).toBeUndefined();
    expect(limiter.take()).toBe(1);
  });

  it("a limit under one a second waits whole seconds until the next token", () => {
    let now = 0;
    const limiter = new RateLimiter(0.25, () => now);
    expect(limiter.take()).toBeUndefined();
    expect(limiter.take()).toBe(4);
    now += 3_000;
    expect(limiter.take()).toBe(1);
    now += 1_000;
    expect(limiter.take()).toBeUndefined();
  });
});
