import { createHash } from "node:crypto";

/** Header names the vendor reads on every request. */
export const HEADER_API_KEY = "Api-Key";
export const HEADER_TIMESTAMP = "Timestamp";
export const HEADER_SIGN = "Sign";

/**
 * The vendor's request signature: lowercase hex `md5(apiKey + apiSecret + timestamp)`,
 * a plain concatenation with no separators. The secret itself never travels.
 */
export function sign(apiKey: string, apiSecret: string, timestamp: string): string {
  return createHash("md5")
    .update(apiKey + apiSecret + timestamp, "utf8")
    .digest("hex");
}

/** Unix time in whole seconds as the decimal string the `Timestamp` header carries. */
export function unixSeconds(epochMs: number = Date.now()): string {
  return String(Math.floor(epochMs / 1000));
}

/** The three authentication headers for one attempt, signed at `timestamp`. */
export function signedHeaders(apiKey: string, apiSecret: string, timestamp: string): Record<string, string> {
  return {
    [HEADER_API_KEY]: apiKey,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_SIGN]: sign(apiKey, apiSecret, timestamp),
  };
}
