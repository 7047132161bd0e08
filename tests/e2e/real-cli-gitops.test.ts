/**
 * The GitOps kit (examples/github-actions) for real: the commands its workflows run,
 * through the real Pulumi CLI against the emulator, with the credentials in the
 * ITNIOTECH_* variables as esc-action exports them. GitHub is not here; the commands
 * and the workflows' own scripts are:
 * - up.yml: `pulumi up` of the GitOps program (groups-from-yaml);
 * - drift.yml: `pulumi preview --refresh --expect-no-changes` (what pulumi/actions
 *   runs for its `with:`) passes on a settled stack and fails on a group removed
 *   outside Pulumi (every night: the state is left as it was) and on a due rotation;
 *   its "Explain the failure" script, run with bash, names the due rotation from the
 *   real preview's output; its inventory step (`pulumi stack export`,
 *   `itniotech inventory`) exits 0, then 3 when a group is gone.
 *
 * Why a refreshing preview and not `pulumi refresh --expect-no-changes` (what the
 * kit ran before this test existed): under the real CLI that refresh records the
 * vanished group's removal while it fails, so the inventory step right after it saw
 * nothing missing (exit 0) and the next night's check passed.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { DEMO_CREDENTIALS } from "../../emulator";
import { RealStack, realCliIt, realCliSession, ROOT } from "../helpers/realCli";

const TIMEOUT = 600_000;
const WORKFLOWS = path.join(ROOT, "examples/github-actions/workflows");

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const steps = (file: string): Step[] =>
  Object.values(
    (parse(readFileSync(path.join(WORKFLOWS, file), "utf8")) as { jobs: Record<string, { steps: Step[] }> })
      .jobs,
  ).flatMap((j) => j.steps);
const pulumiAction = (file: string) => steps(file).find((s) => s.uses?.startsWith("pulumi/actions@")) as Step;
const drift = steps("drift.yml");
const explainScript = drift.find((s) => s.run?.includes("rotation due"))?.run as string;
const inventoryScript = drift.find((s) => s.run?.includes("itniotech inventory"))?.run as string;
const STACK_NAME = String(pulumiAction("drift.yml").with?.["stack-name"]);

const session = realCliSession();

/** A stack configured as the workflows configure it: credentials from the environment only. */
async function gitopsStack(example: string, config: Record<string, string> = {}): Promise<RealStack> {
  return session.createStack({
    project: path.join(ROOT, "examples", example),
    config,
    apiConfig: false,
    env: {
      ITNIOTECH_API_KEY: DEMO_CREDENTIALS.apiKey,
      ITNIOTECH_API_SECRET: DEMO_CREDENTIALS.apiSecret,
      ITNIOTECH_BASE_URL: session.emulator.baseUrl,
    },
  });
}

/**
 * `pulumi <command>` as pulumi/actions runs it for a workflow's `with:` (the flags of
 * the options these workflows use).
 */
function actionArgs(file: string): string[] {
  const options = pulumiAction(file).with ?? {};
  const command = String(options["command"]);
  return [
    command,
    ...(command === "preview" ? [] : ["--yes"]),
    ...(options["refresh"] === true ? ["--refresh"] : []),
    ...(options["expect-no-changes"] === true ? ["--expect-no-changes"] : []),
    ...(options["diff"] === true ? ["--diff"] : []),
  ];
}

/**
 * Runs a workflow step's script with bash -e in the project copy, with a `pulumi` on
 * PATH that is the real CLI for this test's stack (the workflows name the cloud stack
 * `my-org/phones/prod`; only that name is mapped).
 */
async function runScript(
  s: RealStack,
  script: string,
): Promise<{ status: number | null; stdout: string; summary: string }> {
  const bin = path.join(s.dir, "..", "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, "pulumi"),
    `#!/usr/bin/env bash\nargs=()\nfor a in "$@"; do [ "$a" = "${STACK_NAME}" ] && a=test; args+=("$a"); done\nexec "${s.cli.command}" "\${args[@]}"\n`,
  );
  chmodSync(path.join(bin, "pulumi"), 0o755);
  const summary = path.join(s.dir, "..", "summary.md");
  writeFileSync(summary, "");
  // Asynchronously: the emulator answers from this process's event loop.
  const child = spawn("bash", ["-e", "-c", script], {
    cwd: s.dir,
    env: {
      ...s.environment,
      PATH: [bin, path.join(ROOT, "node_modules", ".bin"), s.environment["PATH"]].join(path.delimiter),
      GITHUB_STEP_SUMMARY: summary,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.resume();
  const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { status, stdout, summary: readFileSync(summary, "utf8") };
}

realCliIt(
  "up.yml then drift.yml: up, a clean refresh, then a group removed outside Pulumi fails the refresh and the inventory",
  async () => {
    const s = await gitopsStack("groups-from-yaml");
    expect(actionArgs("up.yml")).toEqual(["up", "--yes"]);
    await s.ok(actionArgs("up.yml"));
    expect(session.emulator.phones("demo-app")).toHaveLength(15);

    expect(actionArgs("drift.yml")).toEqual(["preview", "--refresh", "--expect-no-changes"]);
    await s.ok(actionArgs("drift.yml"));
    // The inventory step reads the app id the workflow names; run it for this app.
    const inventory = inventoryScript.replace(/--app \S+/, "--app demo-app");
    expect(await runScript(s, inventory)).toMatchObject({ status: 0 });

    const gone = session.emulator.groups("demo-app")[0]?.groupName as string;
    session.emulator.removeGroup("demo-app", gone);
    // Two nights in a row: the check fails and the inventory reports the group missing.
    for (const _night of [1, 2]) {
      const check = await s.run(actionArgs("drift.yml"));
      expect(check.code).not.toBe(0);
      expect(`${check.stdout}${check.stderr}`).toMatch(/no changes were expected/);
      expect(check.stdout).toMatch(/\+ 1 to create/);
      const failed = await runScript(s, inventory);
      expect(failed.status).toBe(3);
      expect(failed.stdout).toContain(gone);
    }
  },
  TIMEOUT,
);

realCliIt(
  "drift.yml: a due rotateAfter fails the refresh, and the explain step names it from the real preview",
  async () => {
    const s = await gitopsStack("no-passwords-in-state", { rotateAfter: "3s" });
    await s.ok(["up", "--yes", "--skip-preview"]);
    const setAt = Date.parse((await s.outputs())["passwordsSetAt"] as string);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, setAt + 3_500 - Date.now())));
    const refresh = await s.run(actionArgs("drift.yml"));
    expect(refresh.code).not.toBe(0);
    const explained = await runScript(s, explainScript);
    expect(explained.status).toBe(0);
    const group = (await s.outputs())["groupName"] as string;
    expect(explained.summary).toMatch(
      new RegExp(`- SipPhoneGroup demo-app/${group}: rotation due since \\S+ \\(passwords set \\S+\\)`),
    );
    expect(explained.stdout).toMatch(/^::warning title=Rotation due::SipPhoneGroup demo-app\//m);
  },
  TIMEOUT,
);
