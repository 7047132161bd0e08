/**
 * `npm run bench`: what the provider costs at scale, next to the naive reference
 * (bench/naive.ts), against the local emulator with a realistic 50 ms latency on
 * every call: `pulumi up` (preview and create), `pulumi refresh`, a `pulumi up`
 * rotating every password and `pulumi destroy`. Prints tables; asserts nothing
 * (timings are not tests).
 *
 * The emulator runs in its own process (bench/cliEmulator.ts), and so does the
 * provider, one process per command as the engine starts them: a plain Node.js
 * process for the timings (bench/providerWorker.ts), and for the largest size once
 * more Pulumi's real dynamic-provider host (bench/providerHost.ts), whose peak
 * memory is what a user's machine spends. Every resource is operated at once, as
 * the engine does (`pulumi up --parallel` is unbounded by default). The emulator
 * counts each command's calls, its 429 answers and the most requests it had in
 * flight. A last run rotates 5,000 phones against the emulator limited to 100
 * requests a second.
 *
 * Sizes: 1, 10, 100 and 500 groups (25,000 phones: one run, no naive reference,
 * whose refresh alone would make 125,000 calls). RTT is measured again before each
 * size, so every bound uses the latency of the machine at that moment.
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { DEMO_CREDENTIALS } from "../emulator";
import { LIMITS } from "../protocol/rules";
import { VoiceClient } from "../provider";
import { DEFAULT_CONCURRENCY } from "../provider/config";
import { spawnEmulator } from "./cliEmulator";
import { naiveGroupProvider } from "./naive";
import { startProviderHost } from "./providerHost";
import type { ProviderProcess, Props, Timed } from "./providerProcess";
import { startProviderWorker } from "./providerWorker";

const LATENCY_MS = Number(process.env["BENCH_LATENCY_MS"] ?? 50);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const SIZES = (process.env["BENCH_SIZES"] ?? "1,10,100,500").split(",").map(Number);
/** Above this many groups the naive reference is left out, and one run is made. */
const NAIVE_MAX_GROUPS = 100;
/** The rate-limited run: requests per second the emulator allows, and the groups rotated. */
const RATE_LIMIT = Number(process.env["BENCH_RATE_LIMIT"] ?? 100);
const LIMITED_GROUPS = Number(process.env["BENCH_LIMITED_GROUPS"] ?? 100);
const PHONES_PER_GROUP = 50;
/** The engine's `--parallel` of the host's second rotation (the first, like `pulumi up`, is unbounded). */
const HOST_PARALLEL = Number(process.env["BENCH_HOST_PARALLEL"] ?? 32);
const PAGE = 100;
const CONCURRENCY = Number(process.env["ITNIOTECH_CONCURRENCY"] ?? DEFAULT_CONCURRENCY);
const OPERATIONS = ["preview", "create", "refresh", "rotate", "delete"] as const;
type Operation = (typeof OPERATIONS)[number];
/**
 * What the naive reference runs. Not delete: its delete would be its update's loop
 * (one reset after another, the same calls), whose cost the rotate row already shows,
 * and running it would add a minute to the benchmark.
 */
const NAIVE_OPERATIONS: ReadonlySet<Operation> = new Set(["create", "refresh", "rotate"]);

/** What the emulator saw during one command, how long it took, and what the provider process held. */
interface Measure {
  /** API requests, 429 answers included. */
  calls: number;
  rateLimited: number;
  maxInFlight: number;
  ms: number;
  /** 1-minute load average of the machine when the command ended. */
  load: number;
  /** The provider process's peak resident memory (MiB) when the command ended. */
  rssMiB?: number | undefined;
  /** Its peak heap in use (MiB), where the process can tell. */
  heapMiB?: number | undefined;
  /** Resources whose operation failed. */
  failed: number;
}

/** The emulator in its own process; faults and counters go through its operator endpoints. */
interface RemoteEmulator {
  baseUrl: string;
  inject(fault: object): Promise<void>;
  /** Zeroes the counters and the in-flight high-water mark: a measurement starts. */
  startMeasure(): Promise<void>;
  summary(): Promise<{ counters: Record<string, number>; maxInFlight: number; rateLimited: number }>;
  close(): void;
}

