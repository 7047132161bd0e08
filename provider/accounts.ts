import { reveal } from "./secrets";

/*
 * Several Itniotech accounts in one stack: the stack config `itniotech:accounts`, a
 * map of account name → `{ apiKey, apiSecret, baseUrl? }`, and the `account` input
 * (`itniotechAccount` on SipPhonePassword) that selects an entry.
 *
 * How such a value reaches us. Pulumi config values are strings; `pulumi config set
 * --path --secret itniotech:accounts.sales.apiSecret …` stores an OBJECT under the one
 * key `itniotech:accounts`, and since one part of it is secure, the whole key is
 * secret. The engine then hands the object on JSON-encoded, as it does every
 * structured value for a default provider (pulumi/pulumi#17667), and gives a dynamic
 * provider every key of the stack, namespaced (pulumi/pulumi#17229):
 * - in the program, PULUMI_CONFIG holds `"itniotech:accounts": "<JSON text>"` and
 *   PULUMI_CONFIG_SECRET_KEYS lists the key; `pulumi.runtime.getConfig` returns the
 *   text (what `new pulumi.Config("itniotech").getObject("accounts")` parses);
 * - in the provider host, Configure's `args` hold `itniotech:accounts` as the same
 *   text wrapped in the secret sentinel; the host's `configure`
 *   (@pulumi/pulumi cmd/dynamic-provider/index.js, 3.248) unwraps the top-level
 *   sentinel only, so `req.config.get("itniotech:accounts")` is the plain JSON text.
 * A value that is already an object (an engine that sends structured config) is
 * taken too, with secret wrappers removed at any depth.
 */

/** The stack config key. */
export const ACCOUNTS_KEY = "itniotech:accounts";

/**
 * Entries `itniotech:accounts` may hold. Each account has its own client, request
 * budget (`itniotech:concurrency`, 16 by default) and scan cache: 16 accounts at the
 * default budget are 256 requests in flight from one provider process, the most one
 * account may be configured for. See docs/RELIABILITY.md.
 */
export const MAX_ACCOUNTS = 16;

/**
 * Deepest nesting `itniotech:accounts` may have: the map, an entry, a field, and the
 * secret wrappers an engine may put around each (a well-formed value is 3 levels
 * deep, 6 with wrappers). Deeper values are refused before anything walks them, so a
 * 20,000-level value cannot exhaust the stack (docs/RELIABILITY.md).
 */
export const MAX_ACCOUNTS_DEPTH = 8;

/** An account name: what `pulumi config set --path itniotech:accounts.<name>.…` can address. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const NAME_RULE = "1-64 letters, digits, '_' or '-', starting with a letter or digit";
const FIELDS = ["apiKey", "apiSecret", "baseUrl"] as const;

/** One entry of `itniotech:accounts`, checked. */
export interface AccountCredentials {
  apiKey: string;
  apiSecret: string;
  /** The stack's `itniotech:baseUrl` when absent. */
  baseUrl?: string;
}

/**
 * Reads `itniotech:accounts` (undefined when not set). Never throws and never puts a
 * value into a message (any of them may be a secret): a problem names the config key
 * and the rule.
 */
export function parseAccounts(raw: unknown): { accounts: Map<string, AccountCredentials>; problem?: string } {
  const accounts = new Map<string, AccountCredentials>();
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === ""))
    return { accounts };
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      // JSON.parse's message quotes the text: never show it.
      return { accounts, problem: `'${ACCOUNTS_KEY}' is not valid JSON` };
    }
  }
  if (deeperThan(value, MAX_ACCOUNTS_DEPTH))
    return { accounts, problem: `'${ACCOUNTS_KEY}' is nested more than ${MAX_ACCOUNTS_DEPTH} levels deep` };
  value = reveal(value);
  if (!isMap(value))
    return {
      accounts,
      problem:
        `'${ACCOUNTS_KEY}' must be a map of account name → { apiKey, apiSecret, baseUrl? } ` +
        `(\`pulumi config set --path --secret ${ACCOUNTS_KEY}.<name>.apiSecret <secret>\`)`,
    };
  const names = Object.keys(value);
  if (names.length > MAX_ACCOUNTS)
    return {
      accounts,
      problem: `'${ACCOUNTS_KEY}' has ${names.length} entries; at most ${MAX_ACCOUNTS} are allowed`,
    };
  for (const name of names) {
    const problem = entryProblem(name, value[name]);
    if (problem !== undefined) return { accounts: new Map(), problem };
    const entry = value[name] as Record<string, string>;
    accounts.set(name, {
      apiKey: entry["apiKey"] as string,
      apiSecret: entry["apiSecret"] as string,
      ...(entry["baseUrl"] === undefined ? {} : { baseUrl: entry["baseUrl"] }),
    });
  }
  return { accounts };
}

/** Whether `value` nests objects or arrays more than `limit` levels deep; walks without recursion. */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

function entryProblem(name: string, entry: unknown): string | undefined {
  // Said plainly: as a key it would become an object's prototype in a careless copy.
  if (name === "__proto__") return `'${ACCOUNTS_KEY}' may not hold the key '__proto__'`;
  // A long or odd name is cut: it is the user's text, but the message must stay readable.
  if (!NAME.test(name)) return `'${ACCOUNTS_KEY}': account name '${name.slice(0, 64)}' must be ${NAME_RULE}`;
  const key = `${ACCOUNTS_KEY}.${name}`;
  if (!isMap(entry)) return `'${key}' must be an object { apiKey, apiSecret, baseUrl? }`;
  if (Object.hasOwn(entry, "__proto__")) return `'${key}' may not hold the key '__proto__'`;
  const unknown = Object.keys(entry).find((field) => !(FIELDS as readonly string[]).includes(field));
  if (unknown !== undefined)
    return `'${key}' has an unknown field '${unknown.slice(0, 64)}'; an entry takes apiKey, apiSecret and baseUrl`;
  for (const [field, secret, placeholder] of [
    ["apiKey", false, "<key>"],
    ["apiSecret", true, "<secret>"],
  ] as const) {
    const given = entry[field];
    if (typeof given !== "string" || given.trim() === "")
      return (
        `'${key}.${field}' is missing: set it with ` +
        `\`pulumi config set --path ${secret ? "--secret " : ""}${key}.${field} ${placeholder}\``
      );
  }
  if (entry["baseUrl"] !== undefined && typeof entry["baseUrl"] !== "string")
    return `'${key}.baseUrl' must be a string (the API's base URL)`;
  return undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Why `name` cannot select an account, or undefined when it can: the words of both
 * check's failure and a lookup's error. Names the known accounts, never their secrets.
 */
export function accountProblem(
  property: string,
  name: unknown,
  known: { names: readonly string[]; problem?: string | undefined },
): string | undefined {
  if (typeof name !== "string" || !NAME.test(name))
    return `${property} must be an account name: ${NAME_RULE}`;
  if (known.problem !== undefined) return `${property} cannot be checked: ${known.problem}`;
  if (known.names.includes(name)) return undefined;
  const hint =
    known.names.length > 0
      ? `known: ${known.names.join(", ")}`
      : `it has none: add one with \`pulumi config set --path --secret ${ACCOUNTS_KEY}.${name}.apiSecret <secret>\` ` +
        `and \`pulumi config set --path ${ACCOUNTS_KEY}.${name}.apiKey <key>\``;
  return `${property} '${name}' is not an entry of the stack config '${ACCOUNTS_KEY}' (${hint})`;
}
