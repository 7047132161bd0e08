import { MAX_ACCOUNTS } from "../../provider/accounts";
import { checkGroup, checkPassword } from "../../provider/check";
import { apiClient, configure, readSettings, resetConfiguration } from "../../provider/config";
import { diffGroup, diffPassword } from "../../provider/diff";
import { secret, UNKNOWN } from "../../provider/secrets";
import { configLookup } from "../helpers/config";

/** `itniotech:accounts` as the engine hands it over: one JSON text (see provider/accounts.ts). */
const ACCOUNTS = {
  sales: { apiKey: "sales-key", apiSecret: "SalesSecret-2b9f7c" },
  support: { apiKey: "support-key", apiSecret: "SupportSecret-8d1e4a", baseUrl: "http://127.0.0.1:9/voice" },
};
const SECRETS = ["SalesSecret-2b9f7c", "SupportSecret-8d1e4a", "default-secret-41aa"];

function stack(accounts: unknown = ACCOUNTS): Record<string, string> {
  return {
    "itniotech:apiKey": "default-key",
    "itniotech:apiSecret": "default-secret-41aa",
    "itniotech:baseUrl": "http://127.0.0.1:8/voice",
    "itniotech:accounts": typeof accounts === "string" ? accounts : JSON.stringify(accounts),
  };
}

const group = {
  appId: "app1",
  quantity: 3,
  displayNum: "8610000000",
  groupName: "grp-one",
  phoneName: "phone-one",
};
const password = { appId: "app1", account: "phone-one_001" };

function noSecretIn(text: string | undefined): void {
  for (const s of SECRETS) expect(text ?? "").not.toContain(s);
}

afterEach(() => resetConfiguration());

