import { mapBounded } from "./client/pool";

/**
 * Runs `task` over `items` with at most `limit` in flight and waits for all of
 * them, like `Promise.allSettled` with a bound. Results keep the items' order.
 *
 * The API requests themselves are bounded once more, process-wide, by the client's
 * request budget (`provider/client/budget.ts`); this bound only keeps the number of
 * waiting tasks proportionate.
 */
export function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  return mapBounded(items, limit, async (item): Promise<PromiseSettledResult<R>> => {
    try {
      return { status: "fulfilled", value: await task(item) };
    } catch (reason) {
      return { status: "rejected", reason };
    }
  });
}
