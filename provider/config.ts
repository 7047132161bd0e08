import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_BASE_URL } from "../protocol/types";
import { ACCOUNTS_KEY, accountProblem, MAX_ACCOUNTS, parseAccounts } from "./accounts";
import { CLIENT_DEFAULTS, isPace, PACE_RULE, VoiceClient, VoiceConfigurationError } from "./client";

/** Where each setting comes from: the stack config key (namespaced) and its environment fallback. */
export const SETTINGS = {
  apiKey: { config: "itniotech:apiKey", env: "ITNIOTECH_API_KEY" },
  apiSecret: { config: "itniotech:apiSecret", env: "ITNIOTECH_API_SECRET" },
  baseUrl: { config: "itniotech:baseUrl", env: "ITNIOTECH_BASE_URL" },
  concurrency: { config: "itniotech:concurrency", env: "ITNIOTECH_CONCURRENCY" },
  requestsPerSecond: { config: "itniotech:requestsPerSecond", env: "ITNIOTECH_REQUESTS_PER_SECOND" },
  timeoutMs: { config: "itniotech:timeoutMs", env: "ITNIOTECH_TIMEOUT_MS" },
  allowInsecureHttp: { config: "itniotech:allowInsecureHttp", env: "ITNIOTECH_ALLOW_INSECURE_HTTP" },
} as const;

/**
 * API requests in flight at once for the whole provider process and one set of
 * credentials (every resource, every operation, listings included), unless
 * configured otherwise. See docs/RELIABILITY.md for why 16 and 256.
 */
export const DEFAULT_CONCURRENCY = CLIENT_DEFAULTS.maxConcurrency;
const MAX_CONCURRENCY = 256;
const MAX_TIMEOUT_MS = 600_000;

/** The provider's settings after config and environment are merged (config wins). */
export interface ProviderSettings {
  apiKey: string | undefined;
  apiSecret: string | undefined;
  baseUrl: string;
  /** The request budget: API requests in flight for the process and these credentials. */
  concurrency: number;
  /** Requests started a second for the process and these credentials (undefined: not paced). */
  requestsPerSecond: number | undefined;
  /** Time allowed for one API attempt (the client's default when undefined). */
  timeoutMs: number | undefined;
  /** Plain `http://` to a host other than this machine, allowed explicitly (`itniotech:allowInsecureHttp`). */
  allowInsecureHttp: boolean;
}

type Lookup = (key: string) => string | undefined;

/**
 * The configuration: the default credentials' settings, those of each entry of
 * `itniotech:accounts` (by name), and the first problem found, if any.
 */
export interface ConfigState {
  settings: ProviderSettings;
  accounts: ReadonlyMap<string, ProviderSettings>;
  problem?: string;
}

/**
 * Merges stack config and environment. Never throws: a bad value is returned as a
 * `problem` that the first operation reports. Each `itniotech:accounts` entry takes
 * the stack's base URL (unless it sets its own), request budget and timeout.
 */
export function readSettings(config: Lookup, env: NodeJS.ProcessEnv = process.env): ConfigState {
  const state = readDefaults(config, env);
  const parsed = parseAccounts(config(ACCOUNTS_KEY));
  const accounts = new Map<string, ProviderSettings>();
  for (const [name, entry] of parsed.accounts)
    accounts.set(name, { ...state.settings, ...entry, baseUrl: entry.baseUrl ?? state.settings.baseUrl });
  const problem = state.problem ?? parsed.problem;
  return { settings: state.settings, accounts, ...(problem === undefined ? {} : { problem }) };
}

