import { statusInfo, type KnownStatus } from "../../protocol/status";
import type { Endpoint } from "../../protocol/types";
import { REDACTED, Redactor } from "./redact";

/** Transport codes; vendor failures use the vendor's status string ("-20", …) as code. */
export const TransportCode = {
  TIMEOUT: "TIMEOUT",
  CONNECTION: "CONNECTION",
  HTTP_ERROR: "HTTP_ERROR",
  BAD_RESPONSE: "BAD_RESPONSE",
} as const;

/** Every code the client itself gives: the transport codes and `CONFIGURATION`. */
export const ErrorCode = { ...TransportCode, CONFIGURATION: "CONFIGURATION" } as const;

/**
 * An error's `code`: one of {@link ErrorCode}, a status the vendor documents, or any
 * other status string the vendor answers (other endpoints use e.g. `"-10"`).
 */
export type ItniotechErrorCode =
  (typeof ErrorCode)[keyof typeof ErrorCode] | KnownStatus | (string & NonNullable<unknown>);

/** Longest vendor `reason` quoted in a message; the rest is cut. */
export const MAX_REASON_LENGTH = 200;

/** Longest `status` taken as a code. The vendor's are a few characters ("-18"). */
export const MAX_STATUS_LENGTH = 16;

/**
 * The root of every error this package's client throws, as `OpenAIError` is in
 * openai-node: catch it to catch them all.
 *
 * - `code` is stable: the vendor's status string (`"-1"` … `"-24"`, or any unknown
 *   code) or one of {@link ErrorCode}.
 * - `ambiguous` is true only when the request may have taken effect on the server
 *   (lost response, timeout after sending, 5xx, -18, unreadable body). A caller that
 *   must not repeat a write reconciles an ambiguous failure by reading.
 *
 * Messages never contain headers (the `Sign`), credentials or response bodies
 * (sipQuery bodies carry passwords): Pulumi prints provider errors with their stack
 * to the user.
 */
export class ItniotechError extends Error {
  override readonly name: string = "ItniotechError";
  readonly code: ItniotechErrorCode;
  readonly ambiguous: boolean;

  constructor(message: string, code: ItniotechErrorCode, ambiguous: boolean) {
    super(message);
    this.code = code;
    this.ambiguous = ambiguous;
  }

  /** A safe, stable JSON form (no request, response or cause is attached). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, ambiguous: this.ambiguous, message: this.message };
  }
}

interface VoiceApiErrorFields {
  code: ItniotechErrorCode;
  ambiguous: boolean;
  endpoint?: Endpoint | undefined;
  httpStatus?: number | undefined;
}

/**
 * A call to the Itniotech Voice API failed: the vendor said no, or the network,
 * a gateway or the reply went wrong. Messages name the endpoint and quote the
 * vendor's `reason`, redacted and cut (see `Redactor`).
 */
export class VoiceApiError extends ItniotechError {
  override readonly name: string = "VoiceApiError";
  readonly endpoint: Endpoint | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, fields: VoiceApiErrorFields) {
    super(message, fields.code, fields.ambiguous);
    this.endpoint = fields.endpoint;
    this.httpStatus = fields.httpStatus;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.endpoint === undefined ? {} : { endpoint: this.endpoint }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
    };
  }
}

/** The vendor answered with a status other than "0". */
export class VoiceStatusError extends VoiceApiError {
  override readonly name = "VoiceStatusError";
  /** The vendor's `reason` text, redacted and cut to {@link MAX_REASON_LENGTH} characters. */
  readonly reason: string;

