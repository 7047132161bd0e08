import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { configure, sipPhoneGroupProvider as provider } from "../provider";
import { apiClient } from "../provider/config";
import { timed, WARM_UP_APP, type ProviderProcess, type Props } from "./providerProcess";

/**
 * The provider in a Node.js process of its own, one per command as the engine starts
 * one: the timings are the provider's (no gRPC hop to and from an engine), and the
 * process's peak memory is our code's plus Node.js — not the benchmark's, nor
 * Pulumi's host's (bench/providerHost.ts measures that one).
 *
 * The parent sends one command at a time over the IPC channel; the worker answers
 * with its own timing, so the channel's cost is not in the figures.
 */

/** One resource as the engine keeps it between commands: its inputs and its outputs. */
interface WorkerState {
  id: string;
  inputs: Props;
  outs: Props;
}

type Request =
  | { op: "configure"; config: Record<string, string> }
  | { op: "warm" }
  | { op: "preview"; groups: Props[] }
  | { op: "create" }
  | { op: "refresh"; states: WorkerState[] }
  | { op: "rotate"; states: WorkerState[]; trigger: number }
  | { op: "delete"; states: WorkerState[] }
  | { op: "memory" };

type Reply = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Heap in use, sampled (V8 keeps no peak of it) from V8's statistics, which cost no
 * system call (`process.memoryUsage()` reads /proc and showed in the profile); the
 * RSS peak comes from the kernel.
 */
const SAMPLE_MS = 10;
let heapPeak = 0;
const sampleHeap = () => (heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size));

/**
 * With `--expose-gc` (tests/e2e/fleet-scale.test.ts), also the live heap: a full
 * collection every `LIVE_SAMPLE_MS`, then the heap in use. That is what the provider
 * holds, whatever the machine's load; the heap peak and RSS above also count garbage
 * V8 has not collected yet, which grows when its collector gets less CPU. Never in
 * the benchmark: the collections would be in its timings.
 */
const LIVE_SAMPLE_MS = 1_000;
const collect = (globalThis as { gc?: () => void }).gc;
let livePeak = 0;
const sampleLive = () => {
  if (!collect) return;
  collect();
  livePeak = Math.max(livePeak, getHeapStatistics().used_heap_size);
};

function serve(): void {
  const sampler = setInterval(sampleHeap, SAMPLE_MS);
  sampler.unref();
  if (collect) setInterval(sampleLive, LIVE_SAMPLE_MS).unref();
  let checked: Props[] = [];
  const handle = async (request: Request): Promise<unknown> => {
    switch (request.op) {
      case "configure":
        return configure({
          config: { get: (key: string) => request.config[key], require: () => "" },
        } as never);
      case "warm": {
        const started = performance.now();
        await apiClient().sipQuery({ appId: WARM_UP_APP, current: 1, size: 1 });
        return performance.now() - started;
      }
      case "preview": {
        const result = await timed(request.groups, async (group) => {
          const { inputs, failures } = await provider.check({}, group);
          if (failures?.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
          await provider.diff("", {}, inputs as Props);
          return inputs as Props;
        });
        checked = result.value;
        return { ...result, value: undefined };
      }
      case "create":
        return timed(checked, async (inputs) => {
          const { id, outs } = await provider.create(inputs);
          return { id, inputs, outs: outs as Props };
        });
      case "refresh":
        return timed(request.states, async (state) => {
          const read = await provider.read(state.id, state.outs);
          if (!read.id) throw new Error(`${state.id} vanished`);
          return {
            id: state.id,
            inputs: (read.inputs as Props | undefined) ?? state.inputs,
            outs: read.props as Props,
          };
        });
      case "rotate": {
        const planned = await Promise.all(
          request.states.map(async (state) => {
            const news = { ...state.inputs, resetTriggers: [request.trigger] };
            const { inputs } = await provider.check(state.inputs, news);
            if (!(await provider.diff(state.id, state.outs, inputs as Props)).changes)
              throw new Error(`${state.id}: a trigger change should be an update`);
            return { state, news: inputs as Props };
          }),
        );
        return timed(planned, async ({ state, news }) => ({
          id: state.id,
          inputs: news,
          outs: (await provider.update(state.id, state.outs, news)).outs as Props,
        }));
      }
      case "delete": {
        const result = await timed(request.states, (state) => provider.delete(state.id, state.outs));
        return { ...result, value: undefined };
      }
      case "memory":
        sampleHeap();
        return {
          rssMiB: process.resourceUsage().maxRSS / 1024,
          heapMiB: heapPeak / 2 ** 20,
          ...(collect ? { liveMiB: livePeak / 2 ** 20 } : {}),
        };
    }
  };
  process.on("message", (request: Request) => {
    handle(request).then(
      (value) => {
        // One more live sample as each command ends, its result still held: a command
        // shorter than LIVE_SAMPLE_MS (a refresh on an idle machine) is measured too.
        // After the command's own timing, so never in it.
        if (request.op !== "memory") sampleLive();
        process.send?.({ ok: true, value } satisfies Reply);
      },
      (e: unknown) =>
        process.send?.({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Reply),
    );
  });
}

/** Starts a worker (one provider process) configured as a stack would configure it. */
export async function startProviderWorker(
  config: Record<string, string>,
  env: Record<string, string> = {},
  execArgv: string[] = [],
): Promise<ProviderProcess<WorkerState>> {
  const child: ChildProcess = fork(__filename, ["--serve"], {
    env: { ...process.env, ...env },
    execArgv,
    // stdout too: a delete prints a warning per group (the engine shows it), which must not
    // land in the benchmark's tables.
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let printed = "";
  child.stderr?.on("data", (d: Buffer) => (printed += d.toString()));
  child.stdout?.on("data", (d: Buffer) => (printed += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const call = <T>(request: Request): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const gone = () => reject(new Error(`the provider worker exited: ${printed}`));
      child.once("exit", gone);
      child.once("message", (reply: Reply) => {
        child.off("exit", gone);
        if (reply.ok) resolve(reply.value as T);
        else reject(new Error(reply.error));
      });
      child.send(request);
    });
  await call({ op: "configure", config });
  return {
    warm: () => call({ op: "warm" }),
    preview: (groups) => call({ op: "preview", groups }),
    create: () => call({ op: "create" }),
    refresh: (states) => call({ op: "refresh", states }),
    rotate: (states, trigger) => call({ op: "rotate", states, trigger }),
    delete: (states) => call({ op: "delete", states }),
    memory: () => call({ op: "memory" }),
    output: () => printed,
    async close() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

if (process.argv.includes("--serve")) serve();
