/**
 * `storePasswords: false` against the emulator (real HTTP on port 0): no operation's
 * result — create, adoption, refresh, rotation, reschedule, a switch of the setting,
 * every partial failure — holds a password in any encoding, while the fingerprints
 * change exactly when the platform's passwords change. Call counts from the emulator.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { sipPhoneGroupProvider as groups, sipPhonePasswordProvider as passwords } from "../../provider";
import { checkGroup, checkPassword } from "../../provider/check";
import { diffGroup, diffPassword } from "../../provider/diff";
import { directory } from "../../provider/directory";
import { fingerprintKey } from "../../provider/fingerprint";
import { PartialFailure } from "../../provider/partial";
import { resetConfiguration } from "../../provider/config";
import { isSecret, reveal } from "../../provider/secrets";
import { configureProvider } from "../helpers/config";
import { CanaryScan } from "../helpers/leaks";
import { platformPasswords } from "../helpers/platform";

type Props = Record<string, unknown>;

const CREDENTIALS = { apiKey: "nopw-key-71c", apiSecret: "NoPasswordsCanarySecret-d41" };
const KEY = fingerprintKey(CREDENTIALS.apiKey, CREDENTIALS.apiSecret);
/** A second Itniotech account (`itniotech:accounts.emea`), owning its own application. */
const EMEA = { apiKey: "nopw-emea-key", apiSecret: "NoPasswordsEmeaCanary-93a", appIds: ["nopw-emea-app"] };
let emulator: Emulator;
let unique = 0;
const logs: string[] = [];
/** Every result and error of the provider in this file, as text, for the final scan. */
const results: string[] = [];
const scan = new CanaryScan();

/** A new group's checked inputs (three phones, names unique in this file), storePasswords false unless `extra` says. */
function group(extra: Props = {}): Props {
  const n = ++unique;
  const names = { appId: `nopw-app-${n}`, groupName: `nopw-group-${n}`, phoneName: `nopwphone${n}` };
  return {
    ...names,
    quantity: 3,
    displayNum: "8610000000",
    storePasswords: false,
    __provider: "p",
    ...extra,
  };
}

/** Records a result (or error) for the scan, and every password the platform holds now. */
function seen<T>(value: T): T {
  results.push(JSON.stringify(value instanceof PartialFailure ? value.properties : value));
  if (value instanceof Error) results.push(value.message, String(value.stack));
  for (const phone of emulator.phones()) scan.add("password", phone.password);
  return value;
}

const platform = (inputs: Props) =>
  platformPasswords(emulator, inputs["appId"] as string, inputs["groupName"]);

/** What the fingerprints of the platform's passwords are now. */
const expected = (inputs: Props) => KEY.fingerprints(platform(inputs));

function expectNoPasswords(outs: Props): void {
  expect(outs).not.toHaveProperty("passwords");
  expect(outs).not.toHaveProperty("password");
  expect(JSON.stringify(outs)).not.toContain("4dabf18193072939515e22adb298388d");
}

const failure = (p: Promise<unknown>) => p.then(() => undefined).catch((e: unknown) => seen(e));

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [CREDENTIALS, EMEA] });
  await configureProvider(emulator.baseUrl, CREDENTIALS, {
    "itniotech:accounts": JSON.stringify({ emea: { apiKey: EMEA.apiKey, apiSecret: EMEA.apiSecret } }),
  });
});
afterAll(() => (resetConfiguration(), emulator.close()));
// Each test starts from a clean slate: no fault, no count, no shared scan, no log line.
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetCounters();
  directory.clear();
  logs.length = 0;
  jest.spyOn(console, "log").mockImplementation((m: unknown) => void logs.push(String(m)));
});
afterEach(() => jest.restoreAllMocks());