describe("the stack config itniotech:accounts", () => {
  it("arrives as JSON text (the engine's encoding of a structured value) and gives each entry its settings", () => {
    const state = readSettings(configLookup(stack()).get, {
      ITNIOTECH_CONCURRENCY: "8",
      ITNIOTECH_REQUESTS_PER_SECOND: "2.5",
    });
    expect(state.problem).toBeUndefined();
    expect(Object.fromEntries(state.accounts)).toEqual({
      // baseUrl, concurrency, pace and timeout come from the stack's defaults unless the entry sets them.
      sales: {
        apiKey: "sales-key",
        apiSecret: "SalesSecret-2b9f7c",
        baseUrl: "http://127.0.0.1:8/voice",
        concurrency: 8,
        requestsPerSecond: 2.5,
        allowInsecureHttp: false,
        timeoutMs: undefined,
      },
      support: {
        apiKey: "support-key",
        apiSecret: "SupportSecret-8d1e4a",
        baseUrl: "http://127.0.0.1:9/voice",
        concurrency: 8,
        requestsPerSecond: 2.5,
        allowInsecureHttp: false,
        timeoutMs: undefined,
      },
    });
  });

  it("is also taken as an object, with secret wrappers at any depth", () => {
    const raw = { sales: { apiKey: "sales-key", apiSecret: secret("SalesSecret-2b9f7c") } };
    const state = readSettings((key) =>
      key === "itniotech:accounts" ? (raw as unknown as string) : undefined,
    );
    expect(state.problem).toBeUndefined();
    expect(state.accounts.get("sales")?.apiSecret).toBe("SalesSecret-2b9f7c");
  });

  it("absent: no accounts and no problem", () => {
    const state = readSettings(() => undefined, {});
    expect(state.problem).toBeUndefined();
    expect(state.accounts.size).toBe(0);
  });

  it.each<[string, unknown, RegExp]>([
    ["not JSON", "{sales:", /'itniotech:accounts' is not valid JSON/],
    ["a list", [ACCOUNTS.sales], /'itniotech:accounts' must be a map of account name/],
    [
      "an entry that is a string",
      { sales: "SalesSecret-2b9f7c" },
      /'itniotech:accounts.sales' must be an object/,
    ],
    [
      "a missing apiKey",
      { sales: { apiSecret: "SalesSecret-2b9f7c" } },
      /'itniotech:accounts.sales.apiKey' is missing: set it with `pulumi config set --path itniotech:accounts.sales.apiKey <key>`/,
    ],
    [
      "a blank apiSecret",
      { sales: { apiKey: "k", apiSecret: " " } },
      /'itniotech:accounts.sales.apiSecret' is missing: set it with `pulumi config set --path --secret itniotech:accounts.sales.apiSecret <secret>`/,
    ],
    [
      "a misspelt field",
      { sales: { apiKey: "k", apiSecret: "SalesSecret-2b9f7c", apikey: "x" } },
      /'itniotech:accounts.sales' has an unknown field 'apikey'; an entry takes apiKey, apiSecret and baseUrl/,
    ],
    [
      "a baseUrl that is not a string",
      { sales: { ...ACCOUNTS.sales, baseUrl: 8080 } },
      /'itniotech:accounts.sales.baseUrl' must be a string/,
    ],
    [
      // JSON text: in an object literal the key would set the prototype instead.
      "an entry smuggling a baseUrl through '__proto__'",
      '{"sales": {"apiKey": "k", "apiSecret": "SalesSecret-2b9f7c", "__proto__": {"baseUrl": "http://evil.example/voice"}}}',
      /^'itniotech:accounts.sales' may not hold the key '__proto__'$/,
    ],
    [
      "an account named '__proto__'",
      '{"__proto__": {"apiKey": "k", "apiSecret": "SalesSecret-2b9f7c"}}',
      /^'itniotech:accounts' may not hold the key '__proto__'$/,
    ],
    [
      "a value nested 20,000 levels deep (a problem, not a RangeError)",
      `{"sales": ${"[".repeat(20_000)}${"]".repeat(20_000)}}`,
      /^'itniotech:accounts' is nested more than 8 levels deep$/,
    ],
    [
      "a name with a dot",
      { "sales.eu": ACCOUNTS.sales },
      /account name 'sales.eu' .*1-64 letters, digits, '_' or '-'/,
    ],
  ])("%s is a problem naming the key and the rule, never a secret", (_what, accounts, message) => {
    const { problem } = readSettings(configLookup(stack(accounts)).get, {});
    expect(problem).toMatch(message);
    noSecretIn(problem);
  });

  it("an account name may have 64 characters, not 65", () => {
    const named = (name: string) =>
      readSettings(configLookup(stack({ [name]: ACCOUNTS.sales })).get, {}).problem;
    expect(named(`a${"b".repeat(63)}`)).toBeUndefined();
    expect(named(`a${"b".repeat(64)}`)).toMatch(/account name 'a(b){63}' must be 1-64 letters/);
  });

  it(`holds at most ${MAX_ACCOUNTS} accounts (docs/RELIABILITY.md)`, () => {
    const many = (n: number) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`a${i}`, { apiKey: `k${i}`, apiSecret: `s${i}` }]),
      );
    expect(readSettings(configLookup(stack(many(MAX_ACCOUNTS))).get, {}).problem).toBeUndefined();
    expect(readSettings(configLookup(stack(many(MAX_ACCOUNTS + 1))).get, {}).problem).toMatch(
      new RegExp(`'itniotech:accounts' has ${MAX_ACCOUNTS + 1} entries; at most ${MAX_ACCOUNTS}`),
    );
  });

  it("each account gets its own client (its request budget is per base URL and key); absent is the default credentials", async () => {
    await configure({ config: configLookup(stack()) });
    const byDefault = apiClient();
    const sales = apiClient("sales");
    const support = apiClient("support");
    expect(new Set([byDefault, sales, support]).size).toBe(3);
    expect(apiClient("sales")).toBe(sales);
    expect(apiClient(undefined)).toBe(byDefault);
    expect(support.baseUrl).toBe("http://127.0.0.1:9/voice");
    expect(sales.baseUrl).toBe("http://127.0.0.1:8/voice");
  });

  it("an operation for an unknown account fails naming the known ones, never their secrets", async () => {
    await configure({ config: configLookup(stack()) });
    let message = "";
    try {
      apiClient("billing");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /account 'billing' is not an entry of the stack config 'itniotech:accounts' \(known: sales, support\)/,
    );
    noSecretIn(message);
  });

  it("a bad entry's baseUrl is reported with the entry's config key", async () => {
    await configure({ config: configLookup(stack({ sales: { ...ACCOUNTS.sales, baseUrl: "ftp://x" } })) });
    expect(() => apiClient("sales")).toThrow(/itniotech:accounts\.sales\.baseUrl/);
  });
});