function readDefaults(
  config: Lookup,
  env: NodeJS.ProcessEnv,
): { settings: ProviderSettings; problem?: string } {
  const pick = (setting: { config: string; env: string }): string | undefined => {
    const value = config(setting.config) ?? env[setting.env];
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const settings: ProviderSettings = {
    apiKey: pick(SETTINGS.apiKey),
    apiSecret: pick(SETTINGS.apiSecret),
    baseUrl: pick(SETTINGS.baseUrl) ?? DEFAULT_BASE_URL,
    concurrency: DEFAULT_CONCURRENCY,
    requestsPerSecond: undefined,
    timeoutMs: undefined,
    allowInsecureHttp: false,
  };
  const numeric = (
    setting: { config: string; env: string },
    valid: (n: number) => boolean,
    rule: string,
  ): number | string | undefined => {
    const value = pick(setting);
    if (value === undefined) return undefined;
    const n = Number(value);
    return valid(n) ? n : `'${setting.config}' (or ${setting.env}) must be ${rule}; got '${value}'.`;
  };
  const whole = (setting: { config: string; env: string }, min: number, max: number) =>
    numeric(
      setting,
      (n) => Number.isInteger(n) && n >= min && n <= max,
      `a whole number from ${min} to ${max}`,
    );
  const rate = (setting: { config: string; env: string }) =>
    numeric(setting, isPace, `a number ${PACE_RULE} (requests a second, e.g. 10 or 0.5)`);
  const concurrency = whole(SETTINGS.concurrency, 1, MAX_CONCURRENCY);
  const requestsPerSecond = rate(SETTINGS.requestsPerSecond);
  const timeoutMs = whole(SETTINGS.timeoutMs, 100, MAX_TIMEOUT_MS);
  const insecure = pick(SETTINGS.allowInsecureHttp);
  if (insecure !== undefined && insecure !== "true" && insecure !== "false")
    return {
      settings,
      problem: `'${SETTINGS.allowInsecureHttp.config}' (or ${SETTINGS.allowInsecureHttp.env}) must be true or false; got '${insecure}'.`,
    };
  settings.allowInsecureHttp = insecure === "true";
  for (const value of [concurrency, requestsPerSecond, timeoutMs])
    if (typeof value === "string") return { settings, problem: value };
  if (typeof concurrency === "number") settings.concurrency = concurrency;
  if (typeof requestsPerSecond === "number") settings.requestsPerSecond = requestsPerSecond;
  if (typeof timeoutMs === "number") settings.timeoutMs = timeoutMs;
  return { settings };
}

/**
 * The provider host's state. The host deserializes one provider object per distinct
 * `__provider` text and calls `configure` on each with the same stack config; all
 * of them share this module, so the last configuration is the stack's.
 */
let configured: ConfigState | undefined;
/** One client per distinct settings in this process: the scans it shares are per client. */
const clients = new Map<string, VoiceClient>();
/**
 * Clients kept at once: the default credentials and every entry of
 * `itniotech:accounts`. A process uses one set of credentials per account, so this
 * is never reached in use; past it the least recently used client is dropped (its
 * shared scans with it), so a long-lived process cannot grow without end.
 */
export const MAX_CLIENTS = MAX_ACCOUNTS + 1;

/**
 * The dynamic provider's `configure`: runs in the provider host, where the stack's
 * config (secrets already unwrapped) is available. Credentials are read here and
 * never sit on the serialized provider object.
 *
 * It must not throw: the host caches the provider before configure resolves, so a
 * throw would leave a cached, unconfigured provider. Problems are kept and reported
 * by the first operation that needs the API.
 */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  try {
    configured = readSettings((key) => req.config.get(key));
  } catch (e) {
    configured = {
      ...readSettings(() => undefined),
      problem: `could not read the stack configuration: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** The current settings (environment only when the host never called configure). */
export function currentSettings(account?: string): ProviderSettings {
  const state = configured ?? readSettings(() => undefined);
  // An unknown name never gets here: apiClient(account) refused it before any use.
  return (account === undefined ? undefined : state.accounts.get(account)) ?? state.settings;
}

/**
 * The API client for the current settings, built once per distinct settings:
 * `account` selects an entry of `itniotech:accounts`; absent, the default
 * credentials. Throws a `VoiceConfigurationError` that names the config key and
 * environment variable to set when something is missing or invalid.
 */
export function apiClient(account?: string): VoiceClient {
  return clientFor(configured ?? readSettings(() => undefined), account);
}

/**
 * Why `name` cannot select an account of the current configuration (check's rule,
 * run in the provider host), or undefined when it can.
 */
export function accountFailure(property: string, name: unknown): string | undefined {
  const state = configured ?? readSettings(() => undefined);
  return accountProblem(property, name, { names: [...state.accounts.keys()], problem: state.problem });
}

/**
 * The API client for settings merged by {@link readSettings}: the one place where
 * settings become credentials, for the provider host, the program's lookups and the
 * `itniotech` command. `account` selects an entry of `itniotech:accounts`. One
 * client per distinct settings in this process: two names with the same
 * credentials share one client, its request budget and its scans.
 */
export function clientFor(state: ConfigState, account?: string): VoiceClient {
  if (state.problem !== undefined)
    throw new VoiceConfigurationError(`Itniotech provider configuration: ${state.problem}`);
  const settings = account === undefined ? state.settings : state.accounts.get(account);
  if (settings === undefined)
    throw new VoiceConfigurationError(
      `Itniotech provider configuration: ${accountProblem("account", account, { names: [...state.accounts.keys()] })}`,
    );
  const { apiKey, apiSecret, baseUrl, timeoutMs, concurrency, requestsPerSecond, allowInsecureHttp } =
    settings;
  // The key holds the secret only in memory, to tell configurations apart.
  const key = JSON.stringify([
    baseUrl,
    apiKey,
    apiSecret,
    timeoutMs,
    concurrency,
    requestsPerSecond,
    allowInsecureHttp,
  ]);
  const cached = clients.get(key);
  // The account's budget is shared with clients of other settings: a cached client
  // gives it its own settings back, so the latest configuration wins.
  cached?.budget.setMax(concurrency);
  cached?.budget.setPace(requestsPerSecond);
  const client = cached ?? withHints(() => newClient(settings), account);
  // Re-inserted on every use: the Map's first key is then the least recently used.
  clients.delete(key);
  clients.set(key, client);
  if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  return client;
}

function newClient(settings: ProviderSettings): VoiceClient {
  const { apiKey, apiSecret, baseUrl, timeoutMs, concurrency, requestsPerSecond, allowInsecureHttp } =
    settings;
  return new VoiceClient({
    allowInsecureHttp,
    apiKey: apiKey ?? "",
    apiSecret: apiSecret ?? "",
    baseUrl,
    timeoutMs,
    // One budget per process and credentials: the client shares it between all its instances.
    maxConcurrency: concurrency,
    maxRequestsPerSecond: requestsPerSecond,
  });
}

/** The VoiceClient option each setting feeds, for the hint on a configuration error. */
const OPTION_SETTINGS: Readonly<Record<string, { config: string; env: string; secret?: boolean }>> = {
  apiKey: SETTINGS.apiKey,
  apiSecret: { ...SETTINGS.apiSecret, secret: true },
  baseUrl: SETTINGS.baseUrl,
  timeoutMs: SETTINGS.timeoutMs,
  maxConcurrency: SETTINGS.concurrency,
  maxRequestsPerSecond: SETTINGS.requestsPerSecond,
};

/** An entry's own keys: its credentials and base URL (the rest are the stack's). */
const ACCOUNT_OPTIONS = ["apiKey", "apiSecret", "baseUrl"];

/**
 * The client speaks of its own options; a provider user sets stack config or
 * environment variables, so its configuration errors say which (for an entry of
 * `itniotech:accounts`, its own key).
 */
function withHints<T>(build: () => T, account?: string): T {
  try {
    return build();
  } catch (e) {
    const setting =
      e instanceof VoiceConfigurationError && e.option !== undefined ? OPTION_SETTINGS[e.option] : undefined;
    if (setting === undefined || !(e instanceof VoiceConfigurationError)) throw e;
    if (account !== undefined && ACCOUNT_OPTIONS.includes(e.option as string))
      throw new VoiceConfigurationError(
        `${e.problem}: check the stack config '${ACCOUNTS_KEY}.${account}.${e.option as string}'.`,
      );
    // The way out of a refused http:// is a setting of its own: name it.
    const allow = e.problem.includes("allowInsecureHttp")
      ? ` (allowInsecureHttp is the stack config '${SETTINGS.allowInsecureHttp.config}' or ${SETTINGS.allowInsecureHttp.env}=true)`
      : "";
    const how = e.missing
      ? `set the stack config '${setting.config}' (\`pulumi config set ${setting.secret ? "--secret " : ""}${setting.config} <value>\`)`
      : `check the stack config '${setting.config}'`;
    throw new VoiceConfigurationError(
      `${e.problem}${allow}: ${how} or the environment variable ${setting.env}.`,
    );
  }
}

/** Forgets the configuration (tests). */
export function resetConfiguration(): void {
  configured = undefined;
  clients.clear();
}
