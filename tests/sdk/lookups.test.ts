/**
 * The lookups from the package root, in programs under `pulumi.runtime.setMocks`
 * (tests/harness/mocks.ts), calling a real emulator over HTTP with the stack config
 * the program sees. Each test uses its own application: the scan a program run
 * shares lives as long as the process (here, this jest file).
 */
import * as pulumi from "@pulumi/pulumi";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { stackConfig } from "../helpers/config";
import { runProgram, settle } from "../helpers/mocks";

// From the built package, as a user's program gets them.
const { getSipPhoneGroup, getSipPhoneGroupPasswords, listSipPhoneGroups } =
  jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");

let emulator: Emulator;
let config: Record<string, string>;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  config = stackConfig(emulator.baseUrl);
});
afterAll(() => emulator.close());

/** An application with `groups` groups of 25 phones: ⌈25·groups/100⌉ pages. */
function seed(appId: string, groups: number): void {
  for (let i = 0; i < groups; i++)
    emulator.seedGroup({
      appId,
      groupName: i === 0 ? "Front Desk 前台" : `group-${i}`,
      phoneName: `${appId}-p${i}`,
      quantity: 25,
      displayNum: `86100000${String(i).padStart(2, "0")}`,
    });
}

it("N lookups of one application in one program run cost one paged scan", async () => {
  seed("lookup-scan", 10);
  emulator.resetCounters();
  const { result } = await runProgram(async () => {
    const [groups, ...found] = await Promise.all([
      listSipPhoneGroups({ appId: "lookup-scan" }),
      ...Array.from({ length: 10 }, (_, i) =>
        getSipPhoneGroup({ appId: "lookup-scan", groupName: i === 0 ? "Front Desk 前台" : `group-${i}` }),
      ),
    ]);
    const later = await getSipPhoneGroup({ appId: "lookup-scan", groupName: "group-3" });
    return {
      groups,
      found,
      later,
      passwords: getSipPhoneGroupPasswords({ appId: "lookup-scan", groupName: "group-3" }),
    };
  }, config);
  await settle(result.passwords);
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: Math.ceil((10 * 25) / 100), sipReset: 0 });

  expect(result.groups).toHaveLength(10);
  expect(result.groups[0]).toEqual({
    groupName: "Front Desk 前台",
    phoneName: "lookup-scan-p0",
    displayNum: "8610000000",
    quantity: 25,
  });
  const live = emulator.phones("lookup-scan").filter((p) => p.groupName === "group-3");
  expect(result.later).toEqual({
    appId: "lookup-scan",
    groupName: "group-3",
    phoneName: "lookup-scan-p3",
    displayNum: "8610000003",
    quantity: 25,
    accounts: live.map((p) => p.account).sort(),
  });
  expect(result.found.map((g) => g.groupName)).toEqual(result.groups.map((g) => g.groupName));
});

it("getSipPhoneGroupPasswords is a secret Output of the platform's passwords, also in a preview", async () => {
  seed("lookup-secret", 2);
  for (const preview of [false, true]) {
    const { result } = await runProgram(
      () => ({ passwords: getSipPhoneGroupPasswords({ appId: "lookup-secret", groupName: "group-1" }) }),
      config,
      { preview, secretKeys: ["itniotech:apiSecret"] },
    );
    const passwords = await settle(result.passwords);
    expect(passwords).toMatchObject({ secret: true, known: true });
    expect(passwords.value).toEqual(
      Object.fromEntries(
        emulator
          .phones("lookup-secret")
          .filter((p) => p.groupName === "group-1")
          .map((p) => [p.account, p.password]),
      ),
    );
  }
});

describe("configuration: the itniotech namespace, secrets included, then the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ["ITNIOTECH_API_KEY", "ITNIOTECH_API_SECRET", "ITNIOTECH_BASE_URL"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("falls back to ITNIOTECH_* when the stack has no itniotech config", async () => {
    seed("lookup-env", 1);
    Object.assign(process.env, {
      ITNIOTECH_API_KEY: DEMO_CREDENTIALS.apiKey,
      ITNIOTECH_API_SECRET: DEMO_CREDENTIALS.apiSecret,
      ITNIOTECH_BASE_URL: emulator.baseUrl,
    });
    const { result } = await runProgram(() => listSipPhoneGroups({ appId: "lookup-env" }), {});
    expect(result.map((g) => g.groupName)).toEqual(["Front Desk 前台"]);
  });

  it("the stack config wins over the environment", async () => {
    seed("lookup-wins", 1);
    Object.assign(process.env, {
      ITNIOTECH_API_SECRET: "wrong-secret",
      ITNIOTECH_BASE_URL: "http://127.0.0.1:9/voice",
    });
    const { result } = await runProgram(() => listSipPhoneGroups({ appId: "lookup-wins" }), config, {
      secretKeys: ["itniotech:apiSecret"],
    });
    expect(result).toHaveLength(1);
  });

  it("rejected credentials fail the lookup with the vendor's status, never the secret", async () => {
    const failure = runProgram(() => listSipPhoneGroups({ appId: "lookup-denied" }), {
      ...config,
      "itniotech:apiSecret": "DeniedSecretCanary-9",
    });
    await expect(failure).rejects.toMatchObject({ code: "-1" });
    await expect(failure).rejects.not.toThrow(/DeniedSecretCanary/);
  });
});

