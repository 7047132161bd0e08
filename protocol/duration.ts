/**
 * Durations such as `rotateAfter: "90d"`, written once: the provider's `check`
 * (in Pulumi's provider host) and the policy pack's rotation rule (in Pulumi's
 * analyzer) both judge them here, so the two cannot disagree on what a value means
 * or where the range ends. It lives in `protocol/` because both sides may import
 * it without loading the other's code: it imports nothing.
 *
 * The grammar is deliberately small: a whole number and one lower-case unit
 * (`s`, `m`, `h`, `d`), nothing else — no spaces, signs, fractions, exponents or
 * compound forms — so a value means the same to every reader, and a typo is an
 * error at preview rather than a surprise in a year.
 *
 * Reasons never quote the value: it may have come from a secret.
 */
import type { Rule } from "./rules";

/** Each unit's length in seconds. */
export const DURATION_UNITS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

/** A range of durations, inclusive at both ends. */
export interface DurationRange {
  minSeconds: number;
  maxSeconds: number;
}

/** `rotateAfter`: 1 second to 3,650 days (ten years), as DESIGN.md fixes it. */
export const ROTATE_AFTER_RANGE: DurationRange = { minSeconds: 1, maxSeconds: 3_650 * DURATION_UNITS.d };

export interface Duration {
  /** The whole number as written. */
  amount: number;
  unit: DurationUnit;
  /** `amount` × the unit's seconds. */
  seconds: number;
}

export type DurationResult = { ok: true; duration: Duration } | { ok: false; reason: string };

const VALID = /^([0-9]+)([smhd])$/;
const NO_UNIT = /^[0-9]+$/;
const UPPER_UNIT = /^[0-9]+[SMHD]$/;
const FRACTION = /^[0-9]*\.[0-9]*[smhdSMHD]?$/;
const GRAMMAR = 'a whole number followed by a unit: s, m, h or d (e.g. "90d", "12h")';

/**
 * Parses `<whole number><unit>` and checks it against `range` (by default
 * `rotateAfter`'s). Never throws: bad input gives the broken rule in words.
 */
export function parseDuration(value: unknown, range: DurationRange = ROTATE_AFTER_RANGE): DurationResult {
  if (typeof value !== "string") return { ok: false, reason: `must be a string: ${GRAMMAR}` };
  const match = VALID.exec(value);
  if (!match) return { ok: false, reason: grammarProblem(value) };
  const amount = Number(match[1]);
  const unit = match[2] as DurationUnit;
  const seconds = amount * DURATION_UNITS[unit];
  if (!(seconds >= range.minSeconds && seconds <= range.maxSeconds)) {
    return {
      ok: false,
      reason: `must be between ${formatSeconds(range.minSeconds)} and ${formatSeconds(range.maxSeconds)}`,
    };
  }
  return { ok: true, duration: { amount, unit, seconds } };
}

function grammarProblem(text: string): string {
  if (NO_UNIT.test(text)) return `needs a unit: ${GRAMMAR}`;
  if (UPPER_UNIT.test(text)) return `must use a lower-case unit: ${GRAMMAR}`;
  if (FRACTION.test(text) && /[0-9]/.test(text))
    return `must be a whole number of units (e.g. "36h" for a day and a half)`;
  return `must be ${GRAMMAR}`;
}

/** A whole number of seconds in the largest unit that divides it: 86400 → "1d", 90 → "90s". */
export function formatSeconds(seconds: number): string {
  const units = Object.entries(DURATION_UNITS).reverse() as Array<[DurationUnit, number]>;
  for (const [unit, size] of units) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** `rotateAfter` as a check rule: absent is fine; present must parse and be within range. */
export const rotateAfterRule: Rule = (value) => {
  if (value === undefined) return undefined;
  const result = parseDuration(value);
  return result.ok ? undefined : result.reason;
};
