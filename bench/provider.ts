/**
 * `npm run bench`: what the provider costs at scale, next to the naive reference
 * (bench/naive.ts), against the local emulator with a realistic 50 ms latency on
 * every call. Prints tables; asserts nothing (timings are not tests).
 *
 * Operations are issued the way the engine issues them: every resource at once
 * (`pulumi up --parallel` is unbounded by default). A refresh runs in a new provider
 * process, so our shared snapshot starts empty for it (`directory.clear()`).
 */
import { performance } from "node:perf_hooks";
import { DEMO_CREDENTIALS, type Fault } from "../emulator";
import { configure, sipPhoneGroupProvider, VoiceClient } from "../provider";
import { currentSettings } from "../provider/config";
import { directory } from "../provider/directory";
import { spawnEmulator } from "./cliEmulator";
import { naiveGroupProvider } from "./naive";

const LATENCY_MS = Number(process.env["BENCH_LATENCY_MS"] ?? 50);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const SIZES = (process.env["BENCH_SIZES"] ?? "1,10,100").split(",").map(Number);
const PHONES_PER_GROUP = 50;
const PAGE = 100;

type Props = Record<string, unknown>;
interface Measure {
  calls: number;
  ms: number;
}
interface Row {
  n: number;
  operation: string;
  phones: number;
  minimum: number;
  ours: Measure;
  naive: Measure;
}

let runId = 0;

/** The emulator in its own process; faults and counters go through its operator endpoints. */
interface RemoteEmulator {
  url: string;
  baseUrl: string;
  calls(): Promise<number>;
  inject(fault: Fault): Promise<void>;
  close(): void;
}

