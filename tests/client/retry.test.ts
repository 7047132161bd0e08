import { backoffDelay, decideRetry, type RetryOptions } from "../../provider/client/retry";
import {
  VoiceApiError,
  VoiceBadResponseError,
  VoiceConnectionError,
  VoiceHttpError,
  VoiceStatusError,
  VoiceTimeoutError,
} from "../../provider/client/errors";
import type { Endpoint } from "../../protocol/types";

const options: RetryOptions = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };
const first = { attempts: 1, resynced: false };

const status = (endpoint: Endpoint, code: string) => new VoiceStatusError(endpoint, code, "reason");

describe("decideRetry", () => {
  // [endpoint, error, retried?]
  const table: Array<[Endpoint, (e: Endpoint) => VoiceApiError, boolean]> = [];
  for (const endpoint of ["sipQuery", "sipReset"] as const) {
    table.push(
      [endpoint, (e) => new VoiceTimeoutError(e, 1000), true],
      [endpoint, (e) => new VoiceConnectionError(e, "ECONNRESET", true), true],
      [endpoint, (e) => new VoiceConnectionError(e, "ECONNREFUSED", false), true],
      [endpoint, (e) => new VoiceHttpError(e, 500), true],
      [endpoint, (e) => new VoiceHttpError(e, 502), true],
      [endpoint, (e) => new VoiceHttpError(e, 503), true],
      [endpoint, (e) => new VoiceHttpError(e, 429), true],
      [endpoint, (e) => new VoiceBadResponseError(e, "not JSON"), true],
      [endpoint, (e) => status(e, "-18"), true],
      [endpoint, (e) => new VoiceHttpError(e, 302), false],
      [endpoint, (e) => new VoiceHttpError(e, 404), false],
    );
    for (const code of ["-1", "-2", "-20", "-22", "-23", "-24", "-10", "-99"]) {
      table.push([endpoint, (e) => status(e, code), false]);
    }
  }
  // sipAdd is never resent when it may have taken effect.
  table.push(
    ["sipAdd", (e) => new VoiceTimeoutError(e, 1000), false],
    ["sipAdd", (e) => new VoiceConnectionError(e, "ECONNRESET", true), false],
    ["sipAdd", (e) => new VoiceHttpError(e, 500), false],
    ["sipAdd", (e) => new VoiceHttpError(e, 503), false],
    ["sipAdd", (e) => new VoiceBadResponseError(e, "truncated"), false],
    ["sipAdd", (e) => status(e, "-18"), false],
    ["sipAdd", (e) => status(e, "-20"), false],
    ["sipAdd", (e) => status(e, "-23"), false],
    // ...but is when it certainly never left this machine.
    ["sipAdd", (e) => new VoiceConnectionError(e, "ECONNREFUSED", false), true],
  );

  it.each(table)("%s %p retried=%s", (endpoint, make, retried) => {
    expect(decideRetry(endpoint, make(endpoint), first, options, () => 0.5).retry).toBe(retried);
  });

  it.each(["sipAdd", "sipQuery", "sipReset"] as const)(
    "%s: -16 resyncs and retries once, at once",
    (endpoint) => {
      const error = status(endpoint, "-16");
      expect(decideRetry(endpoint, error, first, options)).toEqual({ retry: true, delayMs: 0, resync: true });
      expect(decideRetry(endpoint, error, { attempts: 2, resynced: true }, options)).toEqual({
        retry: false,
      });
    },
  );

  it.each([1, 2, 3])("never goes past maxAttempts=%i", (maxAttempts) => {
    const error = new VoiceHttpError("sipQuery", 503);
    let attempts = 1;
    while (decideRetry("sipQuery", error, { attempts, resynced: false }, { ...options, maxAttempts }).retry)
      attempts++;
    expect(attempts).toBe(maxAttempts);
  });
});

describe("backoffDelay (full jitter)", () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000], // capped
    [10, 1000],
  ])("retry %i waits in [0, %i)", (retry, ceiling) => {
    expect(backoffDelay(retry, options, () => 0)).toBe(0);
    expect(backoffDelay(retry, options, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelay(retry, options, () => 0.5)).toBe(ceiling / 2);
  });
});