describe("check: the account selector", () => {
  beforeEach(() => configure({ config: configLookup(stack()) }));

  it("absent means the default credentials: no failure", () => {
    expect(checkGroup({}, group).failures).toEqual([]);
    expect(checkPassword({}, password).failures).toEqual([]);
  });

  it("a known account passes and is kept in the inputs", () => {
    const checked = checkGroup({}, { ...group, account: "sales" });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs["account"]).toBe("sales");
    expect(checkPassword({}, { ...password, itniotechAccount: "support" }).failures).toEqual([]);
  });

  it("an unknown account fails at preview naming the known ones, never their secrets", () => {
    const [failure] = checkGroup({}, { ...group, account: "billing" }).failures;
    expect(failure?.property).toBe("account");
    expect(failure?.reason).toBe(
      "account 'billing' is not an entry of the stack config 'itniotech:accounts' (known: sales, support)",
    );
    const [other] = checkPassword({}, { ...password, itniotechAccount: "billing" }).failures;
    expect(other?.property).toBe("itniotechAccount");
    expect(other?.reason).toMatch(/^itniotechAccount 'billing' is not an entry .*\(known: sales, support\)/);
    noSecretIn(JSON.stringify([failure, other]));
  });

  it("SipPhonePassword's `account` keeps its meaning: the phone account, never an entry of itniotech:accounts", () => {
    expect(checkPassword({}, { ...password, account: "sales" }).failures).toEqual([]);
  });

  it("with no entries, the message says how to add one", async () => {
    resetConfiguration();
    const [failure] = checkGroup({}, { ...group, account: "sales" }).failures;
    expect(failure?.reason).toMatch(
      /account 'sales' is not an entry of the stack config 'itniotech:accounts' \(it has none: add one with `pulumi config set --path --secret itniotech:accounts\.sales\.apiSecret <secret>` and `pulumi config set --path itniotech:accounts\.sales\.apiKey <key>`\)/,
    );
  });

  it("a broken itniotech:accounts fails the check of a resource that selects an account", async () => {
    await configure({ config: configLookup(stack("[1]")) });
    const [failure] = checkGroup({}, { ...group, account: "sales" }).failures;
    expect(failure?.reason).toMatch(/^account cannot be checked: 'itniotech:accounts' must be a map/);
  });

  it.each<[string, unknown]>([
    ["a number", 7],
    ["a long string", "x".repeat(200)],
  ])("%s is not an account name", (_what, value) => {
    const [failure] = checkGroup({}, { ...group, account: value }).failures;
    expect(failure?.reason).toMatch(/^account must be an account name: 1-64 letters/);
  });

  it("an account still unknown in a preview is not judged", () => {
    expect(checkGroup({}, { ...group, account: UNKNOWN }).failures).toEqual([]);
  });

  it("a replacement caused by a change of account may keep its explicit names: another account is another namespace", () => {
    const olds = { ...group, account: "sales" };
    expect(checkGroup(olds, { ...group, account: "support" }).failures).toEqual([]);
    expect(checkGroup(olds, { ...group }).failures).toEqual([]);
    // ...but the same account with another quantity still needs new names.
    expect(
      checkGroup(olds, { ...group, account: "sales", quantity: 4 }).failures.map((f) => f.property),
    ).toEqual(["groupName", "phoneName"]);
  });
});

describe("diff: a change of account replaces", () => {
  const state = { ...group, namePrefix: "office", accounts: ["phone-one_001"], passwords: secret({}) };
  const replace = (key: string) => ({ changes: true, replaces: [key], deleteBeforeReplace: false });

  it.each<[string, unknown, unknown]>([
    ["absent → named", undefined, "sales"],
    ["named → absent", "sales", undefined],
    ["named → another", "sales", "support"],
    ["named → unknown in preview", "sales", UNKNOWN],
  ])("SipPhoneGroup %s", (_what, before, after) => {
    expect(
      diffGroup({ ...state, account: before }, { ...group, namePrefix: "office", account: after }),
    ).toEqual(replace("account"));
  });

  it("the same account, or none on both sides, changes nothing", () => {
    const none = { changes: false, replaces: [], deleteBeforeReplace: false };
    expect(
      diffGroup({ ...state, account: "sales" }, { ...group, namePrefix: "office", account: "sales" }),
    ).toEqual(none);
    expect(diffGroup(state, { ...group, namePrefix: "office" })).toEqual(none);
  });

  it("SipPhonePassword: itniotechAccount replaces", () => {
    const pstate = { ...password, password: secret("x") };
    expect(diffPassword(pstate, { ...password, itniotechAccount: "sales" })).toEqual(
      replace("itniotechAccount"),
    );
    expect(
      diffPassword({ ...pstate, itniotechAccount: "sales" }, { ...password, itniotechAccount: "sales" })
        .changes,
    ).toBe(false);
  });
});
