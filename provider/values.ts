import { containsUnknown, reveal } from "./secrets";

/**
 * The largest input value `check` and `diff` accept (docs/RELIABILITY.md). Only the
 * trigger lists can hold structures; every other input is a string, a number or a
 * boolean. The bounds keep both operations fast and safe against a cyclic or very
 * deep value, which would otherwise overflow the stack; generous for any real list
 * of triggers (dates, versions, a few small objects).
 */
export const VALUE_BOUNDS = {
  /** Lists and objects nested in one another, the outermost counted. */
  depth: 32,
  /** Items and property values at every depth. */
  values: 1_000,
  /** The value as JSON, in UTF-8 bytes. */
  jsonBytes: 64 * 1024,
} as const;

/**
 * Why a value is beyond {@link VALUE_BOUNDS}, as the end of a sentence that starts
 * with the property's name; undefined when it is within them. Never looks deeper
 * than the depth bound nor at more values than the value bound, so it is safe for
 * anything, cycles included.
 */
export function outOfBounds(value: unknown): string | undefined {
  const { depth, values, jsonBytes } = VALUE_BOUNDS;
  let seen = 0;
  const open = new Set<object>();
  const visit = (item: unknown, level: number): string | undefined => {
    if (typeof item !== "object" || item === null) return undefined;
    if (open.has(item)) return "must not contain itself (it is cyclic)";
    if (level >= depth) return `must be nested at most ${depth} levels deep`;
    open.add(item);
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (++seen > values) return `must hold at most ${values} values (items and properties at any depth)`;
      const problem = visit(child, level + 1);
      if (problem) return problem;
    }
    open.delete(item);
    return undefined;
  };
  let json: string | undefined;
  try {
    const problem = visit(value, 0);
    if (problem) return problem;
    json = JSON.stringify(value);
  } catch {
    return "must hold JSON values only";
  }
  if (json !== undefined && Buffer.byteLength(json) > jsonBytes)
    return `must be at most ${jsonBytes / 1024} KiB as JSON`;
  return undefined;
}

/**
 * The value as JSON with every secret wrapper removed and object keys sorted, so
 * `{a,b}` equals `{b,a}`; `absent` stands for undefined. Undefined when the value
 * is beyond {@link VALUE_BOUNDS}: such a value equals nothing.
 */
export function canonical(value: unknown, absent?: unknown): string | undefined {
  if (outOfBounds(value) !== undefined) return undefined;
  return (
    JSON.stringify(reveal(value) ?? absent, (_key, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        : v,
    ) ?? "undefined"
  );
}

/**
 * Whether `after` differs from `before` (`absent` standing for undefined). Never
 * throws: a value beyond the bounds, or one still unknown in a preview, counts as a
 * change, and is judged before anything walks it.
 */
export function differs(before: unknown, after: unknown, absent?: unknown): boolean {
  const next = canonical(after, absent);
  if (next === undefined || containsUnknown(after)) return true;
  const old = canonical(before, absent);
  return old === undefined || old !== next;
}
