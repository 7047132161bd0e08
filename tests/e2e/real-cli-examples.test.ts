/**
 * Every example that declares resources, through the real Pulumi CLI against the
 * emulator (tests/helpers/realCli.ts): preview (and the API calls it made), up,
 * preview --expect-no-changes, the state export (no plaintext password or API
 * secret; with `storePasswords: false` no password at all), what each example is
 * for (a rotation by trigger, a due `rotateAfter`, adoption, a second account), and
 * destroy (every password the stack knew revoked). examples/quickstart:
 * real-cli.test.ts.
 */
import path from "node:path";
import { DEMO_CREDENTIALS } from "../../emulator";
import { seedConsoleGroup } from "../helpers/consoleGroup";
import {
  expectNoLeaks,
  expectNoSecretsIn,
  realCliIt,
  realCliSession,
  revealExported,
  ROOT,
  totalCalls,
  type RealStack,
  type RunResult,
} from "../helpers/realCli";

const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const TIMEOUT = 600_000;

const session = realCliSession();
const live = (appId?: string) => session.live(appId);
/** The sizes of demo-app's groups, smallest first (creates run at once, in any order). */
const groupSizes = () =>
  session.emulator
    .groups("demo-app")
    .map((g) => g.quantity)
    .sort((a, b) => a - b);

async function exampleStack(example: string, config: Record<string, string> = {}, secretKeys: string[] = []) {
  return session.createStack({ project: path.join(ROOT, "examples", example), config, secretKeys });
}

/** preview, up, preview --expect-no-changes; the calls preview made. */
async function upAndSettle(s: RealStack): Promise<{ previewCalls: number; up: RunResult }> {
  session.emulator.resetCounters();
  await s.ok(["preview"]);
  const previewCalls = totalCalls(session.emulator.counters());
  const up = await s.ok(["up", "--yes", "--skip-preview"]);
  await s.ok(["preview", "--expect-no-changes"]);
  return { previewCalls, up };
}

realCliIt(
  "examples/rotation: a trigger change rotates every password in one up; the desk phone follows",
  async () => {
    const s = await exampleStack("rotation");
    const { previewCalls } = await upAndSettle(s);
    expect(previewCalls).toBe(0);
    const first = live();
    expect(Object.keys(first)).toHaveLength(5);

    await s.ok(["config", "set", "passwordEpoch", "2"]);
    session.emulator.resetCounters();
    const preview = await s.ok(["preview"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    await s.ok(["up", "--yes", "--skip-preview"]);
    // Five for the group, then one for the desk phone (its trigger is the rotation's time).
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 6 });
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(first[account]);
    expect((await s.outputs())["passwords"]).toEqual(live());
    await s.ok(["preview", "--expect-no-changes"]);

    const secrets = [DEMO_CREDENTIALS.apiSecret, ...Object.values(first), ...Object.values(live())];
    expectNoSecretsIn((await s.exported()).text, secrets, "pulumi stack export");
    const before = live();
    session.emulator.resetCounters();
    await s.ok(["destroy", "--yes"]);
    // The group resets its five; the desk phone's resource resets nothing on delete.
    expect(session.emulator.counters()).toMatchObject({ sipReset: 5 });
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(before[account]);
    expectNoLeaks(s.runs, secrets);
  },
  TIMEOUT,
);

realCliIt(
  "examples/no-passwords-in-state: no password in the state, ciphertext included; a due rotateAfter is an update",
  async () => {
    // Due 3 s after the passwords are set: no "no changes" check here, since on a
    // loaded machine preview, up and preview take longer than that (CI did).
    const s = await exampleStack("no-passwords-in-state", { rotateAfter: "3s" });
    session.emulator.resetCounters();
    await s.ok(["preview"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    await s.ok(["up", "--yes", "--skip-preview"]);
    const first = live();
    // Decrypted, the state still holds no password: only fingerprints.
    const decrypted = JSON.stringify(await s.exportedWithSecrets());
    expectNoSecretsIn(decrypted, Object.values(first), "pulumi stack export --show-secrets");
    expect(decrypted).toContain("passwordFingerprints");

    const setAt = Date.parse((await s.outputs())["passwordsSetAt"] as string);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, setAt + 3_500 - Date.now())));
    session.emulator.resetCounters();
    const due = await s.run(["preview", "--expect-no-changes"]);
    expect(due.code).not.toBe(0);
    expect(due.stdout).toMatch(/~ 1 to update/);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    await s.ok(["up", "--yes", "--skip-preview"]);
    expect(session.emulator.counters()).toMatchObject({ sipReset: 3 });
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(first[account]);
    expectNoSecretsIn(
      JSON.stringify(await s.exportedWithSecrets()),
      Object.values(live()),
      "export after rotation",
    );
    await s.ok(["destroy", "--yes"]);
    expectNoLeaks(s.runs, [DEMO_CREDENTIALS.apiSecret, ...Object.values(first)]);
  },
  TIMEOUT,
);

