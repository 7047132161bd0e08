/**
 * The task queue every resource of one account shares (provider/concurrency.ts):
 * bounded running tasks, one waiter per caller, callers served in turn, and
 * `TaskQueue.settleAll`'s allSettled semantics.
 */
import { TaskQueue } from "../../provider/concurrency";

/** A task that runs until the test lets it finish, recording when it started. */
function controlled() {
  const started: string[] = [];
  const pending = new Map<string, () => void>();
  let running = 0;
  let highWater = 0;
  const task = (item: string) =>
    new Promise<string>((resolve) => {
      started.push(item);
      highWater = Math.max(highWater, ++running);
      pending.set(item, () => {
        running--;
        resolve(item.toUpperCase());
      });
    });
  /** Lets every task started so far finish, then lets the queue move on. */
  const finishAll = async () => {
    const now = [...pending.entries()];
    pending.clear();
    for (const [, finish] of now) finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { task, started, finishAll, highWater: () => highWater, pending };
}

const items = (caller: string, n: number) => Array.from({ length: n }, (_, i) => `${caller}${i}`);

it("never runs more tasks than the limit, whatever the number of callers", async () => {
  const queue = new TaskQueue(() => 3);
  const { task, finishAll, highWater, pending } = controlled();
  const all = Promise.all(["a", "b", "c", "d", "e"].map((c) => queue.settleAll(items(c, 4), task)));
  while (pending.size > 0 || queue.waiting > 0) {
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.running).toBeLessThanOrEqual(3);
    await finishAll();
  }
  const results = await all;
  expect(highWater()).toBe(3);
  expect(results.flat()).toHaveLength(20);
});

it("keeps one waiter per caller, not one per item", async () => {
  const queue = new TaskQueue(() => 2);
  const { task, finishAll } = controlled();
  const callers = Array.from({ length: 10 }, (_, i) => queue.settleAll(items(`c${i}-`, 50), task));
  await new Promise((resolve) => setImmediate(resolve));
  // 2 running; every other caller holds exactly one waiter, whatever its 50 items.
  expect(queue.running).toBe(2);
  expect(queue.waiting).toBeLessThanOrEqual(10);
  while (queue.running > 0) await finishAll();
  await Promise.all(callers);
  expect(queue.waiting).toBe(0);
});

it("serves callers in turn: the first caller's tasks all start before a later caller's", async () => {
  const queue = new TaskQueue(() => 2);
  const { task, started, finishAll } = controlled();
  const finished: string[] = [];
  const callers = ["a", "b", "c"].map((c) => queue.settleAll(items(c, 4), task).then(() => finished.push(c)));
  while (finished.length < 3) await finishAll();
  await Promise.all(callers);
  expect(started).toEqual([...items("a", 4), ...items("b", 4), ...items("c", 4)]);
  // Each caller finishes as soon as its own work is done, not all at the end.
  expect(finished).toEqual(["a", "b", "c"]);
});

it("follows a limit that changes (the request budget after push-back)", async () => {
  let limit = 4;
  const queue = new TaskQueue(() => limit);
  const { task, finishAll } = controlled();
  const all = queue.settleAll(items("x", 20), task);
  await new Promise((resolve) => setImmediate(resolve));
  expect(queue.running).toBe(4);
  limit = 1;
  await finishAll();
  expect(queue.running).toBe(1);
  limit = 3;
  await finishAll();
  expect(queue.running).toBe(3);
  while (queue.running > 0) await finishAll();
  expect(await all).toHaveLength(20);
});

it("settles every item, in the items' order, a failure (thrown or rejected) stopping nothing", async () => {
  const queue = new TaskQueue(() => 2);
  const results = await queue.settleAll([1, 2, 3, 4, 5], async (n) => {
    if (n === 2) throw new Error("two");
    if (n === 4) return Promise.reject(new Error("four"));
    return n * 10;
  });
  expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
    10,
    "two",
    30,
    "four",
    50,
  ]);
  expect([queue.running, queue.waiting]).toEqual([0, 0]);
});

it("a task that throws before returning a promise is settled as a failure too", async () => {
  const queue = new TaskQueue(() => 1);
  const results = await queue.settleAll(["a", "b"], (item) => {
    if (item === "a") throw new Error("sync");
    return Promise.resolve(item);
  });
  expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
  expect(queue.running).toBe(0);
});

it("an empty list settles at once and takes no slot", async () => {
  const queue = new TaskQueue(() => 1);
  await expect(queue.settleAll([], async () => 1)).resolves.toEqual([]);
  expect([queue.running, queue.waiting]).toEqual([0, 0]);
});
