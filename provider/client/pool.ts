/**
 * Runs `task` over `items` with at most `limit` running at once and resolves with
 * the results in the items' order. On the first failure no further item starts,
 * and the promise rejects with that failure once the running ones have finished
 * (so nothing is left running behind the caller's back).
 *
 * Hand-written rather than p-limit: p-limit's current majors are ESM-only and this
 * code is loaded with `require` inside Pulumi's provider host; the loop is a dozen
 * lines.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: { reason: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (reason) {
        failed ??= { reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed.reason;
  return results;
}
