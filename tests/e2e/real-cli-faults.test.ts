/**
 * Faults the engine itself handles, through the real Pulumi CLI against the emulator
 * (tests/helpers/realCli.ts):
 * - `pulumi up` killed with SIGKILL in the middle of a rotation, then what a user does
 *   (`pulumi cancel` for the dead run's lock, `pulumi refresh`, `pulumi up`) converges
 *   with no password lost;
 * - the vendor failing part of a rotation: `up` fails, the state keeps every password
 *   the platform now holds, and the next `up` finishes the rotation; with
 *   `storePasswords: false`, the partial state holds fingerprints only;
 * - with `storePasswords: false` in two accounts, each group's fingerprints are keyed
 *   from its own account's credentials (a second level beside
 *   tests/provider/no-passwords.test.ts).
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CREDENTIALS } from "../../emulator";
import { fingerprintKey, keyIdOf } from "../../provider/fingerprint";
import { killProcessTree } from "../../scripts/processTree";
import { RealStack, realCliIt, realCliSession, revealExported, ROOT } from "../helpers/realCli";

const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const TIMEOUT = 600_000;

const session = realCliSession();

const live = () => session.live();

/** The group's passwords as the state holds them (decrypted). */
async function statePasswords(s: RealStack): Promise<Record<string, string>> {
  const group = (await s.exportedWithSecrets()).find((r) => r.type === GROUP);
  return revealExported(group?.outputs?.["passwords"]) as Record<string, string>;
}

async function rotationStack(): Promise<RealStack> {
  const stack = await session.createStack({ project: path.join(ROOT, "examples/rotation") });
  await stack.ok(["up", "--yes", "--skip-preview"]);
  return stack;
}

const until = async (what: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

realCliIt(
  "pulumi up killed (SIGKILL) mid-rotation: refresh, clearing pending operations, and up converge with no password lost",
  async () => {
    const s = await rotationStack();
    await s.ok(["config", "set", "passwordEpoch", "2"]);
    // Each reset commits, then its answer takes 3 s: the kill lands with resets done
    // on the platform whose new passwords no one has received.
    session.emulator.inject({ kind: "latency", endpoint: "sipReset", ms: 3_000, phase: "after" });
    session.emulator.resetCounters();
    const child = spawn(s.cli.command, ["up", "--yes", "--skip-preview", "--non-interactive"], {
      cwd: s.dir,
      env: s.environment,
      stdio: "ignore",
    });
    await until(() => session.emulator.counters().sipReset >= 2, 120_000);
    // The CLI and every process it started, as when a CI runner dies: its language host
    // and its provider host too (each in a process group of its own).
    killProcessTree(child.pid!);
    await new Promise((resolve) => child.once("exit", resolve));
    session.emulator.clearFaults();
    const before = await statePasswords(s);
    expect(before).not.toEqual(live());

    // What the user does: the CLI says the stack is locked by the dead run and how to
    // unlock it; then refresh, which reports the interrupted update.
    const locked = await s.run(["refresh", "--yes", "--skip-preview"]);
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(/locked by 1 lock\(s\)[\s\S]*pulumi cancel/);
    await s.ok(["cancel", "--yes"]);
    // The killed run left an update pending in the state; this CLI's refresh reads the
    // resource and drops the pending update without asking (older CLIs made users
    // remove it with `pulumi stack export`/`import`: docs/RELIABILITY.md).
    const pendingBefore = JSON.parse((await s.ok(["stack", "export"])).stdout) as {
      deployment: { pending_operations?: Array<{ type: string }> };
    };
    expect(pendingBefore.deployment.pending_operations?.map((o) => o.type)).toEqual(["updating"]);
    await s.ok(["refresh", "--yes", "--skip-preview"]);
    const pendingAfter = JSON.parse((await s.ok(["stack", "export"])).stdout) as {
      deployment: { pending_operations?: unknown[] };
    };
    expect(pendingAfter.deployment.pending_operations ?? []).toEqual([]);
    // The refresh took the platform's passwords: none lost, even those reset by the run
    // that died before it could record them.
    expect(await statePasswords(s)).toEqual(live());
    // And the next up finishes the rotation the killed run had started.
    await s.ok(["up", "--yes", "--skip-preview"]);
    expect((await s.outputs())["passwords"]).toEqual(live());
    await s.ok(["preview", "--expect-no-changes"]);
  },
  TIMEOUT,
);

realCliIt(
  "the vendor fails part of a rotation: up fails, the state keeps the platform's passwords, the next up finishes",
  async () => {
    const s = await rotationStack();
    const first = live();
    await s.ok(["config", "set", "passwordEpoch", "2"]);
    // Two resets succeed, then the vendor refuses every reset (a definite -20).
    session.emulator.inject({ kind: "status", endpoint: "sipReset", status: "-20", reason: "vendor outage" });
    const failed = await s.run(["up", "--yes", "--skip-preview"]);
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/-20/);
    expect(await statePasswords(s)).toEqual(live());
    session.emulator.clearFaults();
    await s.ok(["up", "--yes", "--skip-preview"]);
    // The example's `passwords`: the group's, with the desk phone's own reset over its account.
    expect((await s.outputs())["passwords"]).toEqual(live());
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(first[account]);
    await s.ok(["preview", "--expect-no-changes"]);
  },
  TIMEOUT,
);

