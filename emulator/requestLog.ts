import { wholeNumberField } from "../protocol/coercion";
import type { Endpoint } from "../protocol/types";

/** One line of the request log: never a header, body, secret or password. */
export interface LoggedRequest {
  endpoint: string;
  /** What the call was about: the group (sipAdd), the account (sipReset) or `appId#page` (sipQuery). */
  subject?: string;
  /** The caller's API key when the emulator knows it (which account called); never the secret. */
  apiKey?: string;
  status: string;
  httpStatus: number;
  durationMs: number;
  at: string;
  fault?: string;
}

export type Counters = Record<Endpoint, number>;

/** What the emulator measured about the API requests it received. */
export interface RequestSummary {
  /** API requests received per endpoint (rejected and rate-limited ones included). */
  counters: Counters;
  /** API requests being handled now: from their headers until their reply is gone. */
  inFlight: number;
  /** The most API requests in flight at once since start or the last reset of the counters. */
  maxInFlight: number;
  /** API requests answered HTTP 429 by `rateLimitPerSecond`. */
  rateLimited: number;
  /** Lines in the request log. */
  logLines: number;
  /** Their size as UTF-8 JSON. */
  logBytes: number;
}

/** The status logged when the reply carried no vendor status (an HTTP error, a cut or dropped reply). */
export const NO_STATUS = "-";

/** How much the log keeps; each is documented in docs/RELIABILITY.md. */
export interface RequestLogLimits {
  /** Lines kept; the oldest go first. */
  entries: number;
  /** Bytes kept (each line counted as its UTF-8 JSON); the oldest lines go first. */
  bytes: number;
  /** Characters kept of any one text field; longer values are cut and end with "…". */
  fieldChars: number;
}

export const REQUEST_LOG_LIMITS: Readonly<RequestLogLimits> = Object.freeze({
  entries: 10_000,
  bytes: 2 * 1024 * 1024,
  fieldChars: 80,
});

/**
 * What the emulator knows about the API requests it received: counters per
 * endpoint, requests in flight, and the request log. It owns its bounds:
 * whatever callers send (before any authentication), every field, the number of
 * lines and their bytes stay within REQUEST_LOG_LIMITS.
 */
export class RequestLog {
  #counters = zeroCounters();
  #inFlight = 0;
  #maxInFlight = 0;
  #rateLimited = 0;
  #lines: Array<{ entry: LoggedRequest; bytes: number }> = [];
  #head = 0;
  #bytes = 0;

  constructor(private readonly limits: RequestLogLimits = REQUEST_LOG_LIMITS) {}

  /** Counts a request as soon as it is recognised as a call of `endpoint`. */
  received(endpoint: Endpoint): void {
    this.#counters[endpoint]++;
  }

  /** An API request arrived; returns the function that says it is over (safe to call twice). */
  started(): () => void {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    let over = false;
    return () => {
      if (over) return;
      over = true;
      this.#inFlight--;
    };
  }

  rateLimited(): void {
    this.#rateLimited++;
  }

  record(line: LoggedRequest): void {
    const entry = this.#capped(line);
    const bytes = Buffer.byteLength(JSON.stringify(entry));
    this.#lines.push({ entry, bytes });
    this.#bytes += bytes;
    while (this.#lines.length - this.#head > this.limits.entries || this.#bytes > this.limits.bytes) {
      this.#bytes -= this.#lines[this.#head]?.bytes ?? 0;
      this.#head++;
    }
    // Compact once the dropped prefix is as long as what is kept: amortised O(1).
    if (this.#head > 0 && this.#head >= this.#lines.length - this.#head) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The kept lines, oldest first, as copies. */
  lines(): LoggedRequest[] {
    return this.#lines.slice(this.#head).map(({ entry }) => ({ ...entry }));
  }

  counters(): Counters {
    return { ...this.#counters };
  }

  summary(): RequestSummary {
    return {
      counters: this.counters(),
      inFlight: this.#inFlight,
      maxInFlight: this.#maxInFlight,
      rateLimited: this.#rateLimited,
      logLines: this.#lines.length - this.#head,
      logBytes: this.#bytes,
    };
  }

  /** Zeroes the counters; the high-water mark restarts from what is in flight now. */
  resetCounters(): void {
    this.#counters = zeroCounters();
    this.#rateLimited = 0;
    this.#maxInFlight = this.#inFlight;
  }

  /** Resets the counters and empties the log. */
  clear(): void {
    this.resetCounters();
    this.#lines = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  #capped(line: LoggedRequest): LoggedRequest {
    const cap = (text: string) => truncate(text, this.limits.fieldChars);
    return {
      endpoint: cap(line.endpoint),
      ...(line.subject === undefined ? {} : { subject: cap(line.subject) }),
      ...(line.apiKey === undefined ? {} : { apiKey: cap(line.apiKey) }),
      status: cap(line.status),
      httpStatus: line.httpStatus,
      durationMs: line.durationMs,
      at: cap(line.at),
      ...(line.fault === undefined ? {} : { fault: cap(line.fault) }),
    };
  }
}

function zeroCounters(): Counters {
  return { sipAdd: 0, sipQuery: 0, sipReset: 0 };
}

/** At most `max` characters (UTF-16 units, never half a surrogate pair); a cut text ends with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * The non-secret identity of a request, for the log: never a password, header or
 * whole body. Built before authentication, so every part of it is bounded.
 */
export function subjectOf(endpoint: Endpoint, body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const parsed = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? truncate(value, 64) : undefined);
  if (endpoint === "sipAdd") return text(parsed["groupName"]);
  if (endpoint === "sipReset") return text(parsed["account"]);
  const params = parsed["params"] as Record<string, unknown> | undefined;
  const appId = text(params?.["appId"]);
  if (appId === undefined) return undefined;
  // Read as the handler reads it (a string of digits is a page number too), then bounded.
  const current = wholeNumberField(parsed["current"] ?? 1);
  return `${appId}#${Number.isSafeInteger(current) ? String(current) : "?"}`;
}
