/**
 * tools/pulumi-cli/build.sh, the pinned CLI's build: its bound on each step (a
 * stalled proxy fails the build instead of hanging CI; the number is the one
 * docs/RELIABILITY.md gives), and that a built CLI is reused as it is. The build
 * itself is exercised by every real-CLI test (.ci/run builds it first).
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pinnedCli, REPOSITORY } from "../../scripts/pulumiCli";
import { NODE_DIR, tempDir } from "../helpers/fakePulumi";
import { REAL_CLI } from "../helpers/realCli";

const SCRIPT = path.join(REPOSITORY, "tools/pulumi-cli/build.sh");

function build(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", [SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

it("each step's bound is the one docs/RELIABILITY.md gives", () => {
  const script = readFileSync(SCRIPT, "utf8");
  const bound = /ITNIOTECH_PULUMI_BUILD_STEP_TIMEOUT:-(\d+)\}/.exec(script)?.[1];
  expect(bound).toBe("1800");
  const reliability = readFileSync(path.join(REPOSITORY, "docs/RELIABILITY.md"), "utf8");
  const row = reliability.split("\n").find((line) => line.includes("`ITNIOTECH_PULUMI_BUILD_STEP_TIMEOUT`"));
  expect(row).toContain(`**${bound} s**`);
});

it("a step that outlives the bound is stopped and the build fails with one line that says so", async () => {
  // A `go` that never finishes, as against a proxy that stalls.
  const bin = tempDir("stalled-go");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    path.join(bin, "go"),
    '#!/bin/sh\n[ "$1" = env ] && { echo https://proxy.example; exit 0; }\nsleep 30\n',
  );
  chmodSync(path.join(bin, "go"), 0o755);
  const started = Date.now();
  const result = await build({
    PATH: [bin, NODE_DIR, "/usr/bin", "/bin"].join(path.delimiter),
    HOME: tempDir("home"),
    ITNIOTECH_PULUMI_CACHE: tempDir("cache"),
    ITNIOTECH_PULUMI_BUILD_STEP_TIMEOUT: "1",
  });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n").pop()).toBe(
    "pulumi-cli: downloading modules took longer than 1 s and was stopped; is the Go module proxy reachable and answering? (go env GOPROXY: https://proxy.example)",
  );
  // Stopped at the bound, not when the stalled step would have ended (30 s).
  expect(Date.now() - started).toBeLessThan(20_000);
});

// Meaningful for the pinned build only (a CLI on PATH is not ours to rebuild).
(REAL_CLI?.source === "built" ? it : it.skip)(
  REAL_CLI?.source === "built"
    ? "a built CLI is reused as it is: no download, no compile, its folder printed"
    : "a built CLI is reused as it is (skipped here: the CLI in use is not the pinned build)",
  async () => {
    const dir = pinnedCli(process.env).dir;
    expect(await build({ ...process.env, ITNIOTECH_PULUMI_CACHE: path.dirname(dir) })).toEqual({
      code: 0,
      stdout: `${dir}\n`,
      stderr: "",
    });
  },
);
