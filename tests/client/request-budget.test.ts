/**
 * Issue 15, client side: one request budget per process and account, AIMD on
 * push-back, Retry-After honoured, listings read in parallel within the budget.
 * Behaviour only: limits, counts and the waits the client asked for — never a time.
 */
import { DEMO_CREDENTIALS, startEmulator } from "../../emulator";
import { AIMD, MAX_HELD_MS, RequestBudget, VoiceClient } from "../../provider/client";
import type { PhoneRecord } from "../../protocol/types";
import { apiFailure } from "../helpers/failure";
import { startInFlightProxy } from "../helpers/inFlightProxy";
import { reply, scriptedServerPerSuite, startScriptedServer } from "../helpers/scriptedServer";

type Server = Awaited<ReturnType<typeof startScriptedServer>>;
type Proxy = Awaited<ReturnType<typeof startInFlightProxy>>;

const SECRET = "budget-secret";
const GROUP = { groupName: "grp1", phoneName: "phone", quantity: 1, displayNum: "8610000000", appId: "app1" };

function record(n: number): PhoneRecord {
  const account = `phone_${String(n).padStart(5, "0")}`;
  return { groupName: "grp1", phoneName: "phone", account, password: `pw${n}`, displayNum: "8610000000" };
}

/** A clock that only moves when the client sleeps: waits are recorded, never spent. */
function fakeTime(start = Date.parse("2030-01-01T00:00:00Z")) {
  const waits: number[] = [];
  let now = start;
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe("RequestBudget (AIMD)", () => {
  const time = fakeTime();
  const make = (max: number) => {
    const log: string[] = [];
    return { budget: new RequestBudget(max, "https://api.test/voice", (line) => log.push(line)), log };
  };

  it("never hands out more slots than the limit; a release lets the next waiter in, first come first served", async () => {
    const { budget } = make(2);
    const a = await budget.acquire(time);
    const b = await budget.acquire(time);
    const order: string[] = [];
    const c = budget.acquire(time).then((slot) => (order.push("c"), slot));
    const d = budget.acquire(time).then((slot) => (order.push("d"), slot));
    await new Promise((r) => setImmediate(r));
    expect([budget.inFlight, order]).toEqual([2, []]);
    budget.release(a, "ok");
    await c;
    expect([budget.inFlight, order]).toEqual([2, ["c"]]);
    budget.release(b, "ok");
    budget.release(await c, "ok");
    budget.release(await d, "ok");
    expect([budget.inFlight, budget.highWater, order]).toEqual([0, 2, ["c", "d"]]);
  });

  it("push-back halves the limit once per round: answers to requests sent before the decrease do not count again", async () => {
    const { budget, log } = make(16);
    const slots = await Promise.all(Array.from({ length: 16 }, () => budget.acquire(time)));
    for (const slot of slots) budget.release(slot, "pushback");
    expect(budget.limit).toBe(8);
    // A request sent after the decrease that is pushed back again halves again.
    budget.release(await budget.acquire(time), "pushback");
    expect(budget.limit).toBe(4);
    expect(log).toEqual([
      expect.stringMatching(/request limit 16 -> 8 of 16 \(push-back/),
      expect.stringMatching(/request limit 8 -> 4 of 16/),
    ]);
  });

  it("never goes below 1", async () => {
    const { budget } = make(4);
    for (let i = 0; i < 10; i++) budget.release(await budget.acquire(time), "pushback");
    expect(budget.limit).toBe(1);
    const slot = await budget.acquire(time);
    budget.release(slot, "ok");
  });

  it(`grows by one per ${AIMD.roundsPerIncrease} rounds of answers without push-back, up to the maximum`, async () => {
    const { budget, log } = make(8);
    budget.release(await budget.acquire(time), "pushback");
    budget.release(await budget.acquire(time), "pushback");
    expect(budget.limit).toBe(2);
    const limits: number[] = [];
    for (let i = 0; i < 300; i++) {
      budget.release(await budget.acquire(time), "ok");
      limits.push(budget.limit);
    }
    // At limit 2 it takes 2 × rounds answers to reach 3, then 3 × rounds to reach 4, …
    const rounds = AIMD.roundsPerIncrease;
    expect(limits.indexOf(3)).toBe(2 * rounds - 1);
    expect(limits.indexOf(4)).toBe(5 * rounds - 1);
    expect(Math.max(...limits)).toBe(8);
    expect(log.at(-1)).toMatch(/request limit 7 -> 8 of 8 \(answers without push-back\)/);
  });

  it(`-18: one is noise; ${AIMD.systemBurst} among the last ${AIMD.systemWindow} answers are push-back`, async () => {
    const { budget } = make(8);
    for (const outcome of ["system", "ok", "ok", "system", "ok"] as const)
      budget.release(await budget.acquire(time), outcome);
    expect(budget.limit).toBe(8);
    budget.release(await budget.acquire(time), "system");
    expect(budget.limit).toBe(4);
  });

  it("timeouts and connection failures say nothing about load", async () => {
    const { budget } = make(8);
    for (let i = 0; i < 20; i++) budget.release(await budget.acquire(time), "neutral");
    expect(budget.limit).toBe(8);
  });

  it("a Retry-After hold makes every new attempt wait it out", async () => {
    const { budget, log } = make(4);
    const clock = fakeTime();
    budget.holdUntil(clock.now() + 3_000, clock.now());
    budget.release(await budget.acquire(clock), "ok");
    expect(clock.waits).toEqual([3_000]);
    budget.release(await budget.acquire(clock), "ok");
    expect(clock.waits).toEqual([3_000]);
    expect(log).toEqual([expect.stringMatching(/holding new requests 3000 ms \(Retry-After\)/)]);
  });

  it("a hold extended while an attempt already sleeps on it holds that attempt to the new time", async () => {
    const { budget } = make(4);
    const clock = fakeTime();
    const start = clock.now();
    budget.holdUntil(start + 1_000, start);
    let extended = false;
    const waiting = {
      now: clock.now,
      sleep: async (ms: number) => {
        // A newer Retry-After arrives during the first wait.
        if (!extended) budget.holdUntil(start + 5_000, start);
        extended = true;
        await clock.sleep(ms);
      },
    };
    budget.release(await budget.acquire(waiting), "ok");
    expect(clock.waits).toEqual([1_000, 4_000]);
    expect(clock.now()).toBe(start + 5_000);
  });

  it("a lower maximum applies at once", async () => {
    const { budget } = make(16);
    budget.setMax(4);
    expect([budget.max, budget.limit]).toEqual([4, 4]);
  });
});

describe("RequestBudget pace (maxRequestsPerSecond)", () => {
  const budget = (perSecond?: number) => {
    const log: string[] = [];
    const made = new RequestBudget(16, "https://api.test/voice", (line) => log.push(line));
    made.setPace(perSecond);
    return { budget: made, log };
  };
  /**
   * A clock whose sleeps end in time order when `run` advances it to each in turn: the
   * time an attempt sees when its wait ends is the time it starts.
   */
  function virtualClock(start = 0) {
    let now = start;
    const timers: { at: number; resolve: () => void }[] = [];
    return {
      now: () => now,
      sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
      async run(): Promise<void> {
        for (;;) {
          await new Promise((resolve) => setImmediate(resolve));
          timers.sort((a, b) => a.at - b.at);
          const next = timers.shift();
          if (!next) return;
          now = Math.max(now, next.at);
          next.resolve();
        }
      },
    };
  }
  /** Starts `n` attempts at once; the time each started at, in the order they started. */
  async function starts(paced: RequestBudget, n: number, clock = virtualClock()): Promise<number[]> {
    const times: number[] = [];
    const started = Promise.all(
      Array.from({ length: n }, async () => {
        const slot = await paced.acquire(clock);
        times.push(clock.now());
        paced.release(slot, "ok");
      }),
    );
    await clock.run();
    await started;
    return times;
  }

  it("starts attempts 1/N s apart, in the order they got their slot", async () => {
    const { budget: paced, log } = budget(10);
    expect(await starts(paced, 5)).toEqual([0, 100, 200, 300, 400]);
    expect(paced.perSecond).toBe(10);
    expect(log).toEqual(["https://api.test/voice: paced to 10 requests/s"]);
  });

  it("keeps the pace across bursts: an attempt after a pause starts at once, the next 1/N s later", async () => {
    const { budget: paced } = budget(4);
    const clock = virtualClock();
    expect(await starts(paced, 2, clock)).toEqual([0, 250]);
    const pause = clock.sleep(1_000);
    await clock.run();
    await pause;
    expect(await starts(paced, 3, clock)).toEqual([1_250, 1_500, 1_750]);
  });

  it("a Retry-After that arrives while an attempt waits its turn holds it too", async () => {
    const { budget: paced } = budget(10);
    const clock = virtualClock();
    const times: number[] = [];
    const started = Promise.all(
      [0, 1].map(async () => {
        const slot = await paced.acquire(clock);
        times.push(clock.now());
        // The first answer is a 429 asking for 2 s, while the second waits its turn (at 100 ms).
        if (times.length === 1) paced.holdUntil(clock.now() + 2_000, clock.now());
        paced.release(slot, "ok");
      }),
    );
    await clock.run();
    await started;
    expect(times).toEqual([0, 2_000]);
  });

  it("one attempt after another keeps the pace too", async () => {
    const { budget: paced } = budget(10);
    const clock = virtualClock();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = paced.acquire(clock);
      await clock.run();
      const slot = await started;
      times.push(clock.now());
      paced.release(slot, "ok"); // answered at once
    }
    expect(times).toEqual([0, 100, 200]);
  });

  it("a wall clock stepped back never makes an attempt wait more than its turns", async () => {
    const { budget: paced } = budget(10);
    let now = 10_000;
    const waits: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void waits.push(ms) };
    paced.release(await paced.acquire(clock), "ok"); // starts at 10,000; the next turn is at 10,100
    now = 0; // NTP steps the clock back 10 s
    paced.release(await paced.acquire(clock), "ok");
    expect(waits).toEqual([100]); // one turn, not 10.1 s
  });

  it("not paced by default, nor after setPace(undefined): every attempt starts at once", async () => {
    expect(await starts(budget().budget, 5)).toEqual([0, 0, 0, 0, 0]);
    const { budget: stopped, log } = budget(2);
    stopped.setPace(undefined);
    expect([stopped.perSecond, await starts(stopped, 3)]).toEqual([undefined, [0, 0, 0]]);
    expect(log.at(-1)).toBe("https://api.test/voice: not paced");
  });

  it.each([0, -1, 1_001, Number.NaN, 0.0000001, 0.009])("a pace of %p is refused", (perSecond) => {
    expect(() => budget(perSecond)).toThrow(
      "requests per second must be at least 0.01 (one request every 100 s) and at most 1000",
    );
  });

  it("VoiceClient: maxRequestsPerSecond out of range names the option and the rule", () => {
    expect(
      () =>
        new VoiceClient({
          apiKey: "k",
          apiSecret: SECRET,
          baseUrl: "http://127.0.0.1:9/voice",
          maxRequestsPerSecond: 0.0000001,
        }),
    ).toThrow(
      "The requests per second must be at least 0.01 (one request every 100 s) and at most 1000 (VoiceClient option 'maxRequestsPerSecond').",
    );
  });
});

