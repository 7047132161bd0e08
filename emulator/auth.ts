import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { sign } from "../protocol/signing";
import { Status } from "../protocol/status";

export interface Credential {
  apiKey: string;
  apiSecret: string;
  /**
   * The voice applications this key's account owns, as the vendor's console makes
   * them. A key that lists applications uses only those, and no other key can see
   * or use them: to another key they answer as an application that does not exist
   * (sipQuery lists nothing, sipReset -24, sipAdd -22). A key without `appIds` uses
   * every application no key lists (one account: the emulator's default).
   */
  appIds?: string[];
}

/** The demo pair the emulator accepts by default (documented; never use it for a real account). */
export const DEMO_CREDENTIALS: Readonly<Credential> = Object.freeze({
  apiKey: "demo-key",
  apiSecret: "demo-secret-change-me",
});

const TEN_DIGITS = /^\d{10}$/;

/**
 * Authenticates one request; returns the failing status or undefined.
 *
 * Order (the vendor documents none): IP (-2), then key and signature (-1), then
 * the timestamp (-16). The signature covers the timestamp, so it can be checked
 * first, and an unauthenticated caller learns nothing about the server's clock.
 * A timestamp that is not 10 digits (milliseconds, letters) is -16, like a stale one.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  remoteAddress: string,
  options: {
    secrets: Map<string, string>;
    allowedIps: Set<string> | undefined;
    windowSeconds: number;
    nowSeconds: number;
  },
): string | undefined {
  if (options.allowedIps && !options.allowedIps.has(remoteAddress)) return Status.IP_RESTRICTED;
  const apiKey = header(headers, "api-key");
  const timestamp = header(headers, "timestamp");
  const given = header(headers, "sign");
  const secret = apiKey === undefined ? undefined : options.secrets.get(apiKey);
  // Compare even for an unknown key, so timing does not tell which keys exist.
  const expected = Buffer.from(sign(apiKey ?? "", secret ?? "", timestamp ?? ""), "utf8");
  const actual = Buffer.from((given ?? "").toLowerCase(), "utf8");
  // The expected length is always 32, so checking it first reveals nothing.
  const match = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (secret === undefined || !match) return Status.AUTH;
  if (timestamp === undefined || !TEN_DIGITS.test(timestamp)) return Status.TIMESTAMP_EXPIRED;
  if (Math.abs(Number(timestamp) - options.nowSeconds) > options.windowSeconds)
    return Status.TIMESTAMP_EXPIRED;
  return undefined;
}

/**
 * Whether the account of `apiKey` may use application `appId`: its own, or, for a key
 * that lists none, any application no key lists. `owners` maps each listed
 * application to its key; `restricted` holds the keys that list some.
 */
export function mayUse(
  access: { owners: ReadonlyMap<string, string>; restricted: ReadonlySet<string> },
  apiKey: string,
  appId: string,
): boolean {
  const owner = access.owners.get(appId);
  return owner === undefined ? !access.restricted.has(apiKey) : owner === apiKey;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `::ffff:127.0.0.1` -> `127.0.0.1`, so allow-lists can be written plainly. */
export function normaliseAddress(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/**
 * Whether a `Host` header names this machine: `localhost` (and `*.localhost`,
 * which browsers resolve to loopback themselves) or a loopback address. A page
 * that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) still sends its
 * own name here, so this refuses it.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const hostname = hostnameOf(host);
  if (hostname === undefined) return false;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  const address = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return /^[\d.]+$/.test(address) || address.includes(":") ? isLoopback(normaliseAddress(address)) : false;
}

/** Whether an `Origin` header is this server's own origin under a loopback name (so: no browser page elsewhere). */
export function isOwnOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) included
  }
  return url.protocol === "http:" && Number(url.port || 80) === port && isLoopbackHost(url.host);
}

function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    const url = new URL(`http://${host}`);
    // Nothing but host[:port]: "a@b", "a/b" and the like are not Host values.
    return url.host === host.toLowerCase() || `${url.host}:80` === host.toLowerCase()
      ? url.hostname
      : undefined;
  } catch {
    return undefined;
  }
}