  /**
   * @param status the vendor's status, at most `MAX_STATUS_LENGTH` (16) characters
   * @param reason the vendor's reason as it should be quoted: the reply mapper
   *   redacts and cuts it; a raw reason is only folded and cut here
   */
  constructor(endpoint: Endpoint, status: string, reason: string) {
    const info = statusInfo(status);
    const quoted = new Redactor([]).quote(reason, MAX_REASON_LENGTH);
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

/** No complete answer within the attempt's deadline. The request may have been processed. */
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
  /** How long the server asked to wait before retrying (`Retry-After` of a 429 or 503), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(endpoint: Endpoint, httpStatus: number, retryAfterMs?: number) {
    const ambiguous = httpStatus >= 500;
    const hint =
      httpStatus >= 300 && httpStatus < 400
        ? " (redirects are never followed, so credentials are never sent to another origin; check the base URL)"
        : ambiguous
          ? "; it may or may not have taken effect"
          : "";
    const wait =
      retryAfterMs === undefined ? "" : ` (the API asks to retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    super(`Itniotech ${endpoint} failed with HTTP ${httpStatus}${wait}${hint}`, {
      code: TransportCode.HTTP_ERROR,
      ambiguous,
      endpoint,
      httpStatus,
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A call of a many-call operation (a group's resets) that was not sent: the
 * operation's circuit breaker is open, because the API refused every attempt of its
 * last calls (HTTP 429 or 5xx). Definite (nothing was sent); `httpStatus` is the last
 * refusal's.
 */
export class VoiceCircuitOpenError extends VoiceApiError {
  override readonly name = "VoiceCircuitOpenError";

  constructor(endpoint: Endpoint, why: string, httpStatus: number) {
    super(`Itniotech ${endpoint} not sent: ${why}, so the operation's calls not started yet were stopped`, {
      code: TransportCode.HTTP_ERROR,
      ambiguous: false,
      endpoint,
      httpStatus,
    });
  }
}

/**
 * A 200 reply whose body is not the vendor's JSON shape (truncated, HTML, …), or a
 * listing whose pages cannot be trusted (a page cap passed, a page repeated). The
 * first may have taken effect; a listing is a read and is reported as definite.
 */
export class VoiceBadResponseError extends VoiceApiError {
  override readonly name = "VoiceBadResponseError";
  constructor(endpoint: Endpoint, what: string, ambiguous = true) {
    super(
      ambiguous
        ? `Itniotech ${endpoint} returned an unreadable response (${what}); it may or may not have taken effect`
        : `Itniotech ${endpoint} returned a response that cannot be trusted: ${what}`,
      { code: TransportCode.BAD_RESPONSE, ambiguous, endpoint },
    );
  }
}

/**
 * A client cannot be built: credentials or options are missing or invalid. It
 * names the `VoiceClient` option concerned (`option`); where those options
 * come from (stack config, environment) is the caller's to say — the provider's
 * `config.ts` adds it.
 */
export class VoiceConfigurationError extends ItniotechError {
  override readonly name = "VoiceConfigurationError";
  /** The option at fault, e.g. `"baseUrl"`; undefined when the problem is not one option's. */
  readonly option: string | undefined;
  /** Whether the option is missing (rather than invalid). */
  readonly missing: boolean;
  /** What is wrong, without where to fix it, e.g. "The Itniotech API key is missing". */
  readonly problem: string;

  constructor(problem: string, about?: { option: string; missing?: boolean }) {
    super(
      about === undefined ? problem : `${problem} (VoiceClient option '${about.option}').`,
      ErrorCode.CONFIGURATION,
      false,
    );
    this.problem = problem;
    this.option = about?.option;
    this.missing = about?.missing ?? false;
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

/** Quotes server text into a message: redacted and cut (see `Redactor.quote`). */
export type Quote = (text: string) => string;

const plainQuote: Quote = (text) => new Redactor([]).quote(text, MAX_REASON_LENGTH);

/**
 * Maps one HTTP reply to its payload or the client's error: the ONE place that
 * decides what a reply means. `body` is the raw text; it is parsed here and never
 * quoted in an error. Only the vendor's `reason` is quoted, through `quote`, which
 * the request path gives the secrets to redact. `retryAfterMs` is the reply's
 * `Retry-After`, kept on a 429 or 503.
 */
export function parseReply(
  endpoint: Endpoint,
  httpStatus: number,
  body: string,
  quote: Quote = plainQuote,
  retryAfterMs?: number,
): { ok: true; data: unknown } | { ok: false; error: VoiceApiError } {
  if (httpStatus !== 200) {
    // Only a 429 or 503 asks to come back later; elsewhere the header means nothing.
    const wait = httpStatus === 429 || httpStatus === 503 ? retryAfterMs : undefined;
    return { ok: false, error: new VoiceHttpError(endpoint, httpStatus, wait) };
  }
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
  // A status becomes the error's code and is quoted: one that is long, or (unless it
  // is a number, as every vendor code is) holds a secret, is not a status at all.
  if (code.length > MAX_STATUS_LENGTH || (!/^-?\d+$/.test(code) && quote(code).includes(REDACTED))) {
    return { ok: false, error: new VoiceBadResponseError(endpoint, "a status that is not a code") };
  }
  if (code !== "0") {
    return {
      ok: false,
      error: new VoiceStatusError(endpoint, code, typeof reason === "string" ? quote(reason) : ""),
    };
  }
  return { ok: true, data };
}
