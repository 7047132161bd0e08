/**
 * The nightly drift job says why it failed: its "Explain the failure" step's script,
 * run with bash as the runner runs it, against a stand-in `pulumi` whose preview
 * prints the provider's own notices (produced here by the provider's diff on an
 * injected clock, in Pulumi's diagnostics layout). GitHub is not here; the script is.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { sipPhoneGroupProvider, sipPhonePasswordProvider } from "../../provider";
import { setClock } from "../../provider/clock";

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}

const workflow = parse(
  readFileSync(path.resolve(__dirname, "../../examples/github-actions/workflows/drift.yml"), "utf8"),
) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const refresh = steps.find((s) => s.uses?.startsWith("pulumi/actions@")) as Step;
const explain = steps.find((s) => s.run?.includes("rotation due")) as Step;

const SET = Date.parse("2026-01-01T00:00:00.000Z");
const DAY = 86_400_000;

/** The lines the provider prints in a preview where a group and a password are due. */
async function providerNotices(): Promise<string[]> {
  const lines: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((m: unknown) => void lines.push(String(m)));
  setClock(() => SET + 91 * DAY);
  try {
    const group = {
      appId: "app1",
      groupName: "support-x1",
      phoneName: "support-y1",
      quantity: 1,
      displayNum: "8610000000",
      rotateAfter: "90d",
    };
    await sipPhoneGroupProvider.diff(
      "app1/support-x1",
      { ...group, passwordsSetAt: new Date(SET).toISOString() },
      group,
    );
    const password = { appId: "app1", account: "support-y1_001", rotateAfter: "30d" };
    await sipPhonePasswordProvider.diff("app1/support-y1_001", { ...password, password: "x" }, password);
  } finally {
    setClock(undefined);
    log.mockRestore();
  }
  return lines;
}

/** Runs the step's script with bash -e (the runner's default shell) in a scratch infra/ folder. */
function runStep(previewOutput: string): { stdout: string; summary: string; argv: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "drift-job-"));
  try {
    const bin = path.join(dir, "bin");
    const infra = path.join(dir, "infra");
    for (const d of [bin, infra]) mkdirSync(d);
    writeFileSync(path.join(dir, "preview.txt"), previewOutput);
    writeFileSync(
      path.join(bin, "pulumi"),
      `#!/bin/sh\necho "$@" > "${path.join(dir, "argv")}"\ncat "${path.join(dir, "preview.txt")}"\n`,
    );
    chmodSync(path.join(bin, "pulumi"), 0o755);
    const summary = path.join(dir, "summary.md");
    writeFileSync(summary, "");
    const result = spawnSync("bash", ["-e", "-c", explain.run as string], {
      cwd: path.join(dir, explain["working-directory"] === "infra" ? "infra" : ""),
      env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}`, GITHUB_STEP_SUMMARY: summary },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    return {
      stdout: result.stdout,
      summary: readFileSync(summary, "utf8"),
      argv: readFileSync(path.join(dir, "argv"), "utf8").trim(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("runs only when the refresh step failed, in the program's folder", () => {
  expect(refresh.id).toBe("refresh");
  expect(explain.if).toBe("failure() && steps.refresh.outcome == 'failure'");
  expect(explain["working-directory"]).toBe(refresh.with?.["work-dir"]);
});

it("lists every due rotation in the job summary and as warnings, from the provider's own words", async () => {
  const notices = await providerNotices();
  expect(notices).toHaveLength(2);
  // Pulumi prints a provider's output as diagnostics, indented under the stack.
  const preview = [
    "Previewing update (my-org/phones/prod):",
    "    ~ pulumi-nodejs:dynamic:Resource support update",
    "    ~ pulumi-nodejs:dynamic:Resource support-desk update",
    "Diagnostics:",
    "  pulumi:pulumi:Stack (phones-prod):",
    ...notices.map((n) => `    ${n}`),
    "Resources:",
    "    ~ 2 to update",
  ].join("\n");
  const { stdout, summary, argv } = runStep(preview);
  expect(argv).toBe(`preview --stack ${String(refresh.with?.["stack-name"])} --non-interactive`);
  expect(summary).toContain(
    "- SipPhoneGroup app1/support-x1: rotation due since 2026-04-01T00:00:00.000Z (passwords set 2026-01-01T00:00:00.000Z)\n",
  );
  expect(summary).toContain(
    "- SipPhonePassword app1/support-y1_001: rotation due: the state does not record when the passwords were set",
  );
  expect(summary).toMatch(/the next `pulumi up` resets these passwords/);
  expect(stdout.split("\n").filter((l) => l.startsWith("::warning title=Rotation due::"))).toHaveLength(2);
});

it("with no due rotation, says the failure is drift and warns about nothing", () => {
  const { stdout, summary } = runStep(
    "Previewing update (my-org/phones/prod):\nResources:\n    3 unchanged\n",
  );
  expect(summary).not.toMatch(/rotation due/);
  expect(summary).toMatch(/is drift: the platform changed outside Pulumi/);
  expect(stdout).not.toMatch(/::warning/);
});
