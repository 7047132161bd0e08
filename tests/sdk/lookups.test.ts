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
      "an account",
      () => listSipPhoneGroups({ appId: "lookup-absent", account: "eu" }),
      /^listSipPhoneGroups: several accounts are not supported yet \(account "eu"\)/,
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
