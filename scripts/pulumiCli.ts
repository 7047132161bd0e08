/**
 * Finding a Pulumi CLI that can run the demo and the real-CLI tests: where to look,
 * in which order, whether what answers is usable (a version this package supports),
 * and, where none is, building the pinned one from the Go module proxy
 * (tools/pulumi-cli/build.sh). Every problem is one line in our own words, never a
 * stack trace. This file is the one place that decides which CLI the project uses.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MINIMUM_PULUMI, parseVersion, versionAtLeast } from "../sdk/compat";

/** Where a candidate CLI came from; decisions are made on this, never on the label. */
export type CliSource = "env" | "path" | "built";

/** How each source is named to the user. */
export const SOURCE_LABELS: Record<CliSource, string> = {
  env: "ITNIOTECH_PULUMI_CLI",
  path: "PATH",
  built: "the pinned build (tools/pulumi-cli)",
};

/** A Pulumi CLI to try. */
export interface Candidate {
  command: string;
  source: CliSource;
}

export interface PulumiCli extends Candidate {
  /** As `pulumi version` printed it, e.g. `v3.276.0`. */
  version: string;
}

const EXECUTABLES = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];

/** The folder with the CLI's Go modules and its build script. */
export const TOOLS_DIR = path.join("tools", "pulumi-cli");

/** The repository this file is in (as scripts/*.ts, or compiled in dist/scripts/). */
export const REPOSITORY = [path.resolve(__dirname, ".."), path.resolve(__dirname, "../..")].find((dir) =>
  existsSync(path.join(dir, TOOLS_DIR, "go.mod")),
) as string;

/**
 * The pinned CLI: its version (the `pkg/v3` requirement of tools/pulumi-cli/go.mod,
 * the one source of it) and the folder tools/pulumi-cli/build.sh builds it into:
 * `$ITNIOTECH_PULUMI_CACHE` or `$XDG_CACHE_HOME/pulumi-itniotech` or
 * `~/.cache/pulumi-itniotech`, then `pulumi-<version>` (outside the repository, so a
 * fresh clone or `git clean` keeps it).
 */
export function pinnedCli(env: NodeJS.ProcessEnv): { version: string; dir: string; command: string } {
  const goMod = readFileSync(path.join(REPOSITORY, TOOLS_DIR, "go.mod"), "utf8");
  const version = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/m.exec(goMod)?.[1];
  if (version === undefined)
    throw new Error(`${path.join(TOOLS_DIR, "go.mod")} requires no github.com/pulumi/pulumi/pkg/v3`);
  const cacheRoot =
    env["ITNIOTECH_PULUMI_CACHE"] ||
    path.join(env["XDG_CACHE_HOME"] || path.join(env["HOME"] || os.homedir(), ".cache"), "pulumi-itniotech");
  const dir = path.join(cacheRoot, `pulumi-${version}`);
  return { version, dir, command: path.join(dir, "pulumi") };
}

/**
 * The CLIs to try, in order: `ITNIOTECH_PULUMI_CLI` alone when set; else a `pulumi`
 * on PATH (a real installation wins); else the pinned build when it is there.
 * `npm run` puts node_modules/.bin first on PATH, so PATH is searched without those
 * folders: nothing an npm package put there is taken for an installation.
 */
export function pulumiCandidates(env: NodeJS.ProcessEnv): Candidate[] {
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
  const built = pinnedCli(env).command;
  if (existsSync(built)) candidates.push({ command: built, source: "built" });
  return candidates;
}

/**
 * The environment every Pulumi command of ours runs in: the CLI's own folder first on
 * PATH (the pinned build keeps its language host and the dynamic provider's plugin
 * beside `pulumi`, where the engine looks for them), no update check, and no plugin
 * downloads (nothing here needs one; a download would only fail offline, slowly).
 */