async function startRemoteEmulator(): Promise<RemoteEmulator> {
  const { url, baseUrl, child } = await spawnEmulator(["--max-phones", "1000000"]);
  return {
    url,
    baseUrl,
    async calls() {
      const { counters } = (await (await fetch(`${url}/_emulator/requests`)).json()) as {
        counters: Record<string, number>;
      };
      return Object.values(counters).reduce((a, b) => a + b, 0);
    },
    async inject(fault) {
      await fetch(`${url}/_emulator/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(fault),
      });
    },
    close: () => void child.kill("SIGTERM"),
  };
}

type Emulator = RemoteEmulator;

async function measure(emulator: Emulator, work: () => Promise<unknown>): Promise<Measure> {
  const before = await emulator.calls();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  return { ms, calls: (await emulator.calls()) - before };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function groupsFor(n: number, appId: string): Props[] {
  return Array.from({ length: n }, (_, i) => ({
    appId,
    groupName: `bench-${runId}-g${i}`,
    phoneName: `b${runId}p${i}`,
    quantity: PHONES_PER_GROUP,
    displayNum: "8610000000",
  }));
}

/** One full lifecycle (create, refresh, rotate) for both implementations, in separate applications. */
async function runOnce(
  emulator: Emulator,
  n: number,
): Promise<Record<string, { ours: Measure; naive: Measure }>> {
  runId++;
  const client = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: emulator.baseUrl });
  const naive = naiveGroupProvider(client);
  const oursApp = `ours-${runId}`;
  const naiveApp = `naive-${runId}`;
  const oursGroups = groupsFor(n, oursApp);
  const naiveGroups = groupsFor(n, naiveApp).map((g) => ({
    ...g,
    groupName: `n${g["groupName"]}`,
    phoneName: `n${g["phoneName"]}`,
  }));
  const out: Record<string, { ours: Measure; naive: Measure }> = {};

  let oursState: Array<{ id: string; outs: Props }> = [];
  let naiveState: Array<{ id: string; outs: Props }> = [];
  out["preview"] = {
    ours: await measure(emulator, () =>
      Promise.all(
        oursGroups.map(async (g) =>
          sipPhoneGroupProvider.diff("", {}, (await sipPhoneGroupProvider.check({}, g)).inputs),
        ),
      ),
    ),
    naive: { calls: 0, ms: 0 },
  };
  out["create"] = {
    ours: await measure(emulator, async () => {
      oursState = await Promise.all(
        oursGroups.map((g) => sipPhoneGroupProvider.create(g) as Promise<{ id: string; outs: Props }>),
      );
    }),
    naive: await measure(emulator, async () => {
      naiveState = await Promise.all(naiveGroups.map((g) => naive.create(g as never)));
    }),
  };
  directory.clear();
  out["refresh"] = {
    ours: await measure(emulator, () =>
      Promise.all(oursState.map((s) => sipPhoneGroupProvider.read(s.id, s.outs))),
    ),
    naive: await measure(emulator, () =>
      Promise.all(naiveState.map((s) => naive.read(s.id, s.outs as never))),
    ),
  };
  out["rotate"] = {
    ours: await measure(emulator, () =>
      Promise.all(
        oursState.map((s) =>
          sipPhoneGroupProvider.update(s.id, s.outs, { ...s.outs, resetTriggers: [runId] }),
        ),
      ),
    ),
    naive: await measure(emulator, () =>
      Promise.all(naiveState.map((s) => naive.update(s.id, s.outs as never))),
    ),
  };
  return out;
}

/**
 * Issue 15's wall-time bound for an operation (c = the request budget, RTT = one
 * call's latency measured in the same run); undefined where there is none.
 */
function boundMs(operation: string, n: number, c: number, rtt: number): number | undefined {
  const phones = n * PHONES_PER_GROUP;
  const pagesAfterFirst = Math.ceil((Math.ceil(phones / PAGE) - 1) / c);
  switch (operation) {
    case "create":
      return 1.3 * (Math.ceil(n / c) + 1 + pagesAfterFirst) * rtt;
    case "refresh":
      return 1.3 * (1 + pagesAfterFirst) * rtt;
    case "rotate":
      return 1.2 * (phones / c) * rtt;
    default:
      return undefined;
  }
}

function minimumCalls(operation: string, n: number): number {
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

/** What one call costs end to end (signing, HTTP on loopback, the emulator's latency). */
async function singleCallLatency(emulator: Emulator): Promise<number> {
  const client = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: emulator.baseUrl });
  await client.sipAdd({
    appId: "latency",
    groupName: "latency-probe",
    phoneName: "latencyprobe",
    quantity: 1,
    displayNum: "8610000000",
  });
  const [phone] = (await client.sipQuery({ appId: "latency", current: 1, size: 1 })).records;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await client.sipReset({ appId: "latency", account: (phone as { account: string }).account });
    times.push(performance.now() - started);
  }
  return median(times);
}

async function serializationFigures(): Promise<string[]> {
  const { serializeFunction } = await import("@pulumi/pulumi/runtime/closure/serializeClosure");
  const shells = await import("../sdk/providers");
  const lines: string[] = [];
  for (const [name, provider] of [
    ["SipPhoneGroup", shells.sipPhoneGroupProvider],
    ["SipPhonePassword", shells.sipPhonePasswordProvider],
  ] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const { text } = await serializeFunction(() => provider, { allowSecrets: true });
      times.push(performance.now() - started);
      bytes = Buffer.byteLength(text);
    }
    lines.push(`| ${name} | ${bytes} | ${median(times).toFixed(2)} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const emulator = await startRemoteEmulator();
  try {
    await configure({
      config: {
        get: (key: string) =>
          ({
            "itniotech:apiKey": DEMO_CREDENTIALS.apiKey,
            "itniotech:apiSecret": DEMO_CREDENTIALS.apiSecret,
            "itniotech:baseUrl": emulator.baseUrl,
          })[key],
        require: () => "",
      },
    });
    await emulator.inject({ kind: "latency", ms: LATENCY_MS, phase: "before" });
    const concurrency = currentSettings().concurrency;
    console.log(
      `pulumi-itniotech benchmark: ${PHONES_PER_GROUP} phones per group, ${LATENCY_MS} ms emulator latency per call,`,
    );
    console.log(
      `median of ${RUNS} runs, every resource operated at once (as the engine does), itniotech:concurrency=${concurrency}\n`,
    );
    // RTT first, so every row's bound uses the latency of this run.
    const single = await singleCallLatency(emulator);
    console.log(`single sipReset call (RTT), median of 20: ${single.toFixed(1)} ms\n`);
    const rows: Row[] = [];
    for (const n of SIZES) {
      const runs: Array<Record<string, { ours: Measure; naive: Measure }>> = [];
      for (let r = 0; r < RUNS; r++) runs.push(await runOnce(emulator, n));
      for (const operation of ["preview", "create", "refresh", "rotate"]) {
        const pick = (side: "ours" | "naive") => ({
          calls: median(runs.map((run) => run[operation]![side].calls)),
          ms: median(runs.map((run) => run[operation]![side].ms)),
        });
        rows.push({
          n,
          operation,
          phones: n * PHONES_PER_GROUP,
          minimum: minimumCalls(operation, n),
          ours: pick("ours"),
          naive: pick("naive"),
        });
      }
    }
    console.log(
      "| groups | phones | operation | min calls | ours calls | naive calls | ours ms | bound ms | ours/bound | naive ms | naive/ours time | ours/min calls |",
    );
    console.log("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of rows) {
      const ratio = row.ours.ms > 0 && row.naive.ms > 0 ? `${(row.naive.ms / row.ours.ms).toFixed(1)}×` : "—";
      const vsMin =
        row.minimum > 0
          ? `${(row.ours.calls / row.minimum).toFixed(2)}`
          : row.ours.calls === 0
            ? "1.00"
            : "∞";
      const naiveCalls = row.operation === "preview" ? "—" : String(row.naive.calls);
      const naiveMs = row.operation === "preview" ? "—" : row.naive.ms.toFixed(0);
      const bound = boundMs(row.operation, row.n, concurrency, single);
      const vsBound = bound === undefined ? "—" : (row.ours.ms / bound).toFixed(2);
      console.log(
        `| ${row.n} | ${row.phones} | ${row.operation} | ${row.minimum} | ${row.ours.calls} | ${naiveCalls} | ${row.ours.ms.toFixed(0)} | ${bound === undefined ? "—" : bound.toFixed(0)} | ${vsBound} | ${naiveMs} | ${row.operation === "preview" ? "—" : ratio} | ${vsMin} |`,
      );
    }
    console.log(
      "\nbounds (issue 15): create 1.3 × (⌈N/c⌉ + 1 + ⌈(pages − 1)/c⌉) × RTT; refresh 1.3 × (1 + ⌈(pages − 1)/c⌉) × RTT; " +
        "rotate 1.2 × phones/c × RTT",
    );
    console.log(
      "\n| resource type | `__provider` bytes | serialization ms (median of 20) |\n|---|---:|---:|",
    );
    for (const line of await serializationFigures()) console.log(line);
  } finally {
    emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