realCliIt(
  "examples/adopt: takes over the console's group with no sipAdd; the state holds its passwords as secrets",
  async () => {
    const seeded = seedConsoleGroup(session.emulator);
    const s = await exampleStack("adopt");
    const { previewCalls } = await upAndSettle(s);
    expect(previewCalls).toBe(0);
    expect(session.emulator.counters().sipAdd).toBe(0);
    const group = (await s.exportedWithSecrets()).find((r) => r.type === GROUP);
    expect(revealExported(group?.outputs?.["passwords"])).toEqual(
      Object.fromEntries(seeded.map((p) => [p.account, p.password])),
    );
    expectNoSecretsIn(
      (await s.exported()).text,
      seeded.map((p) => p.password),
      "pulumi stack export",
    );
    expectNoLeaks(
      s.runs,
      seeded.map((p) => p.password),
    );
  },
  TIMEOUT,
);

realCliIt(
  "examples/groups-from-yaml: the YAML's two groups are created; a rotation bump in the file resets one group",
  async () => {
    const s = await exampleStack("groups-from-yaml");
    await upAndSettle(s);
    expect(groupSizes()).toEqual([5, 10]);
    const before = live();
    const { readFileSync, writeFileSync } = await import("node:fs");
    const file = path.join(s.dir, "phone-groups.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("rotation: 1", "rotation: 2"));
    session.emulator.resetCounters();
    await s.ok(["up", "--yes"]);
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 5 });
    const changed = Object.entries(live()).filter(([account, password]) => before[account] !== password);
    expect(changed).toHaveLength(5);
    expectNoLeaks(s.runs, [DEMO_CREDENTIALS.apiSecret, ...Object.values(before), ...Object.values(live())]);
  },
  TIMEOUT,
);

realCliIt(
  "examples/multi-account: each account's groups with its own key; the second account's secret stays a secret",
  async () => {
    const emea = { apiKey: "emea-key", apiSecret: "emea-secret-change-me" };
    await session.restartEmulator({ credentials: [DEMO_CREDENTIALS, { ...emea, appIds: ["emea-app"] }] });
    const s = await exampleStack("multi-account", { "itniotech:accounts": JSON.stringify({ emea }) }, [
      "itniotech:accounts",
    ]);
    const { previewCalls } = await upAndSettle(s);
    // The program's lookup (listSipPhoneGroups) runs in preview too: one page, nothing written.
    expect(previewCalls).toBe(1);
    expect(session.emulator.phones("demo-app")).toHaveLength(3);
    expect(session.emulator.phones("emea-app")).toHaveLength(2);
    const keys = new Set(session.emulator.requests().map((l) => l.apiKey));
    expect(keys).toEqual(new Set(["demo-key", "emea-key"]));
    const secrets = [
      DEMO_CREDENTIALS.apiSecret,
      emea.apiSecret,
      ...Object.values(live()),
      ...Object.values(live("emea-app")),
    ];
    expectNoSecretsIn((await s.exported()).text, secrets, "pulumi stack export");
    await s.ok(["destroy", "--yes"]);
    expectNoLeaks(s.runs, secrets);
  },
  TIMEOUT,
);

realCliIt(
  "examples/testing: its two teams' groups are created, previews make no call, destroy revokes every password",
  async () => {
    const s = await exampleStack("testing");
    const { previewCalls } = await upAndSettle(s);
    expect(previewCalls).toBe(0);
    expect(groupSizes()).toEqual([5, 10]);
    const before = live();
    expectNoSecretsIn((await s.exported()).text, Object.values(before), "pulumi stack export");
    session.emulator.resetCounters();
    await s.ok(["destroy", "--yes", "--skip-preview"]);
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 15 });
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(before[account]);
    expectNoLeaks(s.runs, [DEMO_CREDENTIALS.apiSecret, ...Object.values(before)]);
  },
  TIMEOUT,
);
