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
}

/** The options with every default filled in, checked. */
export interface Settings {
  port: number;
  host: string;
  secrets: Map<string, string>;
  dataFile: string | undefined;
  windowSeconds: number;
  allowedIps: Set<string> | undefined;
  maxPhonesPerApp: number;
  seed: number;
  now: () => number;
}

export function resolveOptions(options: EmulatorOptions): Settings {
  checkOptions(options);
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    secrets: new Map((options.credentials ?? [DEMO_CREDENTIALS]).map((c) => [c.apiKey, c.apiSecret])),
    dataFile: options.dataFile,
    windowSeconds: options.timestampWindowSeconds ?? 300,
    allowedIps: options.allowedIps ? new Set(options.allowedIps.map(normaliseAddress)) : undefined,
    maxPhonesPerApp: options.maxPhonesPerApp ?? 10_000,
    seed: options.seed ?? 1,
    now: options.now ?? Date.now,
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
    for (const c of credentials as unknown[]) {
      const { apiKey, apiSecret } = (c ?? {}) as Partial<Credential>;
      if (typeof apiKey !== "string" || apiKey === "" || typeof apiSecret !== "string" || apiSecret === "")
        return problem("every credential needs a non-empty apiKey and apiSecret string");
      // Two secrets for one key would make the accepted signature depend on the order.
      if (seen.has(apiKey)) problem(`apiKey ${JSON.stringify(apiKey)} is listed twice`);
      seen.add(apiKey);
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
}