async function startRemoteEmulator(args: string[] = []): Promise<RemoteEmulator> {
  const { url, baseUrl, child } = await spawnEmulator(["--max-phones", "1000000", ...args]);
  const operator = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${url}/_emulator/${path}`, init);
    if (!response.ok) throw new Error(`${init.method ?? "GET"} /_emulator/${path}: HTTP ${response.status}`);
    return response;
  };
  return {
    baseUrl,
    async inject(fault) {
      await operator("faults", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(fault),
      });
    },
    async startMeasure() {
      await operator("requests", { method: "DELETE" });
    },
    async summary() {
      return (await (await operator("summary")).json()) as Awaited<ReturnType<RemoteEmulator["summary"]>>;
    },
    close: () => void child.kill("SIGTERM"),
  };
}

/** One command, bracketed by the emulator's counters; the time is the one the command reports. */
async function measure<T>(
  emulator: RemoteEmulator,
  work: () => Promise<Timed<T>>,
  memory: () => Promise<{ rssMiB?: number | undefined; heapMiB?: number | undefined }> = async () => ({}),
): Promise<{ measure: Measure; value: T }> {
  await emulator.startMeasure();
  const result = await work();
  const { counters, maxInFlight, rateLimited } = await emulator.summary();
  if (result.failed > 0)
    console.error(`  ${result.failed} resources failed, the first with: ${result.firstError}`);
  return {
    value: result.value,
    measure: {
      calls: Object.values(counters).reduce((a, b) => a + b, 0),
      rateLimited,
      maxInFlight,
      ms: result.ms,
      load: loadavg()[0] as number,
      ...(await memory()),
      failed: result.failed,
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

let runId = 0;

function groupsFor(n: number, appId: string, prefix: string): Props[] {
  return Array.from({ length: n }, (_, i) => ({
    appId,
    groupName: `${prefix}bench-${runId}-g${i}`,
    phoneName: `${prefix}b${runId}p${i}`,
    quantity: PHONES_PER_GROUP,
    displayNum: "8610000000",
  }));
}

function stackConfig(emulator: RemoteEmulator): Record<string, string> {
  return {
    "itniotech:apiKey": DEMO_CREDENTIALS.apiKey,
    "itniotech:apiSecret": DEMO_CREDENTIALS.apiSecret,
    "itniotech:baseUrl": emulator.baseUrl,
    "itniotech:concurrency": String(CONCURRENCY),
  };
}

/** Starts one provider process (one `pulumi` command), configured for the emulator. */
type Starter<S> = (config: Record<string, string>) => Promise<ProviderProcess<S>>;

/** First-call times of new provider processes (cold: code and connection), in ms. */
const firstCalls: number[] = [];

/** Runs `body` in a new, warmed provider process, always closing it; keeps what it printed. */
async function command<S, T>(
  emulator: RemoteEmulator,
  start: Starter<S>,
  printed: string[],
  body: (provider: ProviderProcess<S>) => Promise<T>,
): Promise<T> {
  const provider = await start(stackConfig(emulator));
  try {
    firstCalls.push(await provider.warm());
    return await body(provider);
  } finally {
    printed.push(provider.output());
    await provider.close();
  }
}

/**
 * `pulumi up` (preview, then create, in one process), `pulumi refresh`, and `pulumi up`
 * rotating every password: three provider processes. Returns the resources' states
 * after the rotation, for `destroy`.
 */
async function lifecycle<S>(
  emulator: RemoteEmulator,
  start: Starter<S>,
  n: number,
): Promise<{ measures: Record<Exclude<Operation, "delete">, Measure>; printed: string[]; states: S[] }> {
  const groups = groupsFor(n, `ours-${runId}`, "");
  const printed: string[] = [];
  const up = await command(emulator, start, printed, async (provider) => {
    const memory = () => provider.memory();
    const shown = await measure(emulator, () => provider.preview(groups), memory);
    const created = await measure(emulator, () => provider.create(), memory);
    return { preview: shown.measure, create: created };
  });
  const read = await command(emulator, start, printed, (provider) =>
    measure(
      emulator,
      () => provider.refresh(up.create.value),
      () => provider.memory(),
    ),
  );
  const rotated = await command(emulator, start, printed, (provider) =>
    measure(
      emulator,
      () => provider.rotate(read.value, runId),
      () => provider.memory(),
    ),
  );
  return {
    measures: {
      preview: up.preview,
      create: up.create.measure,
      refresh: read.measure,
      rotate: rotated.measure,
    },
    printed,
    states: rotated.value,
  };
}

/** `pulumi destroy`: a fourth provider process deletes every resource (one sipReset per phone). */
async function destroy<S>(emulator: RemoteEmulator, start: Starter<S>, states: S[]): Promise<Measure> {
  const deleted = await command(emulator, start, [], (provider) =>
    measure(
      emulator,
      () => provider.delete(states),
      () => provider.memory(),
    ),
  );
  return deleted.measure;
}

/** The whole life of `n` groups: `lifecycle`, then `destroy`. */
async function wholeLife<S>(
  emulator: RemoteEmulator,
  start: Starter<S>,
  n: number,
): Promise<Record<Operation, Measure>> {
  const { measures, states } = await lifecycle(emulator, start, n);
  return { ...measures, delete: await destroy(emulator, start, states) };
}

/** The naive reference in this process, through the same client (so the same request budget). */
async function naiveLifecycle(
  emulator: RemoteEmulator,
  n: number,
): Promise<Partial<Record<Operation, Measure>>> {
  const client = new VoiceClient({
    ...DEMO_CREDENTIALS,
    baseUrl: emulator.baseUrl,
    maxConcurrency: CONCURRENCY,
  });
  const naive = naiveGroupProvider(client);
  const groups = groupsFor(n, `naive-${runId}`, "n") as unknown as Array<Parameters<typeof naive.create>[0]>;
  const all = async <T>(work: () => Promise<T[]>): Promise<Timed<T[]>> => {
    const started = performance.now();
    const value = await work();
    return { ms: performance.now() - started, failed: 0, firstError: undefined, value };
  };
  const created = await measure(emulator, () => all(() => Promise.all(groups.map((g) => naive.create(g)))));
  const states = created.value;
  const read = await measure(emulator, () =>
    all(() => Promise.all(states.map((s) => naive.read(s.id, s.outs)))),
  );
  const rotated = await measure(emulator, () =>
    all(() => Promise.all(states.map((s) => naive.update(s.id, s.outs as never)))),
  );
  return { create: created.measure, refresh: read.measure, rotate: rotated.measure };
}

/**
 * One call's latency end to end (signing, HTTP on loopback, the emulator's latency,
 * serializing and parsing), per kind of call, in ms: each the median of 20.
 */
interface Rtts {
  /** A sipReset (one phone's new password). */
  reset: number;
  /** A sipQuery page of 100 phones (about 15 KB to serialize and parse). */
  page: number;
  /** A sipAdd of one benchmark group (50 phones). */
  add: number;
}

/**
 * Issue 15's wall-time bound for an operation (c = the request budget). A listing's
 * pages and a create's adds start in bursts of up to c at once, each burst costed
 * with the RTT of its kind for that many calls at once: a lone call
 * (a scan's first page) with the RTT alone, a full round of c with the RTT in a round
 * of c, a partial round of k in between (linearly: each other call in flight adds its
 * share of the CPU). Undefined where there is no bound. The last page of a scan may
 * hold fewer than 100 phones: costed as a full one.
 */
function boundMs(operation: Operation, n: number, c: number, probe: Probe): number | undefined {
  const phones = n * PHONES_PER_GROUP;
  const pages = Math.ceil(phones / PAGE);
  /** `calls` calls of one kind, at most c at a time: the sum of their rounds' RTTs. */
  const rounds = (kind: keyof Rtts, calls: number): number => {
    const cost = (k: number) =>
      c === 1
        ? probe.round[kind]
        : probe.alone[kind] + ((probe.round[kind] - probe.alone[kind]) * (k - 1)) / (c - 1);
    return Math.floor(calls / c) * cost(c) + (calls % c > 0 ? cost(calls % c) : 0);
  };
  const scan = rounds("page", 1) + rounds("page", pages - 1);
  switch (operation) {
    case "create":
      return 1.3 * (rounds("add", n) + scan);
    case "refresh":
      return 1.3 * scan;
    case "rotate":
    case "delete":
      // A steady stream, not bursts: each reset's CPU overlaps the others' waiting,
      // so a round costs what one call alone does (measured: 57 ms a round at 10
      // groups when a call alone took 54 and a burst of 16 took 70).
      return 1.2 * (phones / c) * probe.alone.reset;
    default:
      return undefined;
  }
}

function minimumCalls(operation: Operation, n: number): number {
  const phones = n * PHONES_PER_GROUP;
  switch (operation) {
    case "preview":
      return 0;
    case "create":
      // n adds, then the application must be listed at least once.
      return n + Math.ceil(phones / PAGE);
    case "refresh":
      return Math.ceil(phones / PAGE);
    default:
      return phones;
  }
}

/** What a call of each kind costs alone, and within a round of c calls of its kind at once. */
interface Probe {
  /** One call at a time: the latency the emulator adds, plus one request's own cost. */
  alone: Rtts;
  /**
   * c calls at once, as every round of the benchmarked operations runs: each call also
   * waits for the CPU the other c − 1 take on the same 2 cores (both sides' signing,
   * serializing and parsing). The bounds use this one.
   */
  round: Rtts;
}

/** Rounds of c calls per kind in a probe (sipAdd fewer: every add stays on the emulator for good). */
const PROBE_ROUNDS = { reset: 5, page: 5, add: 2 } as const;

/**
 * What one call of each kind costs end to end: returns a probe that measures it now,
 * alone (median of 20 calls one after another) and within rounds of c calls at once
 * (median of every call's latency over `PROBE_ROUNDS`), in applications of their own
 * (never the benchmarked one, whose page counts they would change). sipAdd is measured
 * too although each call adds a group for good (the API cannot delete): 52 groups of
 * 50 phones per size, in an application nothing else reads.
 */
async function latencyProbe(emulator: RemoteEmulator): Promise<() => Promise<Probe>> {
  const client = new VoiceClient({
    ...DEMO_CREDENTIALS,
    baseUrl: emulator.baseUrl,
    maxConcurrency: CONCURRENCY,
  });
  const group = (appId: string, name: string, quantity: number) =>
    client.sipAdd({ appId, groupName: name, phoneName: name, quantity, displayNum: "8610000000" });
  // Distinct accounts for a round of resets: a vendor may serialize one account's.
  await group("latency", "latencyprobe", Math.min(LIMITS.quantityMax, CONCURRENCY));
  const { records } = await client.sipQuery({ appId: "latency", current: 1, size: PAGE });
  const account = (i: number) => (records[i % records.length] as { account: string }).account;
  // A full page: PAGE phones, in groups of the most one sipAdd makes.
  for (let added = 0; added < PAGE; added += LIMITS.quantityMax)
    await group("latency-page", `latencypage${added}`, Math.min(LIMITS.quantityMax, PAGE - added));
  let adds = 0;
  const calls = {
    reset: (i: number) => client.sipReset({ appId: "latency", account: account(i) }),
    page: () => client.sipQuery({ appId: "latency-page", current: 1, size: PAGE }),
    add: () => group("latency-add", `latencyadd${adds++}`, PHONES_PER_GROUP),
  };
  const timedCall = async (call: () => Promise<unknown>) => {
    const started = performance.now();
    await call();
    return performance.now() - started;
  };
  const alone = async (call: (i: number) => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push(await timedCall(() => call(i)));
    return median(times);
  };
  const inRounds = async (call: (i: number) => Promise<unknown>, rounds: number) => {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++)
      times.push(
        ...(await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => timedCall(() => call(i))))),
      );
    return median(times);
  };
  return async () => ({
    alone: { reset: await alone(calls.reset), page: await alone(calls.page), add: await alone(calls.add) },
    round: {
      reset: await inRounds(calls.reset, PROBE_ROUNDS.reset),
      page: await inRounds(calls.page, PROBE_ROUNDS.page),
      add: await inRounds(calls.add, PROBE_ROUNDS.add),
    },
  });
}

/** The `__provider` text the SDK writes into every SipPhoneGroup, and what serializing costs. */
async function serializedProviders(): Promise<{ groupProvider: string; lines: string[] }> {
  const { serializeFunction } = await import("@pulumi/pulumi/runtime/closure/serializeClosure");
  const shells = await import("../sdk/providers");
  const lines: string[] = [];
  let groupProvider = "";
  for (const [name, provider] of [
    ["SipPhoneGroup", shells.sipPhoneGroupProvider],
    ["SipPhonePassword", shells.sipPhonePasswordProvider],
  ] as const) {
    const times: number[] = [];
    let text = "";
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      ({ text } = await serializeFunction(() => provider, { allowSecrets: true }));
      times.push(performance.now() - started);
    }
    if (name === "SipPhoneGroup") groupProvider = text;
    lines.push(`| ${name} | ${Buffer.byteLength(text)} | ${median(times).toFixed(2)} |`);
  }
  return { groupProvider, lines };
}

const mib = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "—" : value.toFixed(0);
const fixed = (value: number, digits = 0) => value.toFixed(digits);
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** The main table: every size through worker processes, with the naive reference beside it. */
async function fleetTable(emulator: RemoteEmulator, probe: () => Promise<Probe>): Promise<void> {
  const worker: Starter<unknown> = (config) => startProviderWorker(config);
  const cold = firstCalls.length;
  const alone: string[] = [];
  console.log(
    "| groups | phones | operation | RTT sipReset ms (alone) | RTT page ms (burst of c) | RTT sipAdd ms (burst of c) | min calls | calls | ms | bound ms | ms/bound | ms/bound (RTT alone) | max in flight | peak RSS MiB | peak heap MiB | failed | naive calls | naive ms | naive/ours time | load |",
  );
  console.log(
    "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const n of SIZES) {
    // Measured again for every size: the machine is shared and its load moves.
    const measured = await probe();
    const rtt = measured.round;
    alone.push(
      `${n} groups: alone ${fixed(measured.alone.reset, 1)} / ${fixed(measured.alone.page, 1)} / ` +
        `${fixed(measured.alone.add, 1)} ms, in a burst of c ${fixed(rtt.reset, 1)} / ${fixed(rtt.page, 1)} / ${fixed(rtt.add, 1)} ms`,
    );
    const naiveToo = n <= NAIVE_MAX_GROUPS;
    const runs: Array<{ ours: Record<Operation, Measure>; naive?: Partial<Record<Operation, Measure>> }> = [];
    for (let r = 0; r < (naiveToo ? RUNS : 1); r++) {
      runId++;
      const ours = await wholeLife(emulator, worker, n);
      runs.push({ ours, ...(naiveToo ? { naive: await naiveLifecycle(emulator, n) } : {}) });
    }
    for (const operation of OPERATIONS) {
      const ours = runs.map((run) => run.ours[operation]);
      const pick = (f: (m: Measure) => number) => median(ours.map(f));
      const most = (f: (m: Measure) => number | undefined) => Math.max(...ours.map((m) => f(m) ?? NaN));
      const naive =
        naiveToo && NAIVE_OPERATIONS.has(operation)
          ? runs.map((run) => run.naive?.[operation] as Measure)
          : [];
      const ms = pick((m) => m.ms);
      const bound = boundMs(operation, n, CONCURRENCY, measured);
      // The same bound with every call costed as one call alone (the issue's RTT read strictly).
      const strict = boundMs(operation, n, CONCURRENCY, { alone: measured.alone, round: measured.alone });
      const naiveMs = naive.length > 0 ? median(naive.map((m) => m.ms)) : undefined;
      console.log(
        `| ${n} | ${n * PHONES_PER_GROUP} | ${operation} | ${fixed(measured.alone.reset, 1)} | ${fixed(rtt.page, 1)} | ${fixed(rtt.add, 1)} | ${minimumCalls(operation, n)} | ${pick((m) => m.calls)} | ` +
          `${fixed(ms)} | ${bound === undefined ? "—" : fixed(bound)} | ${bound === undefined ? "—" : fixed(ms / bound, 2)} | ` +
          `${strict === undefined ? "—" : fixed(ms / strict, 2)} | ` +
          `${most((m) => m.maxInFlight)} | ${mib(most((m) => m.rssMiB))} | ${mib(most((m) => m.heapMiB))} | ` +
          `${ours.reduce((sum, m) => sum + m.failed, 0)} | ` +
          `${naiveMs === undefined ? "—" : median(naive.map((m) => m.calls))} | ${naiveMs === undefined ? "—" : fixed(naiveMs)} | ` +
          `${naiveMs === undefined || ms === 0 ? "—" : `${fixed(naiveMs / ms, 1)}×`} | ${fixed(
            pick((m) => m.load),
            1,
          )} |`,
      );
    }
  }
  console.log(
    "\nbounds (issue 15, each round of calls costed with the RTT of its kind; c = itniotech:concurrency, " +
      "pages = ⌈phones/100⌉): create 1.3 × (⌈N/c⌉ × RTT sipAdd + (1 + ⌈(pages − 1)/c⌉) × RTT page); " +
      "refresh 1.3 × (1 + ⌈(pages − 1)/c⌉) × RTT page; rotate and delete 1.2 × phones/c × RTT sipReset alone. " +
      "RTT of create and refresh, whose pages and adds start in bursts: one call's latency within a burst of c calls " +
      "of its kind at once (the median over several bursts; a " +
      `sipQuery page of 100 phones, a sipAdd of ${PHONES_PER_GROUP} phones), measured just before the size's runs; ` +
      "a lone call (a scan's first page) is costed with the RTT of one call alone, a round of k < c in between. " +
      "max in flight: the emulator's " +
      "high-water mark; peak RSS / heap: the provider process's, after the command (RSS from the kernel, heap sampled " +
      "every 10 ms); both the largest of the runs; ms and load: medians.",
  );
  console.log(
    `\nRTT sipReset / page / sipAdd, one call alone (median of 20) and in a burst of c at once:\n${alone.join("\n")}`,
  );
  console.log(
    `\nEach command runs in a new provider process, which first makes one untimed call outside the counts (it loads ` +
      `the code and opens a connection; RTT is measured warm): median ${fixed(median(firstCalls.slice(cold)))} ms ` +
      `over ${firstCalls.length - cold} processes.`,
  );
}

