import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { Status } from "../../protocol/status";
import { HEADER_SIGN, signedHeaders, unixSeconds } from "../../protocol/signing";
import { DEFAULT_BASE_URL, type Endpoint } from "../../protocol/types";
import { isPace, PACE_RULE, type Outcome, type RequestBudget, sharedBudget, type Waiting } from "./budget";
import {
  MAX_REASON_LENGTH,
  parseReply,
  transportError,
  VoiceApiError,
  VoiceBadResponseError,
  VoiceCircuitOpenError,
  VoiceConfigurationError,
  VoiceHttpError,
  VoiceStatusError,
  VoiceTimeoutError,
} from "./errors";
import type { CircuitBreaker } from "./breaker";
import { Redactor } from "./redact";
import { decideRetry, parseRetryAfter, type RetryOptions } from "./retry";

/** Options of {@link VoiceClient}; every one but the credentials has a default. */
export interface VoiceClientOptions {
  /** The account's API key. */
  apiKey: string;
  /** The account's API secret. Never sent; only signatures are. */
  apiSecret: string;
  /**
   * The API's base URL; endpoints are appended (`{baseUrl}/sipAdd`). An http(s) URL
   * without credentials, query string or fragment.
   * @default "https://api.itniotech.com/voice"
   */
  baseUrl?: string | undefined;
  /**
   * Time allowed for one attempt, from sending to the whole reply: a wall-clock
   * deadline, kept whatever the server does after the headers.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Attempts per call, the first included (see `decideRetry` for which failures retry).
   * @default 3
   */
  maxAttempts?: number | undefined;
  /**
   * Backoff ceiling before the first retry, doubled for each later one (full jitter).
   * @default 250
   */
  retryBaseDelayMs?: number | undefined;
  /**
   * Upper bound of one backoff.
   * @default 5000
   */
  retryMaxDelayMs?: number | undefined;
  /**
   * Longest `Retry-After` (of an HTTP 429 or 503) the client waits before retrying;
   * a server that asks for more gets no retry.
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * The most API requests in flight at once for this base URL and API key in the
   * whole process: every client built for the same account shares one budget (the
   * latest client's value wins). Push-back from the server (HTTP 429 or 503, bursts
   * of -18) lowers the limit for a while; see `RequestBudget`.
   * @default 16
   */
  maxConcurrency?: number | undefined;
  /**
   * Paces this base URL and API key's attempts in the whole process to this many a
   * second (starts at least 1/N s apart, shared like {@link maxConcurrency}; the
   * latest client's value wins), from 0.01 (one request every 100 s) to 1,000. For a vendor whose quota
   * is known: the client keeps it instead of learning it from HTTP 429s.
   * @default undefined (not paced: only the in-flight budget and push-back)
   */
  maxRequestsPerSecond?: number | undefined;
  /**
   * Allows a plain `http://` base URL to a host other than this machine. Refused by
   * default: sipQuery and sipReset replies carry passwords, and the vendor's `Sign`
   * covers the request headers, not the body, so on the network they would be read
   * or changed in transit. `http://` to loopback (the emulator) is always allowed.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The local clock in epoch milliseconds; a -16 reply resynchronises an offset to it.
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * A clock that never steps back, in milliseconds from any start, for waits: a
   * `Retry-After` hold and the pace count on it, so a wall clock stepped back (NTP)
   * during a hold cannot stretch it (1 h back made a 1 s hold last 3,601 s).
   * @default `now` when only `now` is given (a test's fake clock), else performance.now
   */
  monotonicNow?: (() => number) | undefined;
  /**
   * Random source of the backoff jitter, in [0, 1).
   * @default Math.random
   */
  random?: (() => number) | undefined;
  /**
   * Waits between attempts (backoff, `Retry-After`).
   * @default setTimeout of node:timers/promises
   */
  sleep?: ((ms: number) => Promise<unknown>) | undefined;
}

export const DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  timeoutMs: 30_000,
  maxAttempts: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
  maxConcurrency: 16,
} as const;