describe("pace against the emulator's rate limit (token bucket, HTTP 429 beyond it)", () => {
  // Real time: 150 requests at 100 a second take 1.5 s.
  jest.setTimeout(20_000);
  const query = (voice: VoiceClient, n: number) =>
    Promise.allSettled(
      Array.from({ length: n }, () => voice.sipQuery({ appId: "app1", current: 1, size: 1 })),
    );

  it("paced to the vendor's 100 requests/s: 150 requests, none refused", async () => {
    const emulator = await startEmulator({ port: 0, rateLimitPerSecond: 100 });
    try {
      const voice = new VoiceClient({
        ...DEMO_CREDENTIALS,
        baseUrl: emulator.baseUrl,
        maxRequestsPerSecond: 100,
      });
      const results = await query(voice, 150);
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      expect(emulator.summary().rateLimited).toBe(0);
      expect(emulator.counters().sipQuery).toBe(150);
    } finally {
      await emulator.close();
    }
  });

  it("not paced, a burst beyond the vendor's allowance meets 429s (what the pace saves the vendor)", async () => {
    // A bucket of 5: the first 16 requests leave at once, whatever the machine's speed.
    const emulator = await startEmulator({ port: 0, rateLimitPerSecond: 5 });
    try {
      const voice = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: emulator.baseUrl, maxAttempts: 1 });
      await query(voice, 20);
      expect(emulator.summary().rateLimited).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  });
});