/** The largest size once more, in Pulumi's real dynamic-provider host: the memory a user's machine spends. */
async function hostTable(emulator: RemoteEmulator, provider: string): Promise<void> {
  const n = Math.max(...SIZES);
  const host: Starter<unknown> = (config) => startProviderHost(config, provider);
  const idle = await command(emulator, host, [], (p) => p.memory());
  runId++;
  const { measures: lived, states } = await lifecycle(emulator, host, n);
  // Once more at the engine's `--parallel`: the same requests (the budget bounds them
  // anyway), far fewer operations held by the host at once.
  const bounded: Starter<unknown> = (config) => startProviderHost(config, provider, {}, HOST_PARALLEL);
  const again = await command(emulator, bounded, [], (p) =>
    measure(
      emulator,
      () => p.rotate(states, runId + 0.5),
      () => p.memory(),
    ),
  );
  const measures: Record<string, Measure> = {
    ...lived,
    [`rotate, --parallel ${HOST_PARALLEL}`]: again.measure,
    delete: await destroy(emulator, host, again.value),
  };
  console.log(
    `\nthe same commands in Pulumi's dynamic-provider host, ${n} groups / ${n * PHONES_PER_GROUP} phones ` +
      `(configured and idle: ${mib(idle.rssMiB)} MiB peak RSS)\n`,
  );
  console.log(
    "| operation | calls | ms (with the engine's gRPC hops) | max in flight | host peak RSS MiB | failed | load |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const [operation, m] of Object.entries(measures)) {
    console.log(
      `| ${operation} | ${m.calls} | ${fixed(m.ms)} | ${m.maxInFlight} | ${mib(m.rssMiB)} | ${m.failed} | ${fixed(m.load, 1)} |`,
    );
  }
}

