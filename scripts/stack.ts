/**
 * The README's main job: `npm start` (and `npm run preview | refresh | destroy`).
 * Runs a Pulumi command on the root project (examples/quickstart) against the local
 * emulator, with a local file backend and a demo passphrase: no cloud account, no
 * real API, nothing to configure. Safe to run again: the stack, its config and the
 * emulator's data file are reused.
 *
 * The Pulumi CLI is the one thing it cannot provide, so it looks for one FIRST and,
 * when none works, stops with how to install one instead of failing half-way.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../emulator";

/** The stack `npm start` creates or selects. */
export const STACK = "dev";
/** Documented in the README; protects only the demo stack's secrets on this machine. */
export const DEMO_PASSPHRASE = "itniotech-demo-passphrase";

/** The Pulumi command line of each action. */
export const ACTIONS = {
  up: ["up", "--yes"],
  preview: ["preview"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes"],
} as const satisfies Record<string, readonly string[]>;
export type Action = keyof typeof ACTIONS;

export const INSTALL_HINT = `The Pulumi CLI is needed to run this, and none works on this machine.
Install it, then run this command again:
  curl -fsSL https://get.pulumi.com | sh        (Linux, macOS)
  brew install pulumi/tap/pulumi                (macOS)
  https://www.pulumi.com/docs/install/          (Windows and everything else)
The 'pulumi' npm package in devDependencies can also fetch it on first use, when this machine can reach get.pulumi.com.
Everything else works without it: 'npm test' runs the whole test suite.`;

/** A Pulumi CLI to try, and where it was found. */
export interface Candidate {
  command: string;
  source: string;
}

export interface PulumiCli extends Candidate {
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
  if (chosen) return [{ command: chosen, source: "ITNIOTECH_PULUMI_CLI" }];
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
  if (onPath) candidates.push({ command: onPath, source: "PATH" });
  const fromNpm = EXECUTABLES.map((name) => path.join(root, "node_modules", ".bin", name)).find(existsSync);
  if (fromNpm) candidates.push({ command: fromNpm, source: "the 'pulumi' npm package" });
  return candidates;
}

/**
 * Runs `pulumi version`. Resolves the version, or why this CLI does not work — in one
 * line, never a stack trace. The output is captured: the npm package prints download
 * noise on first use, and its failure is reported in our own words.
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
  const lastLine = (text: string | null) =>
    (text ?? "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .pop();
  const version = lastLine(result.stdout);
  if (result.status === 0 && version && /^v?\d+\.\d+/.test(version)) return { version };
  return {
    problem: lastLine(result.stderr) ?? `'pulumi version' exited with ${result.status ?? result.signal}`,
  };
}

export interface FindOptions {
  /** For a CLI on PATH. @default 30000 */
  timeoutMs?: number;
  /** For the npm package, which may be downloading the CLI. @default 600000 */
  downloadTimeoutMs?: number;
  /** Progress notes (the npm package's first use is slow). */
  note?: (line: string) => void;
}

/** The first CLI that answers `pulumi version`, or what each candidate said. */
export function findPulumi(
  root: string,
  env: NodeJS.ProcessEnv,
  options: FindOptions = {},
): { cli: PulumiCli } | { problems: string[] } {
  const problems: string[] = [];
  const candidates = pulumiCandidates(root, env);
  if (!candidates.some((c) => c.source === "PATH") && !env["ITNIOTECH_PULUMI_CLI"])
    problems.push("PATH: no 'pulumi' found");
  for (const candidate of candidates) {
    const npm = candidate.source.includes("npm");
    if (npm) options.note?.("Trying the 'pulumi' npm package (it downloads the Pulumi CLI on first use)...");
    const answer = probePulumi(
      candidate,
      env,
      npm ? (options.downloadTimeoutMs ?? 600_000) : (options.timeoutMs ?? 30_000),
    );
    if ("version" in answer) return { cli: { ...candidate, version: answer.version } };
    problems.push(`${candidate.source} (${candidate.command}): ${answer.problem}`);
  }
  return { problems };
}

/**
 * The Pulumi environment of the demo: state in `<root>/.pulumi` (no login, no
 * account, nothing global changed), the demo passphrase unless the user has their
 * own, and no update check.
 */