describe("one budget per process and account, over HTTP", () => {
  let server: Server;
  let proxy: Proxy;
  let delayMs = 10;

  beforeAll(async () => {
    server = await startScriptedServer((req, res) =>
      setTimeout(
        () => reply(res, "0", { account: JSON.parse(req.body).account, password: "Pw12345" }),
        delayMs,
      ),
    );
    proxy = await startInFlightProxy(`${server.url}/voice`);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    delayMs = 10;
    proxy.resetHighWater();
  });

  const client = (apiKey: string, maxConcurrency: number, extra: object = {}) =>
    new VoiceClient({ apiKey, apiSecret: SECRET, baseUrl: proxy.url, maxConcurrency, ...extra });
  const resets = (voice: VoiceClient, n: number) =>
    Array.from({ length: n }, (_, i) => voice.sipReset({ appId: "app1", account: `phone_${i}` }));

  it("clients of one account share the budget: never more than maxConcurrency in flight", async () => {
    const one = client("shared-key", 3);
    const two = client("shared-key", 3);
    await Promise.all([...resets(one, 20), ...resets(two, 20)]);
    expect(server.requests).toHaveLength(40);
    expect(proxy.highWater).toBe(3);
    expect(one.maxConcurrency).toBe(3);
  });

  it("another API key has a budget of its own", async () => {
    const one = client("key-a", 2);
    const two = client("key-b", 2);
    await Promise.all([...resets(one, 20), ...resets(two, 20)]);
    expect(proxy.highWater).toBe(4);
  });

  it("a listing reads its pages in parallel within the budget, each page once", async () => {
    const all = Array.from({ length: 1_950 }, (_, i) => record(i + 1));
    server.setScript((req, res) => {
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      const records = all.slice((current - 1) * size, current * size);
      setTimeout(() => reply(res, "0", { total: all.length, size, current, pages: 20, records }), delayMs);
    });
    const voice = client("paging-key", 4);
    const seen = await voice.listPhones("app1");
    expect(seen.map((r) => r.account)).toEqual(all.map((r) => r.account));
    const pages = server.requests.map((r) => (JSON.parse(r.body) as { current: number }).current);
    expect(pages.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(proxy.highWater).toBe(4);
  });

  it("phones added while listing: one more listing, then every phone either saw, one per account", async () => {
    let total = 250;
    server.setScript((req, res) => {
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      // Every page read adds a phone, so `total` never holds still.
      total++;
      const all = Array.from({ length: total }, (_, i) => record(i + 1));
      reply(res, "0", {
        total,
        size,
        current,
        pages: Math.ceil(total / size),
        records: all.slice((current - 1) * size, current * size),
      });
    });
    const seen = await client("moving-key", 4).listPhones("app1");
    // Two listings of three pages each; never a third.
    expect(server.requests).toHaveLength(6);
    expect(new Set(seen.map((r) => r.account)).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(250);
  });

  it("a listing whose total changes once is read again and the second, steady listing returned", async () => {
    let reads = 0;
    server.setScript((req, res) => {
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      const total = ++reads <= 2 ? 150 + reads : 160;
      const all = Array.from({ length: total }, (_, i) => record(i + 1));
      reply(res, "0", {
        total,
        size,
        current,
        pages: 2,
        records: all.slice((current - 1) * size, current * size),
      });
    });
    const seen = await client("settling-key", 4).listPhones("app1");
    expect(server.requests).toHaveLength(4);
    expect(seen).toHaveLength(160);
  });
});

describe("Retry-After", () => {
  const server = scriptedServerPerSuite();

  /** The first `n` replies are `status` with `headers`; then success. */
  function pushBack(n: number, status: number, headers: Record<string, string>): void {
    server.setScript((req, res) => {
      if (server.requests.length <= n) {
        res.writeHead(status, headers);
        return res.end();
      }
      reply(res, "0", { account: JSON.parse(req.body).account ?? "a", password: "Pw" });
    });
  }

  let keys = 0;
  function client(extra: object = {}) {
    const time = fakeTime();
    const voice = new VoiceClient({
      apiKey: `retry-after-${++keys}`,
      apiSecret: SECRET,
      baseUrl: server.url,
      now: time.now,
      sleep: time.sleep,
      random: () => 0.5,
      ...extra,
    });
    return { voice, waits: time.waits, time };
  }

  it.each([429, 503])(
    "HTTP %i with Retry-After: 2 waits 2 s, then retries within the attempt budget",
    async (status) => {
      pushBack(1, status, { "Retry-After": "2" });
      const { voice, waits } = client();
      await voice.sipReset({ appId: "app1", account: "phone_1" });
      expect(server.requests).toHaveLength(2);
      expect(waits).toEqual([2_000]);
    },
  );

  it("an HTTP-date Retry-After waits until that date", async () => {
    const { voice, waits, time } = client();
    pushBack(1, 429, { "Retry-After": new Date(time.now() + 5_000).toUTCString() });
    await voice.sipReset({ appId: "app1", account: "phone_1" });
    expect(waits).toEqual([5_000]);
  });

  it("a wall clock stepped back an hour during a Retry-After hold does not stretch it: the hold is on the monotonic clock", async () => {
    pushBack(1, 429, { "Retry-After": "1" });
    const time = fakeTime();
    let stepped = 0;
    const voice = new VoiceClient({
      apiKey: `retry-after-${++keys}`,
      apiSecret: SECRET,
      baseUrl: server.url,
      // The wall clock (signing, HTTP dates): NTP steps it back an hour once the 429 is in.
      now: () => time.now() - stepped,
      monotonicNow: time.now,
      sleep: async (ms: number) => {
        stepped = 3_600_000;
        await time.sleep(ms);
      },
      random: () => 0.5,
    });
    await voice.sipReset({ appId: "app1", account: "phone_1" });
    expect(server.requests).toHaveLength(2);
    expect(time.waits).toEqual([1_000]);
  });

  it(`an account is held at most ${MAX_HELD_MS / 60_000} minutes in all per process: past that a Retry-After fails the call at once`, async () => {
    pushBack(1_000, 429, { "Retry-After": "60" });
    const { voice, waits } = client();
    const requestsOf: number[] = [];
    for (let call = 0; call < 6; call++) {
      const before = server.requests.length;
      await apiFailure(voice.sipReset({ appId: "app1", account: "phone_1" }));
      requestsOf.push(server.requests.length - before);
    }
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(MAX_HELD_MS);
    // Three attempts a call while the account may still be held; then one, unwaited.
    expect(requestsOf.slice(0, 3)).toEqual([3, 3, 3]);
    expect(requestsOf.at(-1)).toBe(1);
  });

  it("Retry-After never adds attempts: three 429s are three requests and a failure", async () => {
    pushBack(10, 429, { "Retry-After": "1" });
    const { voice, waits } = client();
    const error = await apiFailure(voice.sipReset({ appId: "app1", account: "phone_1" }));
    expect([error.code, error.httpStatus]).toEqual(["HTTP_ERROR", 429]);
    expect(server.requests).toHaveLength(3);
    expect(waits.filter((ms) => ms === 1_000).length).toBeGreaterThanOrEqual(2);
  });

  it("a Retry-After beyond the cap is not retried; the error says how long the API asked for", async () => {
    pushBack(1, 429, { "Retry-After": "3600" });
    const { voice, waits } = client();
    const error = await apiFailure(voice.sipReset({ appId: "app1", account: "phone_1" }));
    expect(error.message).toMatch(/HTTP 429 \(the API asks to retry after 3600 s\)/);
    expect(server.requests).toHaveLength(1);
    expect(waits.every((ms) => ms <= 60_000)).toBe(true);
    // The account is held no longer than the cap either: the next call on it (the API
    // answers again) waits at most 60 s, not the 3,600 s asked for.
    await voice.sipReset({ appId: "app1", account: "phone_1" });
    expect(server.requests).toHaveLength(2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(60_000);
  });

  it("sipAdd is retried after a 429 (a rate limiter rejects before anything happens), never after a 503", async () => {
    pushBack(1, 429, { "Retry-After": "1" });
    await client().voice.sipAdd(GROUP);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    pushBack(1, 503, { "Retry-After": "1" });
    const error = await apiFailure(client().voice.sipAdd(GROUP));
    expect([error.code, error.httpStatus, error.ambiguous]).toEqual(["HTTP_ERROR", 503, true]);
    expect(server.requests).toHaveLength(1);
  });

  it("a 429 lowers the account's request limit", async () => {
    pushBack(1, 429, { "Retry-After": "1" });
    const { voice } = client({ maxConcurrency: 8 });
    await voice.sipReset({ appId: "app1", account: "phone_1" });
    expect(voice.requestLimit).toBe(4);
  });
});

// How a user sees limit changes (NODE_DEBUG=itniotech on the provider host's stderr): tests/e2e/debug-output.test.ts.