/** Lowest request limit a provider's debug output reports, and how many decreases it took. */
function limitChanges(output: string): { lowest: number; decreases: number } {
  let lowest = CONCURRENCY;
  let decreases = 0;
  for (const [, from, to] of output.matchAll(/request limit (\d+) -> (\d+)/g)) {
    if (Number(to) < Number(from)) decreases++;
    lowest = Math.min(lowest, Number(to));
  }
  return { lowest, decreases };
}

/**
 * Create, refresh and rotate against the emulator limited to RATE_LIMIT requests a
 * second: first as the provider learns the limit (AIMD on the 429s), then paced to
 * it (`itniotech:requestsPerSecond`), as an operator who knows the vendor's quota sets it.
 */
async function rateLimitedRun(): Promise<void> {
  const passes = [
    { title: "not paced (AIMD learns the limit from the 429s)", config: {} },
    {
      title: `paced: itniotech:requestsPerSecond=${RATE_LIMIT}`,
      config: { "itniotech:requestsPerSecond": String(RATE_LIMIT) },
    },
  ];
  for (const pass of passes) {
    const emulator = await startRemoteEmulator(["--rate-limit", String(RATE_LIMIT)]);
    try {
      await emulator.inject({ kind: "latency", ms: LATENCY_MS, phase: "before" });
      runId++;
      const worker: Starter<unknown> = (config) =>
        startProviderWorker({ ...config, ...pass.config }, { NODE_DEBUG: "itniotech" });
      const { measures, printed } = await lifecycle(emulator, worker, LIMITED_GROUPS);
      console.log(
        `\nagainst the emulator limited to ${RATE_LIMIT} requests/s (HTTP 429 + Retry-After beyond it), ` +
          `${LIMITED_GROUPS} groups / ${LIMITED_GROUPS * PHONES_PER_GROUP} phones, ${LATENCY_MS} ms latency, ` +
          `c = ${CONCURRENCY}, ${pass.title}\n`,
      );
      console.log(
        "| operation | requests | 429 answers | 429 share | failed resources | ms | floor ms (answered / rate) | max in flight | lowest request limit (decreases) | peak RSS MiB | load |",
      );
      console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      // One printed output per process: create shares its process with the preview.
      const processOf: Partial<Record<Operation, number>> = { create: 0, refresh: 1, rotate: 2 };
      for (const operation of ["create", "refresh", "rotate"] as const) {
        const m = measures[operation];
        const answered = m.calls - m.rateLimited;
        const limit = limitChanges(printed[processOf[operation] as number] ?? "");
        console.log(
          `| ${operation} | ${m.calls} | ${m.rateLimited} | ${m.calls ? fixed((100 * m.rateLimited) / m.calls, 2) : "0"}% | ` +
            `${m.failed} | ${fixed(m.ms)} | ${fixed((answered / RATE_LIMIT) * 1000)} | ${m.maxInFlight} | ` +
            `${limit.lowest} (${limit.decreases}) | ${mib(m.rssMiB)} | ${fixed(m.load, 1)} |`,
        );
      }
    } finally {
      emulator.close();
    }
  }
  console.log(
    "\nfloor: the time the limit alone needs for the requests answered; lowest request limit: the provider's " +
      "in-flight limit after push-back (AIMD, from NODE_DEBUG=itniotech) and how many times it was lowered.",
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const { groupProvider, lines } = await serializedProviders();
  const emulator = await startRemoteEmulator();
  try {
    await emulator.inject({ kind: "latency", ms: LATENCY_MS, phase: "before" });
    console.log(
      `pulumi-itniotech benchmark: ${PHONES_PER_GROUP} phones per group, ${LATENCY_MS} ms emulator latency per call, ` +
        `itniotech:concurrency=${CONCURRENCY},`,
    );
    console.log(
      `median of ${RUNS} runs (1 above ${NAIVE_MAX_GROUPS} groups), every resource operated at once (as the engine does), ` +
        "a new provider process per command\n",
    );
    const probe = await latencyProbe(emulator);
    console.log(`load average at the start ${loads()}\n`);
    await fleetTable(emulator, probe);
    await hostTable(emulator, groupProvider);
  } finally {
    emulator.close();
  }
  if (LIMITED_GROUPS > 0) await rateLimitedRun();
  console.log("\n| resource type | `__provider` bytes | serialization ms (median of 20) |\n|---|---:|---:|");
  for (const line of lines) console.log(line);
  console.log(
    `\nbench time ${fixed((performance.now() - started) / 1000)} s; load average at the end ${loads()}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