export function stackEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const ownPassphrase =
    env["PULUMI_CONFIG_PASSPHRASE"] !== undefined || env["PULUMI_CONFIG_PASSPHRASE_FILE"] !== undefined;
  return {
    ...env,
    PULUMI_BACKEND_URL: `file://${path.join(root, ".pulumi")}`,
    ...(ownPassphrase ? {} : { PULUMI_CONFIG_PASSPHRASE: DEMO_PASSPHRASE }),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/** Select (or create) the stack and point it at the emulator; each step is idempotent. */
export function setupSteps(baseUrl: string): string[][] {
  return [
    ["stack", "select", "--create", STACK, "--secrets-provider", "passphrase"],
    ["config", "set", "itniotech:baseUrl", baseUrl],
    ["config", "set", "itniotech:apiKey", DEMO_CREDENTIALS.apiKey],
    ["config", "set", "--secret", "itniotech:apiSecret", DEMO_CREDENTIALS.apiSecret],
  ];
}

/** The demo emulator's port, kept beside its data file (`.emulator/`). */
export const PORT_FILE = path.join(".emulator", "port");

/** The port the demo emulator used last time, if it recorded one. */
export function recordedPort(root: string): number | undefined {
  try {
    const port = Number(readFileSync(path.join(root, PORT_FILE), "utf8").trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the demo emulator with its data file, on the port of the last run when it
 * can. For a dynamic provider the engine records the whole stack config, baseUrl
 * included, as the provider's inputs in the state, and `pulumi refresh` and
 * `pulumi destroy` configure the provider from the state rather than from the
 * current config: on another port they would call an emulator that is gone. A
 * stable port also keeps a repeated `npm start` free of a provider-config change.
 * `up` and `preview` run the program, which hands the provider the new address,
 * so for them another port is only a note; for refresh and destroy it is an error.
 */
export async function startDemoEmulator(
  root: string,
  action: Action,
  note: (line: string) => void,
): Promise<Emulator> {
  const dataFile = path.join(root, ".emulator", "data.json");
  const port = recordedPort(root);
  if (port !== undefined) {
    try {
      return await startEmulator({ port, dataFile });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
      const where = `http://127.0.0.1:${port}/voice`;
      if (action === "refresh" || action === "destroy") {
        throw new Error(
          `port ${port} is in use. The dev stack's state calls the emulator at ${where} ` +
            `(pulumi ${action} uses the provider settings of the last update); free that port and run this again.`,
          { cause: e },
        );
      }
      note(`Port ${port} (the last run's emulator) is in use; the emulator takes another one this time.`);
    }
  }
  const emulator = await startEmulator({ port: 0, dataFile });
  if (action === "up") writeFileSync(path.join(root, PORT_FILE), `${new URL(emulator.url).port}\n`);
  return emulator;
}

export interface RunOptions {
  /** The repository: Pulumi.yaml, node_modules, and where .pulumi/ and .emulator/ go. */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Where our own lines go. @default process.stdout / process.stderr */
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** "ignore" silences the Pulumi commands' stdout too (tests). @default "inherit" */
  pulumiStdout?: "inherit" | "ignore";
  find?: FindOptions;
}

/**
 * The main job. Resolves the exit code: 0, Pulumi's own, 2 for a bad action, 3 when
 * no Pulumi CLI works, 130 when interrupted.
 */
export async function runStack(action: string, options: RunOptions): Promise<number> {
  const { root } = options;
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!Object.hasOwn(ACTIONS, action)) {
    err(`usage: node dist/scripts/stack.js <${Object.keys(ACTIONS).join("|")}>`);
    return 2;
  }
  const found = findPulumi(root, env, { note: err, ...options.find });
  if (!("cli" in found)) {
    err(`${INSTALL_HINT}\n\nTried:\n  ${found.problems.join("\n  ") || "nothing"}`);
    return 3;
  }
  const { cli } = found;
  mkdirSync(path.join(root, ".pulumi"), { recursive: true });
  let emulator: Emulator;
  try {
    emulator = await startDemoEmulator(root, action as Action, err);
  } catch (e) {
    err(`The emulator could not start: ${e instanceof Error ? e.message : String(e)}`);
    err("Its data is in .emulator/; delete that folder (and .pulumi/) to start the demo afresh.");
    return 1;
  }
  const childEnv = stackEnv(root, env);

  // Ctrl-C reaches the Pulumi child too (same process group), which cancels cleanly;
  // we only stop starting new steps. SIGTERM is ours alone, so it is passed on.
  let interrupted = false;
  let current: ReturnType<typeof spawn> | undefined;
  const onSigint = () => void (interrupted = true);
  const onSigterm = () => {
    interrupted = true;
    current?.kill("SIGTERM");
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);

  const run = (args: readonly string[], quiet: boolean): Promise<number> =>
    new Promise((resolve) => {
      const child = spawn(cli.command, args, {
        cwd: root,
        env: childEnv,
        stdio: ["inherit", quiet || options.pulumiStdout === "ignore" ? "ignore" : "inherit", "inherit"],
        shell: cli.command.endsWith(".cmd"),
      });
      current = child;
      child.once("error", (e) => {
        err(`${cli.command}: ${e.message}`);
        resolve(1);
      });
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    });

  try {
    out(
      `Pulumi ${cli.version} (${cli.source}); emulator at ${emulator.baseUrl}; stack '${STACK}', state in .pulumi/`,
    );
    for (const step of setupSteps(emulator.baseUrl)) {
      const code = await run(step, true);
      if (code !== 0) return code;
      if (interrupted) return 130;
    }
    const code = await run(ACTIONS[action as Action], false);
    if (interrupted) return 130;
    if (code === 0 && action !== "destroy") await run(["stack", "output"], false);
    return code;
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigterm);
    await emulator.close();
  }
}

if (require.main === module) {
  runStack(process.argv[2] ?? "up", { root: path.resolve(__dirname, "../..") }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // Nothing above should throw; if it does, one line, not a stack trace.
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