export function pulumiEnv(cli: Candidate, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = path.dirname(cli.command);
  return {
    ...env,
    PATH: [dir, ...(env["PATH"] ?? "").split(path.delimiter).filter((d) => d !== "" && d !== dir)].join(
      path.delimiter,
    ),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

const lastLine = (text: string | null): string | undefined =>
  (text ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .pop();

/** Exit code of tools/pulumi-cli/build.sh when there is no Go toolchain. */
export const BUILD_NO_GO = 3;

/**
 * Builds the pinned CLI with tools/pulumi-cli/build.sh (instant when it is built).
 * Its progress lines go to `stderr` ("inherit": this process's stderr, live).
 * Resolves the folder, or why it could not: no Go, or the build failed
 * (its last line).
 */
export function buildPulumi(
  env: NodeJS.ProcessEnv,
  stderr: "inherit" | "pipe" = "inherit",
): { dir: string } | { problem: string } {
  const result = spawnSync("bash", [path.join(REPOSITORY, TOOLS_DIR, "build.sh")], {
    cwd: REPOSITORY,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", stderr],
  });
  if (result.error) return { problem: `bash: ${result.error.message}` };
  const why = (lastLine(result.stderr) ?? "").replace(/^pulumi-cli: /, "");
  if (result.status === BUILD_NO_GO) return { problem: why || "no Go toolchain (see above)" };
  if (result.status !== 0)
    return { problem: `${path.join(TOOLS_DIR, "build.sh")} failed${why ? `: ${why}` : ""}` };
  return { dir: lastLine(result.stdout) ?? pinnedCli(env).dir };
}

/** Quoted, and cut to one short line, for messages about what a CLI printed. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/**
 * Runs `pulumi version`. Resolves the version, or why this CLI is not usable: it did
 * not start, did not answer, failed (its last stderr line), printed something that is
 * not a version (quoted), or is older than {@link MINIMUM_PULUMI}. The output is
 * captured.
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
  /** For `pulumi version`. @default 30000 */
  timeoutMs?: number;
  /**
   * When no CLI works: build the pinned one (tools/pulumi-cli/build.sh; minutes the
   * first time, with progress on stderr) and use it. @default false
   */
  build?: boolean;
  /**
   * Where the build's progress goes: "inherit" (this process's stderr, live) or
   * "pipe" (kept, and its last line told in the problem). @default "inherit"
   */
  buildOutput?: "inherit" | "pipe";
  /** Progress notes. */
  note?: (line: string) => void;
}

/** The first usable CLI, or what each place answered (one line each). */
export function findPulumi(
  env: NodeJS.ProcessEnv,
  options: FindOptions = {},
): { cli: PulumiCli } | { problems: string[] } {
  const problems: string[] = [];
  const candidates = pulumiCandidates(env);
  if (!candidates.some((c) => c.source === "path" || c.source === "env"))
    problems.push(`${SOURCE_LABELS.path}: no 'pulumi' found`);
  const probe = (candidate: Candidate): PulumiCli | undefined => {
    const answer = probePulumi(candidate, env, options.timeoutMs ?? 30_000);
    if ("version" in answer) return { ...candidate, version: answer.version };
    problems.push(`${SOURCE_LABELS[candidate.source]} (${candidate.command}): ${answer.problem}`);
    return undefined;
  };
  for (const candidate of candidates) {
    const cli = probe(candidate);
    if (cli) return { cli };
  }
  // A CLI the user chose is the only one tried.
  if (env["ITNIOTECH_PULUMI_CLI"]) return { problems };
  if (!options.build) {
    if (!candidates.some((c) => c.source === "built"))
      problems.push(`${SOURCE_LABELS.built}: not built (bash ${path.join(TOOLS_DIR, "build.sh")} builds it)`);
    return { problems };
  }
  options.note?.(`Building the pinned Pulumi CLI ${pinnedCli(env).version} from the Go module proxy...`);
  const built = buildPulumi(env, options.buildOutput);
  if ("problem" in built) {
    problems.push(`${SOURCE_LABELS.built}: ${built.problem}`);
    return { problems };
  }
  const cli = probe({ command: path.join(built.dir, "pulumi"), source: "built" });
  return cli ? { cli } : { problems };
}

/**
 * `node dist/scripts/pulumiCli.js ensure` (run by `npm test`): builds the pinned CLI
 * where there is Go and no usable CLI, so the real-CLI tests run; never fails, since
 * without Go those tests skip and say why.
 */
if (require.main === module && process.argv[2] === "ensure") {
  const found = findPulumi(process.env, {
    build: true,
    note: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(
    "cli" in found
      ? `Pulumi CLI for the real-CLI tests: ${found.cli.version} (${SOURCE_LABELS[found.cli.source]}, ${found.cli.command})\n`
      : `No Pulumi CLI for the real-CLI tests; they will be skipped:\n  ${found.problems.join("\n  ")}\n`,
  );
}