describe("storePasswords at preview", () => {
  it.each([["no"], [0], [[false]]])("a non-boolean (%j) fails check, naming the field", (value) => {
    for (const { failures } of [
      checkGroup({}, group({ storePasswords: value })),
      checkPassword({}, { appId: "app1", account: "sip_001", storePasswords: value }),
    ])
      expect(failures).toEqual([
        { property: "storePasswords", reason: "storePasswords must be true or false" },
      ]);
  });

  it("a switch either way is an update, never a replacement; absent equals true", () => {
    const stored = group({ storePasswords: true });
    const { storePasswords: _, ...absent } = stored;
    for (const diff of [diffGroup, diffPassword]) {
      expect(diff(stored, { ...stored, storePasswords: false })).toMatchObject({
        changes: true,
        replaces: [],
      });
      expect(diff({ ...stored, storePasswords: false }, absent)).toMatchObject({
        changes: true,
        replaces: [],
      });
      expect(diff(stored, absent)).toMatchObject({ changes: false, replaces: [] });
    }
  });
});

describe("SipPhoneGroup with storePasswords: false", () => {
  it("create: fingerprints of the platform's passwords, no password; one sipAdd and one scan", async () => {
    const inputs = group();
    const { outs } = seen(await groups.create(inputs));
    expectNoPasswords(outs);
    expect(outs["passwordFingerprints"]).toEqual(expected(inputs));
    expect(Object.keys(outs["passwordFingerprints"] as object)).toEqual(outs["accounts"]);
    expect(outs["storePasswords"]).toBe(false);
    expect(emulator.counters()).toEqual({ sipAdd: 1, sipQuery: 1, sipReset: 0 });
  });

  it("refresh after an out-of-band reset: that account's fingerprint changes, the others do not; logged", async () => {
    const inputs = group();
    const { id, outs } = seen(await groups.create(inputs));
    const before = outs["passwordFingerprints"] as Record<string, string>;
    const account = (outs["accounts"] as string[])[1] as string;
    emulator.resetPasswordOutOfBand(inputs["appId"] as string, account);
    directory.clear();
    const read = seen(await groups.read(id, reveal(outs) as Props));
    const after = read.props?.passwordFingerprints as Record<string, string>;
    expectNoPasswords(read.props as Props);
    expect(after).toEqual(expected(inputs));
    for (const a of Object.keys(before)) expect(after[a] === before[a]).toBe(a !== account);
    expect(logs).toEqual([
      `SipPhoneGroup ${id}: the password of account ${account} changed since the state recorded it ` +
        "(reset outside this stack); the new fingerprint is recorded.",
    ]);
    expect(read.inputs).not.toHaveProperty("passwordFingerprints");

    // A refresh that finds nothing new logs nothing and keeps every fingerprint.
    logs.length = 0;
    directory.clear();
    const again = seen(await groups.read(id, read.props as Props));
    expect(again.props?.passwordFingerprints).toEqual(after);
    expect(logs).toEqual([]);
  });

  it("rotation (resetTriggers): every fingerprint changes, to the platform's new passwords' ones", async () => {
    const inputs = group({ resetTriggers: [1] });
    const { id, outs } = seen(await groups.create(inputs));
    emulator.resetCounters();
    const { outs: after } = seen(
      await groups.update(id, reveal(outs) as Props, { ...inputs, resetTriggers: [2] }),
    );
    expectNoPasswords(after);
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 3 });
    expect(after["passwordFingerprints"]).toEqual(expected(inputs));
    const old = outs["passwordFingerprints"] as Record<string, string>;
    for (const [a, fp] of Object.entries(after["passwordFingerprints"] as object))
      expect(fp).not.toBe(old[a]);
  });

  it("a rotateAfter change alone: the same fingerprints, no API call", async () => {
    const inputs = group({ rotateAfter: "90d" });
    const { id, outs } = seen(await groups.create(inputs));
    emulator.resetCounters();
    const { outs: after } = seen(
      await groups.update(id, reveal(outs) as Props, { ...inputs, rotateAfter: "30d" }),
    );
    expectNoPasswords(after);
    expect(after["passwordFingerprints"]).toEqual(outs["passwordFingerprints"]);
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });

  it("adoption: fingerprints, no password, no sipAdd", async () => {
    const inputs = group({ adopt: true });
    const { appId, groupName, phoneName, quantity, displayNum } = inputs as {
      [key in "appId" | "groupName" | "phoneName" | "displayNum"]: string;
    } & { quantity: number };
    emulator.seedGroup({ appId, groupName, phoneName, quantity, displayNum });
    const { outs } = seen(await groups.create(inputs));
    expectNoPasswords(outs);
    expect(outs["passwordFingerprints"]).toEqual(expected(inputs));
    expect(emulator.counters().sipAdd).toBe(0);
  });

  it("every partial failure's state: fingerprints, no password (create unread, rotation read, rotation unread)", async () => {
    const unread = group();
    emulator.inject({ endpoint: "sipQuery", kind: "http", httpStatus: 500 });
    const created = (await failure(groups.create(unread))) as PartialFailure;
    emulator.clearFaults();
    expect(created).toBeInstanceOf(PartialFailure);
    expectNoPasswords(created.properties);

    const inputs = group({ resetTriggers: [1] });
    const { id, outs } = seen(await groups.create(inputs));
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 1 });
    const read = (await failure(
      groups.update(id, reveal(outs) as Props, { ...inputs, resetTriggers: [2] }),
    )) as PartialFailure;
    expect(read).toBeInstanceOf(PartialFailure);
    expectNoPasswords(read.properties);
    expect(read.properties["passwordFingerprints"]).toEqual(expected(inputs));

    directory.clear();
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 1 });
    emulator.inject({ endpoint: "sipQuery", kind: "http", httpStatus: 500 });
    const olds = reveal(read.properties) as Props;
    const gone = (await failure(
      groups.update(id, olds, { ...inputs, resetTriggers: [3] }),
    )) as PartialFailure;
    emulator.clearFaults();
    expect(gone).toBeInstanceOf(PartialFailure);
    expectNoPasswords(gone.properties);
    // Two of three resets came back: their new fingerprints; the third keeps its old one.
    expect(gone.properties["passwordFingerprints"]).toEqual(expected(inputs));
  });

  it("switching true → false → true: an update each, one scan, no reset; the passwords come back from the platform", async () => {
    const inputs = group({ storePasswords: true });
    const { id, outs } = await groups.create(inputs);
    expect(isSecret(outs["passwords"])).toBe(true);
    emulator.resetCounters();
    directory.clear();
    const { outs: off } = seen(
      await groups.update(id, reveal(outs) as Props, { ...inputs, storePasswords: false }),
    );
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expectNoPasswords(off);
    expect(off["passwordFingerprints"]).toEqual(expected(inputs));
    expect(off["passwordsSetAt"]).toBe(outs["passwordsSetAt"]);

    emulator.resetCounters();
    directory.clear();
    const { outs: on } = await groups.update(id, off, inputs);
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expect(on).not.toHaveProperty("passwordFingerprints");
    expect(isSecret(on["passwords"])).toBe(true);
    expect(reveal(on["passwords"])).toEqual(platform(inputs));
  });

  it("a state keyed with another API secret reads as fingerprints unknown (logged, re-keyed), never as a change", async () => {
    const inputs = group();
    const { id, outs } = await groups.create(inputs);
    const other = fingerprintKey(CREDENTIALS.apiKey, "an-older-secret");
    const foreign = {
      ...(reveal(outs) as Props),
      passwordFingerprints: other.fingerprints(platform(inputs)),
    };
    directory.clear();
    const read = seen(await groups.read(id, foreign));
    expect(read.props?.passwordFingerprints).toEqual(expected(inputs));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(new RegExp(`password fingerprints unknown: .*key id ${other.id}; now ${KEY.id}`));
    expect(logs[0]).not.toMatch(/changed since/);
    // and diff sees no change: no reset, no update.
    expect(diffGroup(foreign, inputs).changes).toBe(false);
  });
});