realCliIt(
  "storePasswords: false, a rotation the vendor fails part-way: the state keeps fingerprints only, the next up finishes it",
  async () => {
    const s = await session.createStack({ project: path.join(ROOT, "examples/no-passwords-in-state") });
    await s.ok(["up", "--yes", "--skip-preview"]);
    const first = live();
    // A rotation that is due (rotateAfter 1 s, then a second's wait), of which the vendor refuses two resets of three.
    await s.ok(["config", "set", "rotateAfter", "1s"]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    session.emulator.inject({
      endpoint: "sipReset",
      kind: "status",
      status: "-22",
      reason: "outage",
      times: 2,
    });
    const failed = await s.run(["up", "--yes", "--skip-preview"]);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/2 of 3 password resets failed/);
    const changed = Object.entries(live()).filter(([account, password]) => first[account] !== password);
    expect(changed).toHaveLength(1);
    // Decrypted, the state holds no password: the partial state is fingerprints too.
    const decrypted = JSON.stringify(await s.exportedWithSecrets());
    for (const password of [...Object.values(first), ...Object.values(live())])
      expect(decrypted).not.toContain(password);
    expect(decrypted).toContain("passwordFingerprints");
    session.emulator.clearFaults();
    await s.ok(["up", "--yes", "--skip-preview"]);
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(first[account]);
    const after = JSON.stringify(await s.exportedWithSecrets());
    for (const password of Object.values(live())) expect(after).not.toContain(password);
  },
  TIMEOUT,
);

realCliIt(
  "storePasswords: false in two accounts: each group's fingerprints are keyed from its own account's credentials",
  async () => {
    const emea = { apiKey: "emea-key", apiSecret: "emea-secret-change-me" };
    await session.restartEmulator({ credentials: [DEMO_CREDENTIALS, { ...emea, appIds: ["emea-app"] }] });
    const project = mkdtempSync(path.join(tmpdir(), "itniotech-keys-"));
    for (const file of ["Pulumi.yaml", "package.json", "tsconfig.json"])
      copyFileSync(path.join(ROOT, "examples/no-passwords-in-state", file), path.join(project, file));
    writeFileSync(
      path.join(project, "index.ts"),
      [
        'import { SipPhoneGroup } from "pulumi-itniotech";',
        'const common = { quantity: 1, displayNum: "8610000000", storePasswords: false };',
        'const hq = new SipPhoneGroup("hq", { appId: "demo-app", ...common });',
        'const eu = new SipPhoneGroup("eu", { appId: "emea-app", account: "emea", ...common });',
        "export const hqFingerprints = hq.passwordFingerprints;",
        "export const euFingerprints = eu.passwordFingerprints;",
        "",
      ].join("\n"),
    );
    try {
      const s = await session.createStack({
        project,
        config: { "itniotech:accounts": JSON.stringify({ emea }) },
        secretKeys: ["itniotech:accounts"],
      });
      await s.ok(["up", "--yes", "--skip-preview"]);
      const outputs = await s.outputs();
      const ids = (fingerprints: unknown) =>
        Object.values(fingerprints as Record<string, string>).map(keyIdOf);
      expect(ids(outputs["hqFingerprints"])).toEqual([
        fingerprintKey(DEMO_CREDENTIALS.apiKey, DEMO_CREDENTIALS.apiSecret).id,
      ]);
      expect(ids(outputs["euFingerprints"])).toEqual([fingerprintKey(emea.apiKey, emea.apiSecret).id]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  },
  TIMEOUT,
);
