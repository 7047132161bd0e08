/**
 * Faults the engine itself handles, through the real Pulumi CLI against the emulator
 * (tests/helpers/realCli.ts):
 * - `pulumi up` killed with SIGKILL in the middle of a rotation, then what a user does
 *   (`pulumi cancel` for the dead run's lock, `pulumi refresh`, `pulumi up`) converges
 *   with no password lost;
 * - the vendor failing part of a rotation: `up` fails, the state keeps every password
 *   the platform now holds, and the next `up` finishes the rotation.
 */
import { spawn } from "node:child_process";
import path from "node:path";
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
