import { formatSeconds, parseDuration } from "../protocol/duration";
import { now } from "./clock";
import { isSecret, UNKNOWN } from "./secrets";
import type { Props } from "./state";

/*
 * Scheduled rotation (`rotateAfter`), decided without an API call: `diff` asks
 * whether a rotation is due, `update` asks again before it resets anything. The
 * duration is parsed by protocol/duration.ts, the one parser the policy pack shares.
 *
 * Due means: now ≥ (when the passwords were set) + rotateAfter. The instant itself
 * counts as due ("rotate after 90 days": on the 90th day the period is over).
 */

/**
 * How far ahead of this machine's clock a recorded time may be and still be
 * believed (docs/RELIABILITY.md). Further ahead is a broken clock or an edited
 * state; believing it could put a rotation off for years, so it counts as unknown,
 * which is due.
 */
export const MAX_FUTURE_SKEW_SECONDS = 3_600;

/** A rotation that is due, and why, in words for the user (no secret in them). */
export interface DueRotation {
  /** ISO time from which it was due; undefined when the time the passwords were set is not known. */
  since: string | undefined;
  /** e.g. "rotation due since 2026-04-01T00:00:00.000Z (passwords set 2026-01-01T00:00:00.000Z)". */
  reason: string;
}

/**
 * Whether passwords set at `setAt` (an ISO time, or undefined when the state does
 * not say) must be rotated at `now` under `rotateAfter`. No `rotateAfter` (or one
 * that is unknown in a preview, or invalid — check reports that) is never due.
 */
export function rotationDue(rotateAfter: unknown, setAt: unknown, now: Date): DueRotation | undefined {
  // One secret wrapper at most: a valid value is a string, and anything else (an
  // unknown in a preview, a structure check refused) is never due and never walked.
  const period = isSecret(rotateAfter) ? rotateAfter.value : rotateAfter;
  if (typeof period !== "string" || period === UNKNOWN) return undefined;
  const parsed = parseDuration(period);
  if (!parsed.ok) return undefined;
  const at = isSecret(setAt) ? setAt.value : setAt;
  const recorded = typeof at === "string" ? Date.parse(at) : NaN;
  if (Number.isNaN(recorded)) {
    return {
      since: undefined,
      reason:
        "rotation due: the state does not record when the passwords were set (it predates rotateAfter), " +
        "so their age is unknown",
    };
  }
  if (recorded - now.getTime() > MAX_FUTURE_SKEW_SECONDS * 1000) {
    return {
      since: undefined,
      reason:
        `rotation due: the passwords are recorded as set at ${iso(recorded)}, more than ` +
        `${formatSeconds(MAX_FUTURE_SKEW_SECONDS)} ahead of this machine's clock (${iso(now.getTime())}), ` +
        "so their age is unknown",
    };
  }
  const since = recorded + parsed.duration.seconds * 1000;
  if (now.getTime() < since) return undefined;
  return { since: iso(since), reason: `rotation due since ${iso(since)} (passwords set ${iso(recorded)})` };
}

/**
 * A group's due rotation: its new `rotateAfter` against the time its state (`olds`)
 * records for the passwords. States written before `passwordsSetAt` existed fall
 * back to `lastResetAt` (the last completed rotation: exactly that time); a group
 * never rotated has neither, so its age is unknown and it is due.
 */
export function groupRotationDue(olds: Props, news: Props, now: Date): DueRotation | undefined {
  return rotationDue(news["rotateAfter"], olds["passwordsSetAt"] ?? olds["lastResetAt"], now);
}

/** A SipPhonePassword's due rotation (a state without `passwordSetAt` predates it: due). */
export function passwordRotationDue(olds: Props, news: Props, now: Date): DueRotation | undefined {
  return rotationDue(news["rotateAfter"], olds["passwordSetAt"], now);
}

/** Tells the user (console.log reaches them from the provider host) that a rotation is due. */
export function announce(type: string, id: string, due: DueRotation | undefined, next: string): void {
  if (due) console.log(`${type} ${id}: ${due.reason}; ${next}`);
}

/** A diff or a due-rotation judgement of one resource type, at `now`. */
type Judge<T> = (olds: Props, news: Props, now: Date) => T;

/**
 * A resource type's `diff`, on the provider's clock, with a line saying why when a
 * due rotation makes it an update. A dynamic provider's DiffResponse carries only
 * `changes`, `replaces` and `deleteBeforeReplace` (no detailed diff; the host drops
 * `stables`), so a preview shows a bare update: the line, printed by the provider
 * host, says what it is. A replacement sets new passwords anyway and needs no notice.
 */
export function noticingDue<D extends { replaces: string[] }>(
  type: string,
  diff: Judge<D>,
  due: Judge<DueRotation | undefined>,
  next: string,
): (id: string, olds: Props, news: Props) => Promise<D> {
  return async (id, olds, news) => {
    const at = now();
    const result = diff(olds, news, at);
    if (result.replaces.length === 0) announce(type, id, due(olds, news, at), next);
    return result;
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
