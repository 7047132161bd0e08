/**
 * `storePasswords: false` through Pulumi's real dynamic-provider host, driven over
 * gRPC as the engine drives it (tests/helpers/engine.ts), a new host per command as
 * `pulumi` starts one: create → a password reset outside the stack (on the emulator)
 * → refresh (that account's fingerprint changes, the other's does not) → rotation →
 * destroy. Then the strict canary scan: no password the platform ever held, in any
 * encoding, anywhere in what the hosts printed or answered — states, partial states
 * and errors, inside secret wrappers included — and no API secret or Sign.
 *
 * Prints the run's figures: per command, what the engine did, the emulator's calls
 * and the fingerprints (not secret; shortened).
 */
import type { Emulator } from "../../emulator";
import { fingerprintKey } from "../../provider/fingerprint";
import type { EngineResource, Operation } from "../helpers/engine";
import { FixtureStack } from "../helpers/fixture";
import { CanaryScan, scanHostsStrict } from "../helpers/leaks";
import { platformPasswords } from "../helpers/platform";
import type { Props } from "../helpers/values";

const CREDENTIALS = { apiKey: "nopw-engine-key-5e1", apiSecret: "NoPasswordsEngineCanary-0c7" };
const KEY = fingerprintKey(CREDENTIALS.apiKey, CREDENTIALS.apiSecret);
const APP = "engine-app";

/** The run: its stack, and what the report and the final scan collect. */
let stack: FixtureStack;
const report = { figures: [] as string[], canaries: "" };
const scan = new CanaryScan();
const startedAt = Math.floor(Date.now() / 1000);

/** `v1:<key id>:<first 8 of the MAC>…`: enough to see which changed. */
const short = (fp: unknown) => `${String(fp).slice(0, 20)}…`;

const platform = (groupName: unknown) => platformPasswords(stack.emulator, APP, groupName);

/** Runs one command in a new host and records its row: the engine's operation and the emulator's calls. */
async function step(
  name: string,
  r: EngineResource,
  run: (r: EngineResource) => Promise<Operation | string>,
): Promise<{ operation: Operation | string; calls: ReturnType<Emulator["counters"]> }> {
  stack.emulator.resetCounters();
  const operation = await run(r);
  const calls = stack.emulator.counters();
  for (const phone of stack.emulator.phones()) scan.add("password", phone.password);
  const fps = (r.state?.outputs["passwordFingerprints"] ?? {}) as Record<string, string>;
  report.figures.push(
    `| ${name} | ${operation} | ${calls.sipAdd} | ${calls.sipQuery} | ${calls.sipReset} | ` +
      `${Object.entries(fps)
        .map(([a, fp]) => `${a} ${short(fp)}`)
        .join("<br>")} |`,
  );
  return { operation, calls };
}

function expectNoPasswords(outputs: Props | undefined): void {
  expect(outputs).toBeDefined();
  expect(outputs).not.toHaveProperty("passwords");
  expect(outputs).not.toHaveProperty("password");
}

beforeAll(async () => void (stack = await FixtureStack.start(CREDENTIALS)));

afterAll(async () => {
  await stack?.close();
  console.log(
    [
      `storePasswords: false through the real dynamic-provider host (key id ${KEY.id}; emulator calls per command):`,
      "| command | engine | sipAdd | sipQuery | sipReset | passwordFingerprints |",
      "|---|---|---:|---:|---:|---|",
      ...report.figures,
      report.canaries,
    ].join("\n"),
  );
});