/** Options after defaults; `maxAttempts`, the delays and `maxRetryAfterMs` feed the retry policy. */
interface ResolvedOptions extends RetryOptions {
  timeoutMs: number;
  now: () => number;
  monotonicNow: () => number;
  random: () => number;
  sleep: (ms: number) => Promise<unknown>;
}

/**
 * Largest reply accepted. A full sipQuery page (100 records of a few short fields)
 * is about 15 KB; 1 MB leaves room for a verbose gateway and bounds what a broken
 * server can make a listing of up to `MAX_PAGES` pages hold.
 */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** One attempt's outcome: the decoded payload, or the failure and the server's clock. */
type Attempt<T> =
  { ok: true; value: T } | { ok: false; error: VoiceApiError; serverDate: string | undefined };

/** Turns a success's `data` into the endpoint's result, or undefined when its shape is wrong. */
export type Decoder<T> = (data: unknown) => T | undefined;

/**
 * The ONE path every API call takes: wait for the account's request budget, serialize,
 * sign (fresh on every attempt, so a retry never reuses a stale timestamp), enforce
 * the attempt's wall-clock deadline, map the reply or failure to an error (quoting
 * nothing of ours back), and retry by the pure policy in `retry.ts`.
 *
 * Redirects are never followed (credentials must not reach another origin) and the
 * endpoint is always a path under `baseUrl`, never an absolute URL.
 */
export class RequestSender {
  readonly baseUrl: string;
  readonly #apiKey: string;
  // A private field: `util.inspect`, `JSON.stringify` and the closure serializer cannot see it.
  readonly #apiSecret: string;
  readonly #http: AxiosInstance;
  readonly #options: ResolvedOptions;
  readonly #budget: RequestBudget;
  readonly #redactor: Redactor;
  /** Server clock minus local clock, learnt from the `Date` of a -16 reply. */
  #clockOffsetMs = 0;
  /** The budget's clock and sleep: monotonic, so holds and the pace ignore wall-clock steps. */
  readonly #waiting: Waiting;

