/**
 * The provider's clock: what "now" is when `diff` decides whether a scheduled
 * rotation is due, and the time written into `passwordsSetAt` / `lastResetAt`.
 * One source, so that a test can move time for every operation at once; the
 * provider host always runs on the real clock.
 */
let source: () => number = Date.now;

/** The current time. */
export function now(): Date {
  return new Date(source());
}

/** Replaces the clock (tests); `undefined` restores the real one. */
export function setClock(clock: (() => number | Date) | undefined): void {
  source = clock === undefined ? Date.now : () => Number(clock());
}
