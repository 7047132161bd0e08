import type { RequestBudget } from "./client";

/**
 * Admission of the work of every resource of one API account in the provider
 * process: at most `limit()` tasks running at once, the rest waiting their turn.
 *
 * The engine runs every resource's operation at once (`pulumi up --parallel` is
 * unbounded by default), so a rotation of 500 groups is 500 callers with 50 resets
 * each. The request budget already bounds the requests in flight; this queue bounds
 * what waits for it. A caller waits here as one entry, whatever its number of
 * tasks, and a task is only started (its request prepared) when it may run: 500
 * callers hold 500 small entries and `limit()` running tasks, not 25,000 prepared
 * requests (or 16 per caller, 8,000 — the 30 MiB of live heap that V8's collector
 * then let grow into a 294 MiB peak, docs/BENCHMARKS.md).
 *
 * Callers are served by turn, the order in which they first asked (a caller's next
 * task goes before a later caller's first): resources finish one after another, each
 * as soon as its own work is done, instead of all of them at the very end, and a
 * finished resource's memory is freed early.
 */
export class TaskQueue {
  #running = 0;
  #pumping = false;
  /** Callers with tasks not started yet, in the order they asked: the order they are served. */
  readonly #callers: Array<{ startNext(): boolean }> = [];

  /** @param limit the most tasks running at once, read each time a task may start */
  constructor(readonly limit: () => number) {}

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Callers with tasks waiting to start now (each caller counts once, whatever its tasks). */
  get waiting(): number {
    return this.#callers.length;
  }

  /**
   * Runs `task` over `items` and waits for all of them, like `Promise.allSettled`:
   * one failure stops nothing. Results keep the items' order; tasks start in it.
   */
  settleAll<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const results: PromiseSettledResult<R>[] = new Array(items.length);
      let next = 0;
      let unsettled = items.length;
      const run = async (i: number): Promise<void> => {
        try {
          results[i] = { status: "fulfilled", value: await task(items[i] as T) };
        } catch (reason) {
          results[i] = { status: "rejected", reason };
        } finally {
          this.#running--;
          if (--unsettled === 0) resolve(results);
          this.#pump();
        }
      };
      this.#callers.push({
        startNext: () => {
          this.#running++;
          void run(next++);
          return next < items.length;
        },
      });
      this.#pump();
    });
  }

  /** Starts the earliest callers' next tasks while the limit allows. */
  #pump(): void {
    // A task that fails at once ends inside `startNext`, and pumps again: the loop
    // below, still running, sees what it started.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#callers.length > 0 && this.#running < this.limit()) {
        if (!(this.#callers[0] as { startNext(): boolean }).startNext()) this.#callers.shift();
      }
    } finally {
      this.#pumping = false;
    }
  }
}

/**
 * Tasks running per account: twice the request budget's current limit, so the
 * budget always has the next request ready while answers are being handled, and
 * no more than that waits for it (docs/RELIABILITY.md).
 */
export const TASKS_PER_REQUEST_SLOT = 2;

const queues = new WeakMap<RequestBudget, TaskQueue>();

/** The process's task queue of one account (one per request budget). */
export function taskQueue(budget: RequestBudget): TaskQueue {
  let queue = queues.get(budget);
  if (queue === undefined) {
    const limit = () => TASKS_PER_REQUEST_SLOT * budget.limit;
    queues.set(budget, (queue = new TaskQueue(limit)));
  }
  return queue;
}