  constructor(options: VoiceClientOptions) {
    this.#apiKey = requireCredential(options.apiKey, "API key", "apiKey");
    this.#apiSecret = requireCredential(options.apiSecret, "API secret", "apiSecret");
    this.baseUrl = normaliseBaseUrl(options.baseUrl ?? DEFAULTS.baseUrl, options.allowInsecureHttp === true);
    this.#options = {
      timeoutMs: positive(options.timeoutMs, DEFAULTS.timeoutMs, "timeoutMs"),
      maxAttempts: positive(options.maxAttempts, DEFAULTS.maxAttempts, "maxAttempts"),
      baseDelayMs: nonNegative(options.retryBaseDelayMs, DEFAULTS.retryBaseDelayMs, "retryBaseDelayMs"),
      maxDelayMs: nonNegative(options.retryMaxDelayMs, DEFAULTS.retryMaxDelayMs, "retryMaxDelayMs"),
      maxRetryAfterMs: nonNegative(options.maxRetryAfterMs, DEFAULTS.maxRetryAfterMs, "maxRetryAfterMs"),
      now: options.now ?? Date.now,
      monotonicNow: options.monotonicNow ?? options.now ?? (() => performance.now()),
      random: options.random ?? Math.random,
      sleep: options.sleep ?? sleep,
    };
    const maxConcurrency = positive(options.maxConcurrency, DEFAULTS.maxConcurrency, "maxConcurrency");
    if (!Number.isInteger(maxConcurrency))
      throw new VoiceConfigurationError("The request budget must be a whole number", {
        option: "maxConcurrency",
      });
    const perSecond = options.maxRequestsPerSecond;
    if (perSecond !== undefined && !isPace(perSecond))
      throw new VoiceConfigurationError(`The requests per second must be ${PACE_RULE}`, {
        option: "maxRequestsPerSecond",
      });
    this.#budget = sharedBudget(this.baseUrl, this.#apiKey, maxConcurrency, perSecond);
    this.#waiting = { now: this.#options.monotonicNow, sleep: this.#options.sleep };
    this.#redactor = new Redactor([this.#apiSecret]);
    this.#http = axios.create({
      baseURL: this.baseUrl,
      allowAbsoluteUrls: false,
      maxRedirects: 0,
      maxContentLength: MAX_REPLY_BYTES,
      // Every status and every body reaches parseReply untouched: one mapper decides.
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(body: unknown) => body],
      transformRequest: [(body: unknown) => body],
      headers: { "Content-Type": "application/json;charset=UTF-8", "User-Agent": "pulumi-itniotech" },
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
    });
  }

  /** The current clock offset to the server, in milliseconds (0 until a -16 resync). */
  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  /** The request budget this client shares with every client of the same account. */
  get budget(): RequestBudget {
    return this.#budget;
  }

  /** Marks a password read or set through this client as never to be quoted from a server. */
  rememberSecret(secret: string): void {
    this.#redactor.remember(secret);
  }

  /**
   * `breaker`: the call is one of many of an operation (a group's resets), whose
   * circuit breaker it reports to; while that is open it fails at once, unsent.
   */
  async send<T>(endpoint: Endpoint, body: object, decode: Decoder<T>, breaker?: CircuitBreaker): Promise<T> {
    const payload = JSON.stringify(body);
    const state = { attempts: 0, resynced: false };
    for (;;) {
      state.attempts++;
      const slot = await this.#budget.acquire(this.#waiting);
      const open = state.attempts === 1 ? breaker?.open : undefined;
      if (open !== undefined) {
        this.#budget.release(slot, "neutral");
        throw new VoiceCircuitOpenError(endpoint, open.why, open.httpStatus);
      }
      let outcome: Attempt<T> | undefined;
      try {
        outcome = await this.#attempt(endpoint, payload, decode);
      } finally {
        this.#budget.release(slot, outcome === undefined ? "neutral" : load(outcome));
      }
      if (outcome.ok) {
        breaker?.note(undefined);
        return outcome.value;
      }
      const { error } = outcome;
      const decision = decideRetry(endpoint, error, state, this.#options, this.#options.random);
      const refused = refusal(error);
      // A refusal counts when the attempt had waited: a retry, or an attempt held by a
      // Retry-After. Refused again after waiting what the API asked: not a passing burst.
      if (refused === undefined || (refused !== null && (state.attempts > 1 || slot.held === true)))
        breaker?.note(refused);
      // Once the operation's breaker is open, its calls stop retrying too: the retries
      // of the calls already sent were most of a storm's requests and time.
      if (decision.retry && breaker?.open !== undefined) throw error;
      if (
        error instanceof VoiceHttpError &&
        error.retryAfterMs !== undefined &&
        error.retryAfterMs <= this.#options.maxRetryAfterMs
      ) {
        // The account's holds of this process are bounded in all: past the bound this
        // call fails now rather than wait.
        if (!this.#budget.mayHold(error.retryAfterMs)) throw error;
        // Every request of the account waits, not only this one: the server spoke for all.
        // A wait beyond the cap is not waited at all: that call fails at once, and the
        // circuit breaker stops the work that would make the next ones.
        const now = this.#options.monotonicNow();
        this.#budget.holdUntil(now + error.retryAfterMs, now);
      }
      if (!decision.retry) throw error;
      if (decision.resync) {
        this.#resync(outcome.serverDate);
        state.resynced = true;
      }
      if (decision.delayMs > 0) await this.#options.sleep(decision.delayMs);
    }
  }

  async #attempt<T>(endpoint: Endpoint, payload: string, decode: Decoder<T>): Promise<Attempt<T>> {
    const timestamp = unixSeconds(this.#options.now() + this.#clockOffsetMs);
    const headers = signedHeaders(this.#apiKey, this.#apiSecret, timestamp);
    // A wall-clock deadline for the whole attempt: a socket idle timer alone lets a
    // server that drips its body keep the attempt alive for as long as it likes.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.#options.timeoutMs);
    let response: AxiosResponse<string>;
    try {
      response = await this.#http.post<string>(`/${endpoint}`, payload, { headers, signal: deadline.signal });
    } catch (failure) {
      // The library's error carries the request config (and so the Sign header):
      // only its system code is kept.
      const error = deadline.signal.aborted
        ? new VoiceTimeoutError(endpoint, this.#options.timeoutMs)
        : axios.isAxiosError(failure)
          ? failure.code === "ERR_BAD_RESPONSE" || failure.code === "ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED"
            ? new VoiceBadResponseError(endpoint, "the body could not be read")
            : transportError(endpoint, failure.code, this.#options.timeoutMs)
          : transportError(endpoint, undefined, this.#options.timeoutMs);
      return { ok: false, error, serverDate: undefined };
    } finally {
      clearTimeout(timer);
    }
    const serverDate = headerValue(response.headers["date"]);
    const quote = (text: string) =>
      this.#redactor.quote(text, MAX_REASON_LENGTH, [headers[HEADER_SIGN] as string]);
    const reply = parseReply(
      endpoint,
      response.status,
      typeof response.data === "string" ? response.data : "",
      quote,
      parseRetryAfter(headerValue(response.headers["retry-after"]), this.#options.now()),
    );
    if (!reply.ok) return { ok: false, error: reply.error, serverDate };
    const value = decode(reply.data);
    if (value === undefined) {
      return { ok: false, error: new VoiceBadResponseError(endpoint, "unexpected data shape"), serverDate };
    }
    return { ok: true, value };
  }

  #resync(serverDate: string | undefined): void {
    const serverMs = serverDate === undefined ? NaN : Date.parse(serverDate);
    // Without a usable Date header the retry is still signed afresh, at local time.
    if (!Number.isNaN(serverMs)) this.#clockOffsetMs = serverMs - this.#options.now();
  }
}

/** What an attempt's outcome says about the vendor's load, for the request budget. */
/** An attempt's error as a refusal (HTTP 429 or 5xx); undefined for any other answer; null when none came (a timeout, a lost connection). */
function refusal(error: VoiceApiError): { message: string; httpStatus: number } | undefined | null {
  const httpStatus = error.httpStatus ?? 0;
  if (error instanceof VoiceHttpError && (httpStatus === 429 || httpStatus >= 500))
    return { message: error.message, httpStatus };
  if (error instanceof VoiceStatusError) return undefined;
  return null;
}

function load(attempt: Attempt<unknown>): Outcome {
  if (attempt.ok) return "ok";
  const { error } = attempt;
  if (error.httpStatus === 429 || error.httpStatus === 503) return "pushback";
  if (error.code === Status.SYSTEM) return "system";
  // The vendor answered (with a definite "no"): it was not overloaded.
  if (error instanceof VoiceStatusError) return "ok";
  // Timeouts, resets, other HTTP errors, unreadable bodies: nothing learnt about load.
  return "neutral";
}

function headerValue(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function requireCredential(value: unknown, what: string, option: string): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  throw new VoiceConfigurationError(`The Itniotech ${what} is missing`, { option, missing: true });
}

/** Hosts that are this machine: `localhost`, 127.0.0.0/8, `[::1]`. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function normaliseBaseUrl(value: string, allowInsecureHttp: boolean): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new VoiceConfigurationError(
      `The Itniotech base URL must be an http(s) URL such as ${DEFAULT_BASE_URL}`,
      { option: "baseUrl" },
    );
  }
  if (url.username || url.password) {
    throw new VoiceConfigurationError("The Itniotech base URL must not contain credentials", {
      option: "baseUrl",
    });
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new VoiceConfigurationError(
      `The Itniotech base URL must use https:// for ${url.hostname}: over plain http:// the passwords in ` +
        "sipQuery and sipReset replies cross the network in clear text, and the vendor's Sign does not cover " +
        "the body (http:// is allowed to this machine only, or with allowInsecureHttp on a network you trust)",
      { option: "baseUrl" },
    );
  }
  // Endpoints are appended to the path: a query or fragment would swallow them
  // (`/voice?token=abc/sipReset`). `new URL` drops a bare "?" or "#", so test the text.
  if (url.search || url.hash || /[?#]/.test(value)) {
    throw new VoiceConfigurationError("The Itniotech base URL must not contain a query string or fragment", {
      option: "baseUrl",
    });
  }
  return url.href.replace(/\/+$/, "");
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1)
    throw new VoiceConfigurationError("The option must be at least 1", { option: name });
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new VoiceConfigurationError("The option must not be negative", { option: name });
  return value;
}