describe("SipPhonePassword with storePasswords: false", () => {
  it("create, refresh after an out-of-band reset, switch to true: fingerprint, changed fingerprint, one read", async () => {
    const g = group();
    await groups.create(g);
    const account = `${g["phoneName"] as string}_002`;
    const inputs = { appId: g["appId"], account, storePasswords: false, __provider: "p" };
    const { id, outs } = seen(await passwords.create(inputs));
    expectNoPasswords(outs);
    const fp = () => KEY.fingerprint(account, platform(g)[account] as string);
    expect(outs["passwordFingerprint"]).toBe(fp());

    emulator.resetPasswordOutOfBand(g["appId"] as string, account);
    directory.clear();
    const read = seen(await passwords.read(id, outs));
    expectNoPasswords(read.props as Props);
    expect(read.props?.passwordFingerprint).toBe(fp());
    expect(read.props?.passwordFingerprint).not.toBe(outs["passwordFingerprint"]);
    expect(logs.join("\n")).toMatch(`the password of account ${account} changed`);

    emulator.resetCounters();
    directory.clear();
    const { outs: on } = await passwords.update(id, read.props as Props, { ...inputs, storePasswords: true });
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expect(reveal(on["password"])).toBe(platform(g)[account]);
    expect(on).not.toHaveProperty("passwordFingerprint");
  });
});

