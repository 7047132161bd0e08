import { performance } from "node:perf_hooks";
import { mapBounded } from "../provider/client/pool";

/** The application the warm-up call lists (empty: one page). */
export const WARM_UP_APP = "bench-warm-up";

/** Property bags as they cross to and from a provider. */
export type Props = Record<string, unknown>;

/** One command's work in a provider process: how long it took and how many resources failed. */
export interface Timed<T> {
  ms: number;
  failed: number;
  firstError: string | undefined;
  value: T;
}

/**
 * One provider process, as the engine starts one per command, running one command's
 * operations on every resource at once. `S` is a resource's state between commands.
 */
export interface ProviderProcess<S> {
  /**
   * One API call that touches no benchmarked resource, before anything is measured:
   * it loads the provider and opens a connection, as the RTT it is compared with was
   * measured warm. Resolves with that first call's time.
   */
  warm(): Promise<number>;
  /** Check and Diff of new groups (no API call); keeps the checked inputs for `create`. */
  preview(groups: Props[]): Promise<Timed<undefined>>;
  /** Create of every group `preview` checked. */
  create(): Promise<Timed<S[]>>;
  /** Read of every resource (`pulumi refresh`). */
  refresh(states: S[]): Promise<Timed<S[]>>;
  /** Check and Diff with a new reset trigger (untimed, no API call), then the timed Updates. */
  rotate(states: S[], trigger: number): Promise<Timed<S[]>>;
  /**
   * Delete of every resource (`pulumi destroy`): a SipPhoneGroup's delete resets every
   * password of the group and discards them (one sipReset per phone).
   */
  delete(states: S[]): Promise<Timed<undefined>>;
  /**
   * Peak resident memory so far, and the heap's where the process can tell, in MiB;
   * `liveMiB`: the most the heap held after a full collection, when the process
   * samples it (a worker started with `--expose-gc`).
   */
  memory(): Promise<{
    rssMiB?: number | undefined;
    heapMiB?: number | undefined;
    liveMiB?: number | undefined;
  }>;
  /** What the process printed: debug output, and the warnings a delete prints. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Runs `task` on every item at once (or `parallel` at a time) and times the lot; a
 * failed item is counted, not thrown.
 */
export async function timed<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
  parallel = Infinity,
): Promise<Timed<R[]>> {
  const started = performance.now();
  const results =
    parallel >= items.length
      ? await Promise.allSettled(items.map(task))
      : // As the engine's `--parallel`: at most that many at once, the next as one ends.
        await mapBounded(items, parallel, (item) =>
          task(item).then(
            (value): PromiseSettledResult<R> => ({ status: "fulfilled", value }),
            (reason: unknown): PromiseSettledResult<R> => ({ status: "rejected", reason }),
          ),
        );
  const ms = performance.now() - started;
  const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  return {
    ms,
    failed: errors.length,
    firstError: errors[0] === undefined ? undefined : String(errors[0]),
    value: results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])),
  };
}
