/**
 * Finding a Pulumi CLI that can run the demo: where to look, in which order, and
 * whether what answers is usable (a version this package supports). Every problem is
 * one line in our own words, never a stack trace.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { MINIMUM_PULUMI, parseVersion, versionAtLeast } from "../sdk/compat";

/** Where a candidate CLI came from; decisions are made on this, never on the label. */
export type CliSource = "env" | "path" | "npm";

/** How each source is named to the user. */
export const SOURCE_LABELS: Record<CliSource, string> = {
  env: "ITNIOTECH_PULUMI_CLI",
  path: "PATH",
  npm: "the 'pulumi' npm package",
};

/** A Pulumi CLI to try. */
export interface Candidate {
  command: string;
  source: CliSource;
}

export interface PulumiCli extends Candidate {
  /** As `pulumi version` printed it, e.g. `v3.265.0`. */
  version: string;
}

const EXECUTABLES = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];

/**
 * The CLIs to try, in order: `ITNIOTECH_PULUMI_CLI` alone when set; else a `pulumi`
 * on PATH; else the `pulumi` npm package (which downloads the CLI on first use).
 * `npm run` puts node_modules/.bin first on PATH, so PATH is searched without those
 * folders: a real installation wins over the package's download.
 */
export function pulumiCandidates(root: string, env: NodeJS.ProcessEnv): Candidate[] {
  const chosen = env["ITNIOTECH_PULUMI_CLI"];
  if (chosen) return [{ command: chosen, source: "env" }];
  const candidates: Candidate[] = [];
  const folders = (env["PATH"] ?? "")
    .split(path.delimiter)
    .filter(
      (dir) =>
        dir !== "" && !(path.basename(dir) === ".bin" && path.basename(path.dirname(dir)) === "node_modules"),
    );
  const onPath = folders
    .flatMap((dir) => EXECUTABLES.map((name) => path.join(dir, name)))
    .find((file) => existsSync(file));
  if (onPath) candidates.push({ command: onPath, source: "path" });
  const fromNpm = EXECUTABLES.map((name) => path.join(root, "node_modules", ".bin", name)).find(existsSync);
  if (fromNpm) candidates.push({ command: fromNpm, source: "npm" });
  return candidates;
}

/** Quoted, and cut to one short line, for messages about what a CLI printed. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

const lastLine = (text: string | null): string | undefined =>
  (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();

/**
 * Runs `pulumi version`. Resolves the version, or why this CLI is not usable: it did
 * not start, did not answer, failed (its last stderr line), printed something that is
 * not a version (quoted), or is older than {@link MINIMUM_PULUMI}. The output is
 * captured: the npm package prints download noise on first use.
 */
export function probePulumi(
  candidate: Candidate,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): { version: string } | { problem: string } {
  const result = spawnSync(candidate.command, ["version"], {
    env,
    encoding: "utf8",
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
    shell: candidate.command.endsWith(".cmd"),
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return {
      problem:
        code === "ETIMEDOUT"
          ? `no answer to 'pulumi version' within ${Math.round(timeoutMs / 1000)} s`
          : result.error.message,
    };
  }
  if (result.status !== 0) {
    const why = lastLine(result.stderr) ?? lastLine(result.stdout);
    const how =
      result.status === null ? `was killed by ${result.signal}` : `exited with code ${result.status}`;
    return { problem: `'pulumi version' ${how}${why ? `: ${why}` : ""}` };
  }
  const printed = lastLine(result.stdout);
  if (printed === undefined) return { problem: "'pulumi version' printed nothing" };
  const version = parseVersion(printed);
  if (version === undefined)
    return { problem: `'pulumi version' printed ${quote(printed)}, which is not a version such as v3.139.0` };
  if (!versionAtLeast(version, MINIMUM_PULUMI))
    return {
      problem:
        `Pulumi ${printed} is older than ${MINIMUM_PULUMI}, the first whose engine hands a dynamic ` +
        "provider the stack config; upgrade it",
    };
  return { version: printed };
}

export interface FindOptions {
  /** For a CLI on PATH. @default 30000 */
  timeoutMs?: number;
  /** For the npm package, which may be downloading the CLI. @default 600000 */
  downloadTimeoutMs?: number;
  /** Progress notes (the npm package's first use is slow). */
  note?: (line: string) => void;
}

/** The first usable CLI, or what each place answered (one line each). */
export function findPulumi(
  root: string,
  env: NodeJS.ProcessEnv,
  options: FindOptions = {},
): { cli: PulumiCli } | { problems: string[] } {
  const problems: string[] = [];
  const candidates = pulumiCandidates(root, env);
  if (!candidates.some((c) => c.source === "path" || c.source === "env"))
    problems.push(`${SOURCE_LABELS.path}: no 'pulumi' found`);
  for (const candidate of candidates) {
    const download = candidate.source === "npm";
    if (download)
      options.note?.("Trying the 'pulumi' npm package (it downloads the Pulumi CLI on first use)...");
    const answer = probePulumi(
      candidate,
      env,
      download ? (options.downloadTimeoutMs ?? 600_000) : (options.timeoutMs ?? 30_000),
    );
    if ("version" in answer) return { cli: { ...candidate, version: answer.version } };
    problems.push(`${SOURCE_LABELS[candidate.source]} (${candidate.command}): ${answer.problem}`);
  }
  return { problems };
}
