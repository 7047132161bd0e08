/**
 * Runs `task` over `items` with at most `limit` in flight and waits for all of
 * them, like `Promise.allSettled` with a bound. Results keep the items' order.
 *
 * Hand-written rather than p-limit: p-limit's current majors are ESM-only and this
 * code is loaded with `require` inside Pulumi's provider host; the loop is a dozen
 * lines.
 */
export async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
