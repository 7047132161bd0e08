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
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { killProcessTree } from "../../scripts/processTree";
import { findPulumi, pulumiEnv, SOURCE_LABELS, type PulumiCli } from "../../scripts/pulumiCli";
import { SECRET_CONFIG_KEYS, stackConfig } from "./config";

export const ROOT = path.resolve(__dirname, "../..");

const found = findPulumi(process.env);

/** The CLI the real-CLI tests use, when there is one. */
export const REAL_CLI: PulumiCli | undefined = "cli" in found ? found.cli : undefined;

const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;

/** Why there is none, short enough for a test title. */
export const NO_CLI_REASON =
  "problems" in found
    ? hasGo
      ? `no Pulumi CLI here: ${found.problems[found.problems.length - 1] ?? "none found"}`
      : "no pulumi on PATH and no Go to build the pinned CLI (tools/pulumi-cli)"
    : undefined;

/** `it`, titled with the CLI it runs, or `it.skip` titled with why it cannot. */
export function realCliIt(title: string, fn: () => Promise<void>, timeoutMs: number): void {
  // Reported as skipped, not passed, where it cannot run: the count says what ran.
  const run = REAL_CLI ? it : it.skip;
  run(
    REAL_CLI
      ? `${title} [pulumi ${REAL_CLI.version}, ${SOURCE_LABELS[REAL_CLI.source]}]`
      : `${title} (skipped here: ${NO_CLI_REASON ?? "no Pulumi CLI"})`,
    fn,
    timeoutMs,
  );
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
  /**
   * Run in `project` itself, with its own node_modules, instead of a copy linked to
   * the repository's (the stack file lands there; the caller removes the folder).
   */
  inPlace?: boolean;
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
  const home = newHome();
  const dir = path.join(home, "project");
  cpSync(project, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.pulumi|\.emulator|bin)$/.test(src),
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { home, dir };
}

/** A new temporary folder holding an empty `state` for a file backend. */
function newHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), "itniotech-real-cli-"));
  mkdirSync(path.join(home, "state"));
  return home;
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
    const { home, dir } = options.inPlace
      ? { home: newHome(), dir: options.project }
      : copyProject(options.project);
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
      const timer = setTimeout(() => killProcessTree(child.pid!), timeoutMs);
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

/**
 * The per-test set-up of a real-CLI test file: a fresh emulator before each test
 * (`options`; `restartEmulator` for a test that needs others), and every stack
 * `createStack` made disposed after it, the emulator closed.
 */
export function realCliSession(options: Omit<EmulatorOptions, "port"> = {}) {
  const stacks: RealStack[] = [];
  const session = {
    emulator: undefined as unknown as Emulator,
    async restartEmulator(others: Omit<EmulatorOptions, "port">): Promise<Emulator> {
      await session.emulator.close();
      session.emulator = await startEmulator({ ...others, port: 0 });
      return session.emulator;
    },
    /**
     * A stack whose config points at this test's emulator with the demo credentials
     * (`config` adds to it; `apiConfig: false` leaves them out, for credentials from
     * the environment).
     */
    async createStack(
      stackOptions: Omit<RealStackOptions, "config"> & { config?: Record<string, string>; apiConfig?: false },
    ) {
      const { apiConfig, ...rest } = stackOptions;
      const created = await RealStack.create({
        ...rest,
        config: { ...(apiConfig === false ? {} : stackConfig(session.emulator.baseUrl)), ...rest.config },
        secretKeys: [...SECRET_CONFIG_KEYS, ...(rest.secretKeys ?? [])],
      });
      stacks.push(created);
      return created;
    },
    /** The live passwords of an application at the emulator, account → password. */
    live(appId = "demo-app"): Record<string, string> {
      return Object.fromEntries(session.emulator.phones(appId).map((p) => [p.account, p.password]));
    },
  };
  beforeEach(async () => {
    session.emulator = await startEmulator({ ...options, port: 0 });
  });
  afterEach(async () => {
    for (const stack of stacks.splice(0)) stack.dispose();
    await session.emulator.close();
  });
  return session;
}

/** Fails naming `where` and every one of `secrets` found in `text`. */
export function expectNoSecretsIn(text: string, secrets: readonly string[], where: string): void {
  expect({ where, found: secrets.filter((s) => s.length > 0 && text.includes(s)) }).toEqual({
    where,
    found: [],
  });
}

/** Nothing any command printed (but those asked to show secrets) holds one of `secrets`. */
export function expectNoLeaks(runs: readonly RunResult[], secrets: readonly string[]): void {
  for (const run of runs.filter((r) => !r.command.includes("--show-secrets")))
    expectNoSecretsIn(`${run.stdout}${run.stderr}`, secrets, run.command);
}
