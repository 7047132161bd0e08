/**
 * The real Pulumi CLI, driven as a user drives it: `pulumi stack init`, `config set`,
 * `preview`, `up`, `refresh`, `destroy`, `stack export`, with a local file backend in
 * a private folder, against an emulator in this process.
 *
 * Which CLI: the one `npm start` uses (scripts/pulumiCli.ts: ITNIOTECH_PULUMI_CLI, a
 * `pulumi` on PATH, or the pinned build of tools/pulumi-cli, which `npm test` and
 * .ci/run build where there is Go). Where there is none, {@link realCliIt} reports
 * the test as skipped with the reason in its title.
 *
 * Each project runs from a copy in a temporary folder whose `node_modules` links to
 * the repository's, so the program resolves `pulumi-itniotech` exactly as in place,
 * and `Pulumi.<stack>.yaml` never lands in the working tree.
 *
 * Commands are spawned asynchronously: the emulator answers from this process's event
 * loop, which a synchronous spawn would block.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findPulumi, pulumiEnv, SOURCE_LABELS, type PulumiCli } from "../../scripts/pulumiCli";

export const ROOT = path.resolve(__dirname, "../..");

const found = findPulumi(process.env);

/** The CLI the real-CLI tests use, when there is one. */
export const REAL_CLI: PulumiCli | undefined = "cli" in found ? found.cli : undefined;

/** Why there is none, short enough for a test title. */
export const NO_CLI_REASON =
  "problems" in found
    ? `no Pulumi CLI here: ${found.problems[found.problems.length - 1] ?? "none found"}`
    : undefined;

/** `it`, titled with the CLI it runs, or `it.skip` titled with why it cannot. */
export function realCliIt(title: string, fn: () => Promise<void>, timeoutMs: number): void {
  if (REAL_CLI) it(`${title} [pulumi ${REAL_CLI.version}, ${SOURCE_LABELS[REAL_CLI.source]}]`, fn, timeoutMs);
  // Reported as skipped, not passed, where it cannot run: the count says what ran.
  else it.skip(`${title} (skipped here: ${NO_CLI_REASON ?? "no Pulumi CLI"})`, fn);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The command line, for messages. */
  command: string;
}

export interface RealStackOptions {
  /** The project folder to copy (holds Pulumi.yaml). */
  project: string;
  /** Stack config with namespaced keys. */
  config: Record<string, string>;
  /** Keys set with `--secret`. */
  secretKeys?: readonly string[];
  /** @default "test" */
  stack?: string;
  /** Extra environment for every command. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A copy of a project folder in a new temporary folder (`home/project`), its
 * node_modules a link to the repository's, and an empty `home/state` for a file backend.
 */
export function copyProject(project: string): { home: string; dir: string } {
  const home = mkdtempSync(path.join(tmpdir(), "itniotech-real-cli-"));
  const dir = path.join(home, "project");
  cpSync(project, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.pulumi|\.emulator|bin)$/.test(src),
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  mkdirSync(path.join(home, "state"));
  return { home, dir };
}

/** One stack of one project copy, with its own backend and Pulumi home. */
export class RealStack {
  /** Every command run so far, with what it printed (to scan for leaks). */
  readonly runs: RunResult[] = [];

  private constructor(
    readonly cli: PulumiCli,
    /** The project copy the commands run in. */
    readonly dir: string,
    private readonly home: string,
    /** The environment every command runs in (for a test that spawns one itself). */
    readonly environment: NodeJS.ProcessEnv,
  ) {}

  /** Copies the project, creates the stack with the passphrase provider, sets the config. */
  static async create(options: RealStackOptions): Promise<RealStack> {
    const cli = REAL_CLI;
    if (!cli) throw new Error(NO_CLI_REASON ?? "no Pulumi CLI");
    const { home, dir } = copyProject(options.project);
    const env = pulumiEnv(cli, {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
      PULUMI_HOME: path.join(home, "pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "real-cli-test-passphrase",
      // Plain, stable output to read: no colours, no progress redraws.
      PULUMI_DISABLE_CI_DETECTION: "true",
      NO_COLOR: "1",
      ...options.env,
    });
    const stack = new RealStack(cli, dir, home, env);
    await stack.ok(["stack", "init", options.stack ?? "test", "--secrets-provider", "passphrase"]);
    for (const [key, value] of Object.entries(options.config))
      await stack.ok([
        "config",
        "set",
        ...(options.secretKeys?.includes(key) ? ["--secret"] : []),
        key,
        value,
      ]);
    return stack;
  }

  /** Runs `pulumi <args>` in the project copy; resolves whatever it exits with. */
  run(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<RunResult> {
    const command = `pulumi ${args.join(" ")}`;
    return new Promise((resolve, reject) => {
      const child = spawn(this.cli.command, [...args, "--non-interactive", "--color", "never"], {
        cwd: this.dir,
        env: { ...this.environment, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("close", (code) => {
        clearTimeout(timer);
        const result = { code, stdout, stderr, command };
        this.runs.push(result);
        resolve(result);
      });
    });
  }

  /** {@link run}, failing with what it printed unless it exits 0. */
  async ok(args: readonly string[]): Promise<RunResult> {
    const result = await this.run(args);
    if (result.code !== 0)
      throw new Error(`${result.command} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** The stack's outputs, secrets revealed (`pulumi stack output --json --show-secrets`). */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.ok(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
      string,
      unknown
    >;
  }

  /** `pulumi stack export` as the user gets it (secrets encrypted): the text and its deployment. */
  async exported(): Promise<{ text: string; resources: ExportedResource[] }> {
    const text = (await this.ok(["stack", "export"])).stdout;
    const parsed = JSON.parse(text) as { deployment: { resources?: ExportedResource[] } };
    return { text, resources: parsed.deployment.resources ?? [] };
  }

  /** The resources of `pulumi stack export --show-secrets`: what the state holds, decrypted. */
  async exportedWithSecrets(): Promise<ExportedResource[]> {
    const text = (await this.ok(["stack", "export", "--show-secrets"])).stdout;
    return (
      (JSON.parse(text) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? []
    );
  }

  /** Removes the copy, the backend and the Pulumi home. */
  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  pendingReplacement?: boolean;
}

/** The API calls an emulator counted, all endpoints together. */
export function totalCalls(counters: Record<string, number>): number {
  return Object.values(counters).reduce((sum, n) => sum + n, 0);
}

/** A value of `stack export --show-secrets`: a secret comes as `{ <sig>, plaintext: JSON }`. */
export function revealExported(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "plaintext" in value)
    return JSON.parse((value as { plaintext: string }).plaintext) as unknown;
  return value;
}
