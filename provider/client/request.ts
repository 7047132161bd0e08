import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { signedHeaders, unixSeconds } from "../../protocol/signing";
import { DEFAULT_BASE_URL, type Endpoint } from "../../protocol/types";
import {
  parseReply,
  transportError,
  VoiceApiError,
  VoiceBadResponseError,
  VoiceConfigurationError,
} from "./errors";
import { decideRetry, type RetryOptions } from "./retry";

/** Options of {@link VoiceClient}; every one but the credentials has a default. */
export interface VoiceClientOptions {
  /** The account's API key (stack config `itniotech:apiKey`, env `ITNIOTECH_API_KEY`). */
  apiKey: string;
  /** The account's API secret (stack config `itniotech:apiSecret`, env `ITNIOTECH_API_SECRET`). Never sent; only signatures are. */
  apiSecret: string;
  /**
   * The API's base URL; endpoints are appended (`{baseUrl}/sipAdd`).
   * @default "https://api.itniotech.com/voice"
   */
  baseUrl?: string | undefined;
  /**
   * Time allowed for one attempt, from sending to the whole reply.
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
   * The local clock in epoch milliseconds; a -16 reply resynchronises an offset to it.
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * Random source of the backoff jitter, in [0, 1).
   * @default Math.random
   */
  random?: (() => number) | undefined;
}

export const DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  timeoutMs: 30_000,
  maxAttempts: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 5_000,
} as const;

/** Options after defaults; `maxAttempts`, `baseDelayMs` and `maxDelayMs` feed the retry policy. */
interface ResolvedOptions extends RetryOptions {
  timeoutMs: number;
  now: () => number;
  random: () => number;
}

/** Largest reply accepted; a sipQuery page of 100 phones is a few KB. */
const MAX_REPLY_BYTES = 10 * 1024 * 1024;

/** One attempt's outcome: the decoded payload, or the failure and the server's clock. */
type Attempt<T> =
  { ok: true; value: T } | { ok: false; error: VoiceApiError; serverDate: string | undefined };

/** Turns a success's `data` into the endpoint's result, or undefined when its shape is wrong. */
export type Decoder<T> = (data: unknown) => T | undefined;

/**
 * The ONE path every API call takes: serialize, sign (fresh on every attempt, so a
 * retry never reuses a stale timestamp), time out, map the reply or failure to an
 * error, and retry by the pure policy in `retry.ts`.
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
  /** Server clock minus local clock, learnt from the `Date` of a -16 reply. */
  #clockOffsetMs = 0;

  constructor(options: VoiceClientOptions) {
    this.#apiKey = requireCredential(
      options.apiKey,
      "API key",
      "itniotech:apiKey",
      "ITNIOTECH_API_KEY",
      false,
    );
    this.#apiSecret = requireCredential(
      options.apiSecret,
      "API secret",
      "itniotech:apiSecret",
      "ITNIOTECH_API_SECRET",
      true,
    );
    this.baseUrl = normaliseBaseUrl(options.baseUrl ?? DEFAULTS.baseUrl);
    this.#options = {
      timeoutMs: positive(options.timeoutMs, DEFAULTS.timeoutMs, "timeoutMs"),
      maxAttempts: positive(options.maxAttempts, DEFAULTS.maxAttempts, "maxAttempts"),
      baseDelayMs: nonNegative(options.retryBaseDelayMs, DEFAULTS.retryBaseDelayMs, "retryBaseDelayMs"),
      maxDelayMs: nonNegative(options.retryMaxDelayMs, DEFAULTS.retryMaxDelayMs, "retryMaxDelayMs"),
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.#http = axios.create({
      baseURL: this.baseUrl,
      allowAbsoluteUrls: false,
      maxRedirects: 0,
      timeout: this.#options.timeoutMs,
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

  async send<T>(endpoint: Endpoint, body: object, decode: Decoder<T>): Promise<T> {
    const payload = JSON.stringify(body);
    const state = { attempts: 0, resynced: false };
    for (;;) {
      state.attempts++;
      const outcome = await this.#attempt(endpoint, payload, decode);
      if (outcome.ok) return outcome.value;
      const decision = decideRetry(endpoint, outcome.error, state, this.#options, this.#options.random);
      if (!decision.retry) throw outcome.error;
      if (decision.resync) {
        this.#resync(outcome.serverDate);
        state.resynced = true;
      }
      if (decision.delayMs > 0) await sleep(decision.delayMs);
    }
  }

  async #attempt<T>(endpoint: Endpoint, payload: string, decode: Decoder<T>): Promise<Attempt<T>> {
    const timestamp = unixSeconds(this.#options.now() + this.#clockOffsetMs);
    let response: AxiosResponse<string>;
    try {
      response = await this.#http.post<string>(`/${endpoint}`, payload, {
        headers: signedHeaders(this.#apiKey, this.#apiSecret, timestamp),
      });
    } catch (failure) {
      // The library's error carries the request config (and so the Sign header):
      // only its system code is kept.
      const error = axios.isAxiosError(failure)
        ? failure.code === "ERR_BAD_RESPONSE" || failure.code === "ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED"
          ? new VoiceBadResponseError(endpoint, "the body could not be read")
          : transportError(endpoint, failure.code, this.#options.timeoutMs)
        : transportError(endpoint, undefined, this.#options.timeoutMs);
      return { ok: false, error, serverDate: undefined };
    }
    const serverDate = headerValue(response.headers["date"]);
    const reply = parseReply(
      endpoint,
      response.status,
      typeof response.data === "string" ? response.data : "",
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

function headerValue(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function requireCredential(
  value: unknown,
  what: string,
  configKey: string,
  envVar: string,
  secret: boolean,
): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  const set = `pulumi config set ${secret ? "--secret " : ""}${configKey} <value>`;
  throw new VoiceConfigurationError(
    `The Itniotech ${what} is missing: set the stack config '${configKey}' (\`${set}\`) or the environment variable ${envVar}.`,
  );
}

function normaliseBaseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new VoiceConfigurationError(
      `The Itniotech base URL must be an http(s) URL such as ${DEFAULT_BASE_URL} ` +
        "(stack config 'itniotech:baseUrl' or environment variable ITNIOTECH_BASE_URL).",
    );
  }
  if (url.username || url.password) {
    throw new VoiceConfigurationError(
      "The Itniotech base URL must not contain credentials ('itniotech:baseUrl').",
    );
  }
  return url.href.replace(/\/+$/, "");
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1)
    throw new VoiceConfigurationError(`VoiceClient option ${name} must be at least 1.`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new VoiceConfigurationError(`VoiceClient option ${name} must not be negative.`);
  return value;
}