describe("SipPhonePassword with storePasswords: false: a rotateAfter change alone", () => {
  it("carries the fingerprint over with no API call; a trigger change resets and fingerprints the new password", async () => {
    const g = group();
    await groups.create(g);
    const account = `${g["phoneName"] as string}_001`;
    const inputs = { appId: g["appId"], account, storePasswords: false, rotateAfter: "90d", __provider: "p" };
    const { id, outs } = seen(await passwords.create(inputs));
    emulator.resetCounters();
    const { outs: later } = seen(await passwords.update(id, outs, { ...inputs, rotateAfter: "30d" }));
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
    expectNoPasswords(later);
    expect(later).toMatchObject({ rotateAfter: "30d", passwordFingerprint: outs["passwordFingerprint"] });
    const { outs: reset } = seen(await passwords.update(id, later, { ...inputs, triggers: [1] }));
    expectNoPasswords(reset);
    expect(reset["passwordFingerprint"]).toBe(KEY.fingerprint(account, platform(g)[account] as string));
    expect(reset["passwordFingerprint"]).not.toBe(outs["passwordFingerprint"]);
  });
});

describe("several accounts: each resource's fingerprints are keyed from its own account's credentials", () => {
  it("a group with account and a SipPhonePassword with itniotechAccount: the emea key, not the default one", async () => {
    const emeaKey = fingerprintKey(EMEA.apiKey, EMEA.apiSecret);
    expect(emeaKey.id).not.toBe(KEY.id);
    const g: Props = { ...group(), appId: "nopw-emea-app", account: "emea" };
    const { id, outs } = seen(await groups.create(g));
    expect(outs["passwordFingerprints"]).toEqual(emeaKey.fingerprints(platform(g)));
    // A refresh under the same account: nothing unknown, nothing changed.
    directory.clear();
    const read = seen(await groups.read(id, outs));
    expect(read.props?.passwordFingerprints).toEqual(outs["passwordFingerprints"]);
    expect(logs).toEqual([]);

    const account = `${g["phoneName"] as string}_001`;
    const pw = {
      appId: g["appId"],
      account,
      itniotechAccount: "emea",
      storePasswords: false,
      __provider: "p",
    };
    const { outs: one } = seen(await passwords.create(pw));
    expectNoPasswords(one);
    expect(one["passwordFingerprint"]).toBe(emeaKey.fingerprint(account, platform(g)[account] as string));
  });
});

describe("canary scan over every result and error of this file", () => {
  it("no password (plain, base64, base64url, hex, URL-encoded, JSON-escaped) and no API secret: 0 findings", () => {
    scan.addCredentials(CREDENTIALS, 0, 0);
    scan.addCredentials(EMEA, 0, 0);
    expect(results.length).toBeGreaterThan(10);
    expect(scan.size).toBeGreaterThan(50);
    const leaks = results.flatMap((t) => scan.find(t));
    expect(leaks).toEqual([]);
  });
});
