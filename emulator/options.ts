import { DEMO_CREDENTIALS, normaliseAddress, type Credential } from "./auth";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** API key/secret pairs accepted. @default [DEMO_CREDENTIALS] */
  credentials?: Credential[];
  /** Persist state to this JSON file (atomically); in memory when absent. */
  dataFile?: string;
  /** Accepted clock difference for the Timestamp header, in seconds. @default 300 */
  timestampWindowSeconds?: number;
  /** Caller IPs allowed; any other gets -2. @default every caller */
  allowedIps?: string[];
  /** Phones per application before sipAdd answers -23. @default 10000 */
  maxPhonesPerApp?: number;
  /** Seed of the fault RNG (probabilistic faults). @default 1 */
  seed?: number;
  /** The server's clock in epoch ms (tests of clock skew). @default Date.now */
  now?: () => number;
  /**
   * API requests per second (on average; bursts of one second's worth) before
   * the emulator answers HTTP 429 with `Retry-After`, as a rate-limited vendor
   * gateway would. @default unlimited
   */
  rateLimitPerSecond?: number;
  /** Connection bounds; each absent one takes its value from {@link CONNECTION_LIMITS}. */
  limits?: Partial<ConnectionLimits>;
}

/** How long a connection may take and how many there may be. */
export interface ConnectionLimits {
  /** From a connection's first byte (or the previous reply) to the end of a request's headers. @default 10000 */
  headersTimeoutMs: number;
  /** To receive a whole request, body included (not to answer it: latency faults may wait longer). @default 30000 */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after a reply. @default 5000 */
  keepAliveTimeoutMs: number;
  /** Open connections at once; more are closed as they arrive. @default 1024 */
  maxConnections: number;
}

/**
 * Bounds suited to a local emulator: generous for any honest client on this
 * machine (the provider's default budget is 16 requests in flight, its maximum
 * 256), short enough that idle or dripping connections do not pile up.
 */
export const CONNECTION_LIMITS: Readonly<ConnectionLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
});

/**
 * A `--credential` flag of the command line: `<apiKey>:<apiSecret>[:<appId>,<appId>…]`
 * (keys and secrets hold no `:`; the vendor's are alphanumeric). With application
 * ids, the pair owns those applications (see {@link Credential.appIds}). Throws a
 * TypeError that never quotes the secret.
 */
export function parseCredentialFlag(text: string): Credential {
  const [apiKey = "", apiSecret = "", apps, ...rest] = text.split(":");
  if (apiKey === "" || apiSecret === "" || rest.length > 0 || apps === "")
    throw new TypeError("--credential takes <apiKey>:<apiSecret>[:<appId>,<appId>…]");
  if (apps === undefined) return { apiKey, apiSecret };
  const appIds = apps.split(",");
  if (appIds.some((a) => a.trim() === ""))
    throw new TypeError(`--credential ${apiKey}:…: application ids must not be blank`);
  return { apiKey, apiSecret, appIds };
}

/** The options with every default filled in, checked. */
export interface Settings {
  port: number;
  host: string;
  secrets: Map<string, string>;
  /** Each application a credential lists (`appIds`) → that credential's key. */
  owners: Map<string, string>;
  /** The keys that list applications: they use those only. */
  restricted: Set<string>;
  dataFile: string | undefined;
  windowSeconds: number;
  allowedIps: Set<string> | undefined;
  maxPhonesPerApp: number;
  seed: number;
  now: () => number;
  rateLimitPerSecond: number | undefined;
  limits: ConnectionLimits;
}

export function resolveOptions(options: EmulatorOptions): Settings {
  checkOptions(options);
  const credentials = options.credentials ?? [DEMO_CREDENTIALS];
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    secrets: new Map(credentials.map((c) => [c.apiKey, c.apiSecret])),
    owners: new Map(credentials.flatMap((c) => (c.appIds ?? []).map((appId) => [appId, c.apiKey] as const))),
    restricted: new Set(credentials.filter((c) => c.appIds !== undefined).map((c) => c.apiKey)),
    dataFile: options.dataFile,
    windowSeconds: options.timestampWindowSeconds ?? 300,
    allowedIps: options.allowedIps ? new Set(options.allowedIps.map(normaliseAddress)) : undefined,
    maxPhonesPerApp: options.maxPhonesPerApp ?? 10_000,
    seed: options.seed ?? 1,
    now: options.now ?? Date.now,
    rateLimitPerSecond: options.rateLimitPerSecond,
    limits: { ...CONNECTION_LIMITS, ...definedOnly(options.limits ?? {}) },
  };
}

