/**
 * Two Itniotech accounts on one emulator, over real HTTP: every operation of each
 * resource uses the credentials its `account` (`itniotechAccount`) selects, as the
 * emulator's request log shows by API key, and each account keeps its own scans.
 */
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { sipPhoneGroupProvider as groups, sipPhonePasswordProvider as passwords } from "../../provider";
import { apiClient, resetConfiguration } from "../../provider/config";
import { directory } from "../../provider/directory";
import { reveal } from "../../provider/secrets";
import { configureProvider } from "../helpers/config";

const EMEA = { apiKey: "emea-key", apiSecret: "EmeaSecret-7c1d", appIds: ["emea-app"] };
const PROVIDER_TEXT = "exports.handler = () => ({}) // stands in for the serialized shell";
type Props = Record<string, unknown>;

let emulator: Emulator;
beforeAll(async () => {
  // The default key uses every application no key lists; "emea" owns "emea-app".
  emulator = await startEmulator({ port: 0, credentials: [DEMO_CREDENTIALS, EMEA] });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  directory.clear();
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS, {
    "itniotech:accounts": JSON.stringify({ emea: { apiKey: EMEA.apiKey, apiSecret: EMEA.apiSecret } }),
  });
});
afterEach(() => resetConfiguration());

/** The API calls made while `work` ran, as `endpoint key`. */
async function callsOf(work: () => Promise<unknown>): Promise<string[]> {
  const before = emulator.requests().length;
  await work();
  return emulator
    .requests()
    .slice(before)
    .map((l) => `${l.endpoint} ${l.apiKey}`);
}

const declared = (n: string, extra: Props = {}): Props => ({
  groupName: `desk-${n}`,
  phoneName: `desk${n}`,
  quantity: 2,
  displayNum: "8610000000",
  namePrefix: "desk",
  __provider: PROVIDER_TEXT,
  ...extra,
});

it("two accounts: each group is made, read, rotated and revoked with its own key", async () => {
  // The same explicit names in both accounts.
  const inDefault = declared("a", { appId: "hq-app" });
  const inEmea = declared("a", { appId: "emea-app", account: "emea" });
  let outs: Record<string, Props> = {};
  expect(
    await callsOf(async () => {
      outs = {
        byDefault: (await groups.create((await groups.check({}, inDefault)).inputs)).outs,
        emea: (await groups.create((await groups.check({}, inEmea)).inputs)).outs,
      };
    }),
  ).toEqual(["sipAdd demo-key", "sipQuery demo-key", "sipAdd emea-key", "sipQuery emea-key"]);
  expect(outs["emea"]?.["account"]).toBe("emea");
  expect(outs["byDefault"]?.["account"]).toBeUndefined();

  // Reads: one scan per account, never the other's phones.
  directory.clear();
  const reads = await callsOf(() =>
    Promise.all([
      groups.read("office/desk-a", outs["byDefault"]),
      groups.read("office/desk-a", outs["emea"]),
    ]),
  );
  expect(reads.sort()).toEqual(["sipQuery demo-key", "sipQuery emea-key"]);
  const emeaPasswords = reveal(outs["emea"]?.["passwords"]) as Record<string, string>;
  const defaultPasswords = reveal(outs["byDefault"]?.["passwords"]) as Record<string, string>;
  expect(emeaPasswords).not.toEqual(defaultPasswords);

  // A rotation of the emea group resets emea's phones only.
  const rotated = await callsOf(() =>
    groups.update("emea-app/desk-a", outs["emea"] as Props, { ...inEmea, resetTriggers: [1] }),
  );
  expect(rotated.filter((c) => c.startsWith("sipReset"))).toEqual(["sipReset emea-key", "sipReset emea-key"]);
  expect(new Set(rotated.map((c) => c.split(" ")[1]))).toEqual(new Set(["emea-key"]));

  // A SipPhonePassword of an emea phone, selected by itniotechAccount.
  const pwInputs = {
    appId: "emea-app",
    account: "deska_001",
    itniotechAccount: "emea",
    __provider: PROVIDER_TEXT,
  };
  expect((await passwords.check({}, pwInputs)).failures).toEqual([]);
  expect(await callsOf(() => passwords.create(pwInputs))).toEqual(["sipReset emea-key"]);

  // Destroy: each group revoked with its own key.
  const revoked = await callsOf(async () => {
    await groups.delete("hq-app/desk-a", outs["byDefault"] as Props);
    await groups.delete("emea-app/desk-a", outs["emea"] as Props);
  });
  expect(revoked.filter((c) => c.startsWith("sipReset"))).toEqual([
    "sipReset demo-key",
    "sipReset demo-key",
    "sipReset emea-key",
    "sipReset emea-key",
  ]);
});

it("a change of account is a replacement: created in the new account, the old revoked with the old key", async () => {
  // Moving a group to the other account's application, names kept.
  const old = (await groups.create((await groups.check({}, declared("b", { appId: "hq-app" }))).inputs)).outs;
  const next = declared("b", { appId: "emea-app", account: "emea" });
  expect(await groups.diff("hq-app/desk-b", old, next)).toMatchObject({ replaces: ["appId", "account"] });
  // Explicit names may stay: the engine re-checks the replacement with no olds, and
  // the check with olds does not refuse them either.
  expect((await groups.check(old, next)).failures).toEqual([]);
  const calls = await callsOf(async () => {
    await groups.create((await groups.check({}, next)).inputs);
    await groups.delete("hq-app/desk-b", old);
  });
  expect(calls.filter((c) => !c.startsWith("sipQuery"))).toEqual([
    "sipAdd emea-key",
    "sipReset demo-key",
    "sipReset demo-key",
  ]);
});

it("an unknown account fails at check, before any call", async () => {
  const calls = await callsOf(async () => {
    const { failures } = await groups.check({}, declared("c", { appId: "emea-app", account: "apac" }));
    expect(failures).toEqual([
      {
        property: "account",
        reason: "account 'apac' is not an entry of the stack config 'itniotech:accounts' (known: emea)",
      },
    ]);
  });
  expect(calls).toEqual([]);
});

it("each account has its own request budget: a slow call of one does not hold the other's", async () => {
  // One request in flight per account: with a shared budget, emea's call would wait for the slow one.
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS, {
    "itniotech:concurrency": "1",
    "itniotech:accounts": JSON.stringify({ emea: { apiKey: EMEA.apiKey, apiSecret: EMEA.apiSecret } }),
  });
  emulator.inject({ endpoint: "sipQuery", kind: "latency", ms: 1500, times: 1 });
  const finished: string[] = [];
  const slow = apiClient()
    .sipQuery({ appId: "hq-app", current: 1, size: 1 })
    .then(() => finished.push("default"));
  // The latency fault is drawn by the call that arrives first: wait until it is the default's.
  while (emulator.summary().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await apiClient("emea")
    .sipQuery({ appId: "emea-app", current: 1, size: 1 })
    .then(() => finished.push("emea"));
  await slow;
  expect(finished).toEqual(["emea", "default"]);
});
