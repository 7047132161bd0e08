import { statusInfo } from "../../protocol/status";
import type { Endpoint } from "../../protocol/types";

/** Transport codes; vendor failures use the vendor's status string ("-20", …) as code. */
export const TransportCode = {
  TIMEOUT: "TIMEOUT",
  CONNECTION: "CONNECTION",
  HTTP_ERROR: "HTTP_ERROR",
  BAD_RESPONSE: "BAD_RESPONSE",
} as const;

/** Longest vendor `reason` quoted in a message; the rest is cut. */
const MAX_REASON_LENGTH = 200;

interface VoiceApiErrorFields {
  code: string;
  ambiguous: boolean;
  endpoint?: Endpoint | undefined;
  httpStatus?: number | undefined;
}

/**
 * Every failure of the Itniotech Voice API client.
 *
 * - `code` is stable: the vendor's status string (`"-1"` … `"-24"`, or any unknown
 *   code) or one of `TIMEOUT`, `CONNECTION`, `HTTP_ERROR`, `BAD_RESPONSE`.
 * - `ambiguous` is true only when the request may have taken effect on the server
 *   (lost response, timeout after sending, 5xx, -18, unreadable body). A caller that
 *   must not repeat a write reconciles an ambiguous failure by reading.
 *
 * Messages name the endpoint and quote the vendor's `reason`. They never contain
 * headers (the `Sign`), credentials or response bodies (sipQuery bodies carry
 * passwords): Pulumi prints provider errors with their stack to the user.
 */
export class VoiceApiError extends Error {
  override readonly name: string = "VoiceApiError";
  readonly code: string;
  readonly ambiguous: boolean;
  readonly endpoint: Endpoint | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, fields: VoiceApiErrorFields) {
    super(message);
    this.code = fields.code;
    this.ambiguous = fields.ambiguous;
    this.endpoint = fields.endpoint;
    this.httpStatus = fields.httpStatus;
  }

  /** A safe, stable JSON form (no request, response or cause is attached). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      ambiguous: this.ambiguous,
      message: this.message,
      ...(this.endpoint === undefined ? {} : { endpoint: this.endpoint }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
    };
  }
}

/** The vendor answered with a status other than "0". */
export class VoiceStatusError extends VoiceApiError {
  override readonly name = "VoiceStatusError";
  /** The vendor's `reason` text (cut to 200 characters). */
  readonly reason: string;

  constructor(endpoint: Endpoint, status: string, reason: string) {
    const info = statusInfo(status);
    const quoted = clip(reason);
    super(
      `Itniotech ${endpoint} failed with status ${status} (${info.meaning})${quoted ? `: ${quoted}` : ""}`,
      {
        code: status,
        ambiguous: info.ambiguous,
        endpoint,
      },
    );
    this.reason = quoted;
  }
}

/** No answer within the client's timeout. The request may have been processed. */
export class VoiceTimeoutError extends VoiceApiError {
  override readonly name = "VoiceTimeoutError";
  constructor(endpoint: Endpoint, timeoutMs: number) {
    super(`Itniotech ${endpoint} timed out after ${timeoutMs} ms; it may or may not have taken effect`, {
      code: TransportCode.TIMEOUT,
      ambiguous: true,
      endpoint,
    });
  }
}

/**
 * The connection failed. Ambiguous unless it failed before anything was sent
 * (refused, unresolvable host).
 */
export class VoiceConnectionError extends VoiceApiError {
  override readonly name = "VoiceConnectionError";
  /** The system error code, e.g. `ECONNREFUSED`, `ECONNRESET`. */
  readonly systemCode: string;
  constructor(endpoint: Endpoint, systemCode: string, ambiguous: boolean) {
    super(
      `Itniotech ${endpoint} failed: connection error ${systemCode}` +
        (ambiguous ? "; it may or may not have taken effect" : "; the request was not sent"),
      { code: TransportCode.CONNECTION, ambiguous, endpoint },
    );
    this.systemCode = systemCode;
  }
}

/** A reply that is not HTTP 200 (the vendor reports its own failures with 200). */
export class VoiceHttpError extends VoiceApiError {
  override readonly name = "VoiceHttpError";
  constructor(endpoint: Endpoint, httpStatus: number) {
    const ambiguous = httpStatus >= 500;
    const hint =
      httpStatus >= 300 && httpStatus < 400
        ? " (redirects are never followed, so credentials are never sent to another origin; check the base URL)"
        : ambiguous
          ? "; it may or may not have taken effect"
          : "";
    super(`Itniotech ${endpoint} failed with HTTP ${httpStatus}${hint}`, {
      code: TransportCode.HTTP_ERROR,
      ambiguous,
      endpoint,
      httpStatus,
    });
  }
}

/** A 200 reply whose body is not the vendor's JSON shape (truncated, HTML, …). */
export class VoiceBadResponseError extends VoiceApiError {
  override readonly name = "VoiceBadResponseError";
  constructor(endpoint: Endpoint, what: string) {
    super(
      `Itniotech ${endpoint} returned an unreadable response (${what}); it may or may not have taken effect`,
      {
        code: TransportCode.BAD_RESPONSE,
        ambiguous: true,
        endpoint,
      },
    );
  }
}

/** The client cannot be built: credentials or options are missing or invalid. */
export class VoiceConfigurationError extends VoiceApiError {
  override readonly name = "VoiceConfigurationError";
  constructor(message: string) {
    super(message, { code: "CONFIGURATION", ambiguous: false });
  }
}

/** System errors raised before a single byte of the request left this machine. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

/** Maps a transport failure (from the HTTP library) to the client's error. */
export function transportError(
  endpoint: Endpoint,
  systemCode: string | undefined,
  timeoutMs: number,
): VoiceApiError {
  if (systemCode === "ECONNABORTED" || systemCode === "ETIMEDOUT")
    return new VoiceTimeoutError(endpoint, timeoutMs);
  const code = systemCode ?? "UNKNOWN";
  return new VoiceConnectionError(endpoint, code, !NOT_SENT.has(code));
}

/**
 * Maps one HTTP reply to its payload or the client's error: the ONE place that
 * decides what a reply means. `body` is the raw text; it is parsed here and never
 * quoted in an error.
 */
export function parseReply(
  endpoint: Endpoint,
  httpStatus: number,
  body: string,
): { ok: true; data: unknown } | { ok: false; error: VoiceApiError } {
  if (httpStatus !== 200) return { ok: false, error: new VoiceHttpError(endpoint, httpStatus) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      ok: false,
      error: new VoiceBadResponseError(endpoint, body.length === 0 ? "empty body" : "not JSON"),
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: new VoiceBadResponseError(endpoint, "not a JSON object") };
  }
  const { status, reason, data } = parsed as Record<string, unknown>;
  // The contract says `status` is a string; a number is accepted as the same code.
  if (typeof status !== "string" && typeof status !== "number") {
    return { ok: false, error: new VoiceBadResponseError(endpoint, "no status") };
  }
  const code = String(status);
  if (code !== "0") {
    return {
      ok: false,
      error: new VoiceStatusError(endpoint, code, typeof reason === "string" ? reason : ""),
    };
  }
  return { ok: true, data };
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_REASON_LENGTH ? `${flat.slice(0, MAX_REASON_LENGTH)}…` : flat;
}