/** Readable errors for options that would otherwise fail obscurely, or silently, later. */
function checkOptions(options: EmulatorOptions): void {
  const problem = (text: string): never => {
    throw new TypeError(`startEmulator: ${text}`);
  };
  const { credentials, timestampWindowSeconds, maxPhonesPerApp, allowedIps, port, seed } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    problem("port must be a whole number from 0 to 65535");
  if (credentials !== undefined) {
    if (!Array.isArray(credentials) || credentials.length === 0)
      problem("credentials must be a non-empty array of { apiKey, apiSecret }");
    const seen = new Set<string>();
    const owned = new Set<string>();
    for (const c of credentials as unknown[]) {
      const { apiKey, apiSecret, appIds } = (c ?? {}) as Partial<Credential>;
      if (typeof apiKey !== "string" || apiKey === "" || typeof apiSecret !== "string" || apiSecret === "")
        return problem("every credential needs a non-empty apiKey and apiSecret string");
      // Two secrets for one key would make the accepted signature depend on the order.
      if (seen.has(apiKey)) problem(`apiKey ${JSON.stringify(apiKey)} is listed twice`);
      seen.add(apiKey);
      if (appIds === undefined) continue;
      if (!Array.isArray(appIds) || !appIds.every((a) => typeof a === "string" && a.trim() !== ""))
        problem(`appIds of ${JSON.stringify(apiKey)} must be an array of non-blank application ids`);
      for (const appId of appIds) {
        // An application belongs to one account.
        if (owned.has(appId)) problem(`appId ${JSON.stringify(appId)} is listed by two credentials`);
        owned.add(appId);
      }
    }
  }
  if (timestampWindowSeconds !== undefined && !(timestampWindowSeconds >= 0))
    problem("timestampWindowSeconds must be a number >= 0");
  if (maxPhonesPerApp !== undefined && !(Number.isInteger(maxPhonesPerApp) && maxPhonesPerApp >= 0))
    problem("maxPhonesPerApp must be a whole number >= 0");
  if (
    allowedIps !== undefined &&
    !(Array.isArray(allowedIps) && allowedIps.every((ip) => typeof ip === "string"))
  )
    problem("allowedIps must be an array of IP address strings");
  if (seed !== undefined && !Number.isFinite(seed)) problem("seed must be a finite number");
  const { rateLimitPerSecond } = options;
  if (
    rateLimitPerSecond !== undefined &&
    !(typeof rateLimitPerSecond === "number" && rateLimitPerSecond > 0 && rateLimitPerSecond <= 1_000_000)
  )
    problem("rateLimitPerSecond must be a number above 0 and at most 1000000");
  if (options.limits !== undefined && (typeof options.limits !== "object" || options.limits === null))
    problem("limits must be an object");
  const unknown = Object.keys(options.limits ?? {}).find((name) => !(name in CONNECTION_LIMITS));
  if (unknown !== undefined)
    problem(`limits has no ${unknown}; it takes ${Object.keys(CONNECTION_LIMITS).join(", ")}`);
  const limits = { ...CONNECTION_LIMITS, ...definedOnly(options.limits ?? {}) };
  for (const [name, value] of Object.entries(limits)) {
    // setTimeout's own ceiling bounds the timeouts too.
    if (!(Number.isInteger(value) && value >= 1 && value <= 2_147_483_647))
      problem(`limits.${name} must be a whole number from 1 to 2147483647`);
  }
  // Node.js refuses a headers timeout longer than the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    problem("limits.headersTimeoutMs must not exceed limits.requestTimeoutMs");
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