// How a failed getSipPhoneGroupPasswords Output ends a real program run: tests/e2e/lookups.test.ts.
describe("a lookup that cannot succeed says why, as a message without a stack trace", () => {
  it.each([
    [
      "an absent group",
      () => getSipPhoneGroup({ appId: "lookup-absent", groupName: "nobody" }),
      /^getSipPhoneGroup: no group "nobody" in application "lookup-absent" \(it has 0 groups\)\. .*use its SipPhoneGroup's outputs/,
    ],
    [
      "an account the stack config does not list",
      () => listSipPhoneGroups({ appId: "lookup-absent", account: "eu" }),
      /^listSipPhoneGroups: account 'eu' is not an entry of the stack config 'itniotech:accounts' \(it has none: add one with `pulumi config set --path --secret itniotech:accounts\.eu\.apiSecret <secret>`/,
    ],
    [
      "no groupName",
      () => getSipPhoneGroup({ appId: "lookup-absent" } as never),
      /^getSipPhoneGroup: groupName is required$/,
    ],
    [
      "a blank appId",
      () => listSipPhoneGroups({ appId: " " }),
      /^listSipPhoneGroups: appId must not be blank$/,
    ],
  ])("%s", async (_what, lookup, message) => {
    const error = await runProgram(lookup as () => Promise<unknown>, config).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(message);
    // Pulumi prints a RunError's message alone.
    expect(pulumi.RunError.isInstance(error)).toBe(true);
  });
});

describe("lookups with `account`: an entry of itniotech:accounts", () => {
  const EMEA = { apiKey: "emea-key", apiSecret: "EmeaSecretCanary-51c2", appIds: ["shared-app"] };
  let two: Emulator;
  let accountsConfig: Record<string, string>;
  beforeAll(async () => {
    // DEMO uses every application no key lists; "emea" owns its own "shared-app".
    two = await startEmulator({ port: 0, credentials: [DEMO_CREDENTIALS, EMEA] });
    const accounts = {
      emea: { apiKey: EMEA.apiKey, apiSecret: EMEA.apiSecret },
      apac: { apiKey: "k", apiSecret: "s" },
    };
    // As the program gets a structured, partly secret key: JSON text, the whole key secret.
    accountsConfig = { ...stackConfig(two.baseUrl), "itniotech:accounts": JSON.stringify(accounts) };
    // One application id in each account, holding different groups.
    two.seedGroup({
      appId: "shared-app",
      groupName: "emea-desk",
      phoneName: "emeadesk",
      quantity: 2,
      displayNum: "4420000000",
    });
  });
  afterAll(() => two.close());

  it("reads the entry's account, with its own scan; absent reads the default account", async () => {
    const before = two.requests().length;
    const { result } = await runProgram(
      async () => ({
        emea: await listSipPhoneGroups({ appId: "shared-app", account: "emea" }),
        again: await getSipPhoneGroup({ appId: "shared-app", groupName: "emea-desk", account: "emea" }),
        byDefault: await listSipPhoneGroups({ appId: "shared-app" }),
        passwords: getSipPhoneGroupPasswords({
          appId: "shared-app",
          groupName: "emea-desk",
          account: "emea",
        }),
      }),
      accountsConfig,
      { secretKeys: ["itniotech:apiSecret", "itniotech:accounts"] },
    );
    expect(result.emea.map((g) => g.groupName)).toEqual(["emea-desk"]);
    expect(result.again.accounts).toEqual(["emeadesk_001", "emeadesk_002"]);
    // The default key does not see the other account's application.
    expect(result.byDefault).toEqual([]);
    const passwords = await settle(result.passwords);
    expect(passwords.secret).toBe(true);
    expect(passwords.value).toEqual(
      Object.fromEntries(two.phones("shared-app").map((p) => [p.account, p.password])),
    );
    // One scan per application and account: emea's three lookups share one.
    const calls = two.requests().slice(before);
    expect(calls.map((l) => `${l.endpoint} ${l.apiKey}`).sort()).toEqual([
      "sipQuery demo-key",
      "sipQuery emea-key",
    ]);
  });

  it("an unknown account rejects naming the known ones, never their secrets", async () => {
    const error = await runProgram(
      () => getSipPhoneGroup({ appId: "shared-app", groupName: "nobody", account: "amer" }),
      accountsConfig,
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(
      "getSipPhoneGroup: account 'amer' is not an entry of the stack config 'itniotech:accounts' (known: emea, apac)",
    );
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error?.message).not.toContain(EMEA.apiSecret);
  });

  it("a broken itniotech:accounts rejects naming the key and the rule", async () => {
    const error = await runProgram(() => listSipPhoneGroups({ appId: "shared-app", account: "emea" }), {
      ...accountsConfig,
      "itniotech:accounts": JSON.stringify({ emea: { apiKey: "emea-key" } }),
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/'itniotech:accounts\.emea\.apiSecret' is missing/);
  });
});
