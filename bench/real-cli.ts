/**
 * `node dist/bench/real-cli.js [--groups N] [--parallel default,8,32] [--latency-ms L]
 * [--timeout-s S] [--keep]`:
 * the provider through the REAL Pulumi CLI (scripts/pulumiCli.ts: ITNIOTECH_PULUMI_CLI,
 * a `pulumi` on PATH, or the pinned build of tools/pulumi-cli), as a user runs it.
 *
 * A generated TypeScript program declares N SipPhoneGroup resources (default 100, 5
 * phones each, appId "bench-app", displayNum "8610000000", auto-named). For each
 * `--parallel` value (`default` = the flag left out: the CLI's own default, printed),
 * a fresh emulator (in this process, on 127.0.0.1; `--latency-ms` adds a latency fault
 * to every API call, default none) and a fresh stack (file
 * backend and Pulumi home in a temporary folder) run, each with that `--parallel`:
 *
 *   pulumi up --yes --skip-preview, pulumi preview --expect-no-changes,
 *   pulumi destroy --yes --skip-preview
 *
 * Per command: wall time from spawn to exit, the emulator's API calls per endpoint
 * (counters reset before each command), its in-flight high-water mark
 * (`summary().maxInFlight`) and the 1-minute load average when it ended. Prints a
 * markdown table; asserts only that each command succeeded and that the platform
 * holds what it should (timings are not tests).
 *
 * Bounds: every command is killed (SIGKILL to the CLI, its process group and every
 * process below it: the CLI starts its language host and provider host in groups of
 * their own) when it outlives `--timeout-s` (default 600), which fails the benchmark
 * with a message naming the command; Ctrl-C does the same to what is running.
 * Traffic: the file backend, no update check, no plugin download, and the stack's
 * `itniotech:baseUrl` is the emulator's loopback address; PULUMI_* and ITNIOTECH_*
 * variables of the caller are not passed on (except ITNIOTECH_CONCURRENCY, printed).
 *
 * Commands are spawned asynchronously: the emulator answers from this process's event
 * loop, which a synchronous spawn would block.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../emulator";
import { ENDPOINTS, type Endpoint } from "../protocol/types";
import { DEFAULT_CONCURRENCY } from "../provider/config";
import { findPulumi, pulumiEnv, REPOSITORY, SOURCE_LABELS, type PulumiCli } from "../scripts/pulumiCli";
import { killProcessTree } from "../scripts/processTree";

const APP = "bench-app";
const QUANTITY = 5;
const DISPLAY_NUM = "8610000000";
const USAGE =
  "usage: node dist/bench/real-cli.js [--groups N] [--parallel default,8,32] [--latency-ms L] [--timeout-s S] [--keep]";

interface Options {
  groups: number;
  /** `undefined` = the flag left out. */
  parallel: Array<number | undefined>;
  timeoutMs: number;
  latencyMs: number;
  keep: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    groups: 100,
    parallel: [undefined, 8, 32],
    timeoutMs: 600_000,
    latencyMs: 0,
    keep: false,
  };
  const whole = (flag: string, text: string | undefined, min: number, max: number): number => {
    const n = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || n < min || n > max)
      throw new UsageError(`${flag} takes a whole number from ${min} to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === "--keep") options.keep = true;
    else if (flag === "--groups") options.groups = whole(flag, argv[++i], 1, 2000);
    else if (flag === "--latency-ms") options.latencyMs = whole(flag, argv[++i], 0, 10_000);
    else if (flag === "--timeout-s") options.timeoutMs = whole(flag, argv[++i], 1, 7200) * 1000;
    else if (flag === "--parallel") {
      const list = argv[++i];
      if (list === undefined || list === "")
        throw new UsageError("--parallel takes a list such as default,8,32");
      options.parallel = list
        .split(",")
        .map((p) => (p.trim() === "default" ? undefined : whole("--parallel", p.trim(), 1, 10_000)));
    } else throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
  }
  return options;
}

/** The generated program: N groups declared in a loop, nothing exported (no secret to print). */
function program(groups: number): string {
  return [
    'import { SipPhoneGroup } from "pulumi-itniotech";',
    "",
    `for (let i = 0; i < ${groups}; i++) {`,
    '  new SipPhoneGroup(`group-${String(i).padStart(4, "0")}`, {',
    `    appId: ${JSON.stringify(APP)},`,
    `    quantity: ${QUANTITY},`,
    `    displayNum: ${JSON.stringify(DISPLAY_NUM)},`,
    "  });",
    "}",
    "",
  ].join("\n");
}

/** A project like examples/quickstart in `home/project`, node_modules a link to the repository's. */
function writeProject(home: string, groups: number): string {
  const dir = path.join(home, "project");
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: itniotech-bench-real-cli\ndescription: N SIP phone groups\nruntime:\n  name: nodejs\n",
  );
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "itniotech-bench-real-cli", private: true, main: "index.ts" }, null, 2),
  );
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "commonjs",
          moduleResolution: "node10",
          esModuleInterop: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["*.ts"],
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, "index.ts"), program(groups));
  symlinkSync(path.join(REPOSITORY, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The caller's environment without anything that could point Pulumi or the provider elsewhere. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        key === "ITNIOTECH_CONCURRENCY" || !(key.startsWith("PULUMI_") || key.startsWith("ITNIOTECH_")),
    ),
  );
}

/** Commands still running: killed, with what they started, on a timeout, Ctrl-C or a failure. */
const running = new Set<ChildProcess>();

/** SIGKILL to a command and every process it started (../scripts/processTree.ts). */
function killTree(child: ChildProcess): void {
  if (child.pid !== undefined) killProcessTree(child.pid);
}

interface Done {
  ms: number;
  stdout: string;
}

/** The last lines of a command's output, for a failure message. */
function tail(text: string, lines = 25): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Runs `pulumi <args>` in its own process group; resolves its wall time and output
 * when it exits 0, rejects with what it printed otherwise or when it outlives the
 * timeout (then it and every process below it are killed: {@link killTree}).
 */
function pulumi(cli: PulumiCli, cwd: string, env: NodeJS.ProcessEnv, args: string[], timeoutMs: number) {
  const command = `pulumi ${args.join(" ")}`;
  return new Promise<Done>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cli.command, [...args, "--non-interactive", "--color", "never"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
      // Should anything that escaped still hold the output pipes open, stop waiting for them.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 10_000).unref();
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      running.delete(child);
    };
    child.once("error", (e) => {
      finish();
      reject(new Error(`${command}: could not start ${cli.command}: ${e.message}`));
    });
    child.once("close", (code, signal) => {
      finish();
      const ms = performance.now() - started;
      const printed = `${tail(stdout)}\n${tail(stderr, 10)}`.trim();
      if (timedOut)
        reject(
          new Error(
            `${command} did not finish within ${timeoutMs / 1000} s (--timeout-s); killed it and every process it started. ` +
              `Last output:\n${printed}`,
          ),
        );
      else if (code !== 0)
        reject(
          new Error(
            `${command} ${code === null ? `was killed by ${signal}` : `exited ${code}`}:\n${printed}`,
          ),
        );
      else resolve({ ms, stdout });
    });
  });
}

interface Row {
  parallel: string;
  command: string;
  ms: number;
  counters: Record<Endpoint, number>;
  maxInFlight: number;
  load: number;
  /** What the CLI's summary said changed, e.g. "101 created". */
  changes: string;
}

function changesOf(stdout: string): string {
  const counts = [...stdout.matchAll(/^\s+[-+~]?\s*(\d+) (created|deleted|updated|replaced|unchanged)$/gm)];
  const kinds = counts.map((m) => `${m[1]} ${m[2]}`);
  return kinds.length > 0 ? kinds.join(", ") : /no changes/i.test(stdout) ? "no changes" : "?";
}

/** The CLI's own `--parallel` default, as its help prints it (4 × GOMAXPROCS unless PULUMI_PARALLEL). */
function defaultParallel(cli: PulumiCli, env: NodeJS.ProcessEnv): string {
  const help = spawnSync(cli.command, ["up", "--help"], { env, encoding: "utf8", timeout: 30_000 });
  return /--parallel int32 .*\(default (\d+)\)/.exec(help.stdout ?? "")?.[1] ?? "?";
}

async function runOne(
  cli: PulumiCli,
  dir: string,
  env: NodeJS.ProcessEnv,
  options: Options,
  parallel: number | undefined,
): Promise<Row[]> {
  const label = parallel === undefined ? "default" : String(parallel);
  const flag = parallel === undefined ? [] : ["--parallel", String(parallel)];
  const stack = `p-${label}`;
  const emulator: Emulator = await startEmulator({ port: 0, host: "127.0.0.1" });
  if (options.latencyMs > 0) emulator.inject({ kind: "latency", ms: options.latencyMs });
  const rows: Row[] = [];
  try {
    const run = (args: string[]) => pulumi(cli, dir, env, [...args, "--stack", stack], options.timeoutMs);
    await pulumi(
      cli,
      dir,
      env,
      ["stack", "init", stack, "--secrets-provider", "passphrase"],
      options.timeoutMs,
    );
    await run(["config", "set", "itniotech:apiKey", DEMO_CREDENTIALS.apiKey]);
    await run(["config", "set", "--secret", "itniotech:apiSecret", DEMO_CREDENTIALS.apiSecret]);
    await run(["config", "set", "itniotech:baseUrl", emulator.baseUrl]);

    const measure = async (command: string, args: string[]): Promise<Done> => {
      emulator.resetCounters();
      const done = await run(args);
      const summary = emulator.summary();
      rows.push({
        parallel: label,
        command,
        ms: done.ms,
        counters: summary.counters,
        maxInFlight: summary.maxInFlight,
        load: loadavg()[0] as number,
        changes: changesOf(done.stdout),
      });
      return done;
    };

    await measure("up", ["up", "--yes", "--skip-preview", ...flag]);
    const groups = emulator.groups(APP);
    const phones = emulator.phones(APP).length;
    if (groups.length !== options.groups || phones !== options.groups * QUANTITY)
      throw new Error(
        `after pulumi up (--parallel ${label}) the emulator holds ${groups.length} groups and ${phones} phones, ` +
          `not ${options.groups} and ${options.groups * QUANTITY}`,
      );
    await measure("preview --expect-no-changes", ["preview", "--expect-no-changes", ...flag]);
    await measure("destroy", ["destroy", "--yes", "--skip-preview", ...flag]);
    return rows;
  } finally {
    await emulator.close();
  }
}

function table(rows: Row[]): string {
  const head =
    "| --parallel | command                     | wall ms | sipAdd | sipQuery | sipReset | calls | max in flight | load | CLI summary |";
  const rule =
    "| ---------- | --------------------------- | ------: | -----: | -------: | -------: | ----: | ------------: | ---: | ----------- |";
  const lines = rows.map((r) => {
    const calls = ENDPOINTS.reduce((sum, e) => sum + r.counters[e], 0);
    return (
      `| ${r.parallel.padEnd(10)} | ${r.command.padEnd(27)} | ${r.ms.toFixed(0).padStart(7)} | ` +
      `${String(r.counters.sipAdd).padStart(6)} | ${String(r.counters.sipQuery).padStart(8)} | ` +
      `${String(r.counters.sipReset).padStart(8)} | ${String(calls).padStart(5)} | ` +
      `${String(r.maxInFlight).padStart(13)} | ${r.load.toFixed(2).padStart(4)} | ${r.changes} |`
    );
  });
  return [head, rule, ...lines].join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const found = findPulumi(process.env);
  if (!("cli" in found))
    throw new Error(
      `no Pulumi CLI to run (npm run pulumi-cli builds the pinned one):\n  ${found.problems.join("\n  ")}`,
    );
  const { cli } = found;
  const home = mkdtempSync(path.join(tmpdir(), "itniotech-bench-real-cli-"));
  const stop = (signal: NodeJS.Signals) => {
    for (const child of running) killTree(child);
    if (!options.keep) rmSync(home, { recursive: true, force: true });
    console.error(`\n${signal}: stopped`);
    process.exit(130);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const started = performance.now();
  const loadBefore = loadavg().map((l) => l.toFixed(2));
  try {
    mkdirSync(path.join(home, "state"));
    const dir = writeProject(home, options.groups);
    const env = pulumiEnv(cli, {
      ...cleanEnv(),
      PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
      PULUMI_HOME: path.join(home, "pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "real-cli-bench-passphrase",
      PULUMI_DISABLE_CI_DETECTION: "true",
      NO_COLOR: "1",
    });
    const byDefault = defaultParallel(cli, env);
    const rows: Row[] = [];
    for (const parallel of options.parallel) {
      console.error(`--parallel ${parallel ?? `default (${byDefault})`}: up, preview, destroy...`);
      rows.push(...(await runOne(cli, dir, env, options, parallel)));
    }
    const concurrency = process.env["ITNIOTECH_CONCURRENCY"] ?? `${DEFAULT_CONCURRENCY} (default)`;
    console.log(
      [
        `pulumi ${cli.version} (${SOURCE_LABELS[cli.source]}), real CLI: ${options.groups} SipPhoneGroup ` +
          `× ${QUANTITY} phones (${options.groups * QUANTITY} phones), appId ${APP}, one program, file backend;`,
        `emulator in this process on 127.0.0.1, ${options.latencyMs > 0 ? `${options.latencyMs} ms latency per call` : "no latency"}, fresh emulator and stack per --parallel value; ` +
          `the same --parallel for all three commands; default = flag left out (here ${byDefault} = 4 × GOMAXPROCS);`,
        `itniotech:concurrency ${concurrency}; Node.js ${process.version}, ${cpus().length} CPUs; ` +
          `load average ${loadBefore.join(" ")} at the start, ${loadavg()
            .map((l) => l.toFixed(2))
            .join(" ")} at the end; ` +
          `wall = spawn to exit (CLI, language host, ts-node, provider host); ` +
          `calls and max in flight = the emulator's, reset before each command`,
        "",
        table(rows),
        "",
        `total ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ].join("\n"),
    );
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    for (const child of running) killTree(child);
    if (options.keep) console.error(`kept ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`${e.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(`bench/real-cli: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