describe("SipPhoneGroup with storePasswords: false, command by command", () => {
  const news = (edit: Props = {}) => stack.declared("office", { storePasswords: false, ...edit });
  let office: EngineResource;
  let created: Record<string, string> = {};
  let reset = "";
  let refreshed: Record<string, string> = {};

  it("up (create): fingerprints of the platform's passwords under the current key, no password", async () => {
    office = stack.resource(await stack.host(), "office");
    const { operation, calls } = await step("up (create)", office, (r) => r.up(news()));
    expect({ operation, calls }).toEqual({
      operation: "create",
      calls: { sipAdd: 1, sipQuery: 1, sipReset: 0 },
    });
    const outputs = office.state?.outputs;
    expectNoPasswords(outputs);
    created = outputs?.["passwordFingerprints"] as Record<string, string>;
    expect(created).toEqual(KEY.fingerprints(platform(outputs?.["groupName"])));
    expect(Object.keys(created)).toHaveLength(2);
  });

  it("refresh after a reset outside the stack: that account's fingerprint changes, the other's does not; logged", async () => {
    reset = Object.keys(created)[0] as string;
    stack.emulator.resetPasswordOutOfBand(APP, reset);
    office = office.inHost(await stack.host());
    const { calls } = await step(`refresh (after ${reset} reset out of band)`, office, (r) => r.refresh());
    expect(calls).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    const outputs = office.state?.outputs;
    expectNoPasswords(outputs);
    refreshed = outputs?.["passwordFingerprints"] as Record<string, string>;
    expect(refreshed).toEqual(KEY.fingerprints(platform(outputs?.["groupName"])));
    for (const account of Object.keys(created))
      expect(refreshed[account] === created[account]).toBe(account !== reset);
    expect(office.lastRefresh).toMatchObject({ stateChanged: true, shown: "same" });
    await office.host.waitForOutput(
      new RegExp(`the password of account ${reset} changed since the state recorded it`),
    );
  });

  it("a preview then shows no change (no reset is planned for a password changed elsewhere)", async () => {
    const preview = office.inHost(await stack.host());
    const { operation, calls } = await step("preview", preview, (r) => r.preview(news()));
    expect({ operation, calls }).toEqual({
      operation: "same",
      calls: { sipAdd: 0, sipQuery: 0, sipReset: 0 },
    });
  });

  it("up (rotation by resetTriggers): every fingerprint changes, to the new passwords'; no password", async () => {
    office = office.inHost(await stack.host());
    const { operation, calls } = await step("up (rotation)", office, (r) =>
      r.up(news({ resetTriggers: [1] })),
    );
    expect({ operation, calls }).toEqual({
      operation: "update",
      calls: { sipAdd: 0, sipQuery: 0, sipReset: 2 },
    });
    const outputs = office.state?.outputs;
    expectNoPasswords(outputs);
    const rotated = outputs?.["passwordFingerprints"] as Record<string, string>;
    expect(rotated).toEqual(KEY.fingerprints(platform(outputs?.["groupName"])));
    for (const account of Object.keys(refreshed)) expect(rotated[account]).not.toBe(refreshed[account]);
  });

  it("up switching storePasswords to true and back: an update each, one scan, no reset", async () => {
    office = office.inHost(await stack.host());
    const on = await step("up (storePasswords → true)", office, (r) =>
      r.up(news({ resetTriggers: [1], storePasswords: true })),
    );
    expect(on).toEqual({ operation: "update", calls: { sipAdd: 0, sipQuery: 1, sipReset: 0 } });
    expect(office.state?.outputs).toHaveProperty("passwords");
    // From here the state held passwords: the strict scan below covers only what
    // follows, so that resource's next host starts a new transcript.
    office = office.inHost(await stack.host());
    const off = await step("up (storePasswords → false)", office, (r) => r.up(news({ resetTriggers: [1] })));
    expect(off).toEqual({ operation: "update", calls: { sipAdd: 0, sipQuery: 1, sipReset: 0 } });
    expectNoPasswords(office.state?.outputs);
  });

  it("destroy: every password revoked (reset and discarded)", async () => {
    office = office.inHost(await stack.host());
    const { calls } = await step("destroy", office, async (r) => {
      await r.destroy();
      return "delete";
    });
    expect(calls).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 2 });
  });
});

describe("the strict canary scan of every host with storePasswords: false", () => {
  it("no password the platform held (any encoding), no secret wrapper at all, no API secret or Sign: 0 findings", () => {
    // Every host but the one whose command switched storePasswords to true (its answer
    // held the passwords, as asked).
    const hosts = stack.hosts.filter((h) => !h.transcript.some((t) => t.includes('"passwords"')));
    expect(hosts.length).toBe(stack.hosts.length - 1);
    const { texts, leaks, secretsReturned } = scanHostsStrict(scan, hosts, CREDENTIALS, startedAt);
    expect(texts.join("")).toMatch(/changed since the state recorded it/);
    report.canaries =
      `strict canary scan: ${scan.size} needles (${hosts.length} hosts) over ${texts.length} texts: ` +
      `${leaks.length} findings, ${secretsReturned} secret values returned`;
    expect(leaks).toEqual([]);
    expect(secretsReturned).toBe(0);
  });
});
