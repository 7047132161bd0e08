import type { Endpoint } from "../protocol/types";

/** One line of the request log: never a header, body, secret or password. */
export interface LoggedRequest {
  endpoint: string;
  /** What the call was about: the group (sipAdd), the account (sipReset) or `appId#page` (sipQuery). */
  subject?: string;
  status: string;
  httpStatus: number;
  durationMs: number;
  at: string;
  fault?: string;
}

export type Counters = Record<Endpoint, number>;

/** The status logged when the reply carried no vendor status (an HTTP error, a cut or dropped reply). */
export const NO_STATUS = "-";

/** How much the log keeps. */
export interface RequestLogLimits {
  /** Lines kept; the oldest go first. */
  entries: number;
}

export const REQUEST_LOG_LIMITS: Readonly<RequestLogLimits> = Object.freeze({ entries: 10_000 });

/**
 * What the emulator knows about the API requests it received: counters per
 * endpoint and the request log. It owns its bounds: whatever callers send, the
 * log never grows past them.
 */
export class RequestLog {
  #counters = zeroCounters();
  #lines: LoggedRequest[] = [];
  #head = 0;

  constructor(private readonly limits: RequestLogLimits = REQUEST_LOG_LIMITS) {}

  /** Counts a request as soon as it is recognised as a call of `endpoint`. */
  received(endpoint: Endpoint): void {
    this.#counters[endpoint]++;
  }

  record(entry: LoggedRequest): void {
    this.#lines.push(entry);
    while (this.#lines.length - this.#head > this.limits.entries) this.#head++;
    // Compact once the dropped prefix is as long as what is kept: amortised O(1).
    if (this.#head > 0 && this.#head >= this.#lines.length - this.#head) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The kept lines, oldest first, as copies. */
  lines(): LoggedRequest[] {
    return this.#lines.slice(this.#head).map((e) => ({ ...e }));
  }

  counters(): Counters {
    return { ...this.#counters };
  }

  resetCounters(): void {
    this.#counters = zeroCounters();
  }

  /** Forgets everything: counters and lines. */
  clear(): void {
    this.resetCounters();
    this.#lines = [];
    this.#head = 0;
  }
}

function zeroCounters(): Counters {
  return { sipAdd: 0, sipQuery: 0, sipReset: 0 };
}

/** The non-secret identity of a request, for the log: never a password, header or whole body. */
export function subjectOf(endpoint: Endpoint, body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const parsed = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 64) : undefined);
  if (endpoint === "sipAdd") return text(parsed["groupName"]);
  if (endpoint === "sipReset") return text(parsed["account"]);
  const params = parsed["params"] as Record<string, unknown> | undefined;
  const appId = text(params?.["appId"]);
  return appId === undefined ? undefined : `${appId}#${String(parsed["current"] ?? 1)}`;
}
