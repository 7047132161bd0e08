import { Status } from "../../protocol/status";
import type { Endpoint } from "../../protocol/types";
import { TransportCode, type VoiceApiError, VoiceHttpError } from "./errors";

export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; doubled for each later one. */
  baseDelayMs: number;
  /** Upper bound of any single backoff. */
  maxDelayMs: number;
  /**
   * Longest `Retry-After` honoured. A server that asks for a longer wait gets no
   * retry: the call fails at once, saying how long the server asked for.
   */
  maxRetryAfterMs: number;
}

export type RetryDecision =
  | { retry: false }
  /** `resync`: re-read the clock offset from the server's `Date` header before re-signing. */
  | { retry: true; delayMs: number; resync: boolean };

/** What has happened so far in one call. */
export interface AttemptState {
  /** Attempts made, the failed one included (1 after the first). */
  attempts: number;
  /** Whether the call already re-synchronised its clock after a -16. */
  resynced: boolean;
}

/**
 * Which failures are retried — a pure function, so the policy is a table.
 *
 * - -16 (timestamp expired) is a definite rejection: resync the clock from the
 *   server's `Date` and retry once, on every endpoint.
 * - sipAdd is not idempotent and the API has no idempotency key: a repeated add after
 *   a lost response fails with -20. So it is resent only when it certainly never took
 *   effect (-16, HTTP 429, or a connection that failed before sending). Every
 *   ambiguous failure goes back to the caller, which reconciles by reading.
 * - sipQuery reads; sipReset's effect is "the password is now whatever the last
 *   successful reset returned", so repeating it is safe. Both retry transient
 *   failures: timeouts, connection errors, HTTP 5xx and 429, -18, unreadable bodies.
 * - A 429 or 503 that says `Retry-After` waits exactly that long (not the jittered
 *   backoff), within the same attempt budget; one that asks for more than
 *   `maxRetryAfterMs` is not retried: the server said not to come back that soon.
 * - -1, -2, -20, -22, -23, -24, unknown codes, other HTTP statuses (redirects
 *   included): never.
 */
export function decideRetry(
  endpoint: Endpoint,
  error: VoiceApiError,
  state: AttemptState,
  options: RetryOptions,
  random: () => number = Math.random,
): RetryDecision {
  if (state.attempts >= options.maxAttempts) return { retry: false };
  if (error.code === Status.TIMESTAMP_EXPIRED) {
    return state.resynced ? { retry: false } : { retry: true, delayMs: 0, resync: true };
  }
  const transient = endpoint === "sipAdd" ? isNotSent(error) : isTransient(error);
  if (!transient) return { retry: false };
  const retryAfterMs = error instanceof VoiceHttpError ? error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) {
    return retryAfterMs > options.maxRetryAfterMs
      ? { retry: false }
      : { retry: true, delayMs: retryAfterMs, resync: false };
  }
  return { retry: true, delayMs: backoffDelay(state.attempts, options, random), resync: false };
}

/**
 * `Retry-After` in milliseconds from now: delay-seconds (`"120"`) or an HTTP date,
 * a date in the past being 0. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(max, base·2^(n-1))). */
export function backoffDelay(
  retryNumber: number,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/** Failures that certainly left nothing on the server: refused before sending, or rate-limited. */
function isNotSent(error: VoiceApiError): boolean {
  if (error.code === TransportCode.HTTP_ERROR) return error.httpStatus === 429;
  return error.code === TransportCode.CONNECTION && !error.ambiguous;
}

function isTransient(error: VoiceApiError): boolean {
  switch (error.code) {
    case TransportCode.TIMEOUT:
    case TransportCode.CONNECTION:
    case TransportCode.BAD_RESPONSE:
    case Status.SYSTEM:
      return true;
    case TransportCode.HTTP_ERROR:
      return error.httpStatus !== undefined && (error.httpStatus >= 500 || error.httpStatus === 429);
    default:
      return false;
  }
}
