/**
 * The README's main job: `npm start` (and `npm run preview | refresh | destroy`).
 * Runs a Pulumi command on the root project (examples/quickstart) against the local
 * emulator, with a local file backend and a demo passphrase: no cloud account, no
 * real API, nothing to configure. Safe to run again: the stack, its config and the
 * emulator's data file are reused.
 *
 * It finds a Pulumi CLI FIRST (./pulumiCli.ts): one on PATH, else the pinned build,
 * built from the Go module proxy on first use (minutes, with progress); where none
 * can be had it stops with how to install one instead of failing half-way. The
 * emulator is ./demoEmulator.ts.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DEMO_CREDENTIALS, type Emulator } from "../emulator";
import { MINIMUM_PULUMI } from "../sdk/compat";
import { PortTakenError, startDemoEmulator } from "./demoEmulator";
import { findPulumi, pulumiEnv, SOURCE_LABELS, type FindOptions } from "./pulumiCli";

/** The stack `npm start` creates or selects. */
export const STACK = "dev";
/** Documented in the README; protects only the demo stack's secrets on this machine. */
export const DEMO_PASSPHRASE = "itniotech-demo-passphrase";

/** The exit codes of the main job, besides a Pulumi command's own. */
export const EXIT = {
  ok: 0,
  /** The emulator could not start, or a Pulumi command could not be spawned. */
  failed: 1,
  /** Unknown command. */
  usage: 2,
  /** No usable Pulumi CLI. */
  noCli: 3,
  /** Ctrl-C or SIGTERM. */
  interrupted: 130,
} as const;

/** The Pulumi command line of each action, and whether it runs the program. */
export const ACTIONS = {
  up: { args: ["up", "--yes"], runsProgram: true },
  preview: { args: ["preview"], runsProgram: true },
  refresh: { args: ["refresh", "--yes"], runsProgram: false },
  destroy: { args: ["destroy", "--yes"], runsProgram: false },
} as const satisfies Record<string, { args: readonly string[]; runsProgram: boolean }>;
export type Action = keyof typeof ACTIONS;

const isAction = (name: string): name is Action => Object.hasOwn(ACTIONS, name);

export const INSTALL_HINT = `The Pulumi CLI (${MINIMUM_PULUMI} or later) is needed to run this, and none works on this machine.
With Go 1.26 or later and the Go module proxy, this command builds the pinned CLI itself
(bash tools/pulumi-cli/build.sh); otherwise install it, then run this command again:
  curl -fsSL https://get.pulumi.com | sh        (Linux, macOS)
  brew install pulumi/tap/pulumi                (macOS)
  https://www.pulumi.com/docs/install/          (Windows and everything else)
Everything else works without it: 'npm test' runs the whole test suite.`;

/**
 * The Pulumi environment of the demo: state in `<root>/.pulumi` (no login, no
 * account, nothing global changed), the demo passphrase unless the user has their
 * own, no update check and no plugin downloads (./pulumiCli.ts's pulumiEnv).
 */
export function stackEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const ownPassphrase =
    env["PULUMI_CONFIG_PASSPHRASE"] !== undefined || env["PULUMI_CONFIG_PASSPHRASE_FILE"] !== undefined;
  return {
    ...env,
    PULUMI_BACKEND_URL: `file://${path.join(root, ".pulumi")}`,
    ...(ownPassphrase ? {} : { PULUMI_CONFIG_PASSPHRASE: DEMO_PASSPHRASE }),
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

/** The main job. Resolves an {@link EXIT} code or the failed Pulumi command's own. */
export async function runStack(actionName: string, options: RunOptions): Promise<number> {
  const { root } = options;
  const env = options.env ?? process.env;
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!isAction(actionName)) {
    err(`usage: node dist/scripts/stack.js <${Object.keys(ACTIONS).join("|")}>`);
    return EXIT.usage;
  }
  const action = ACTIONS[actionName];
  const found = findPulumi(env, { build: true, note: err, ...options.find });
  if (!("cli" in found)) {
    err(`${INSTALL_HINT}\n\nTried:\n  ${found.problems.join("\n  ") || "nothing"}`);
    return EXIT.noCli;
  }
  const { cli } = found;
  mkdirSync(path.join(root, ".pulumi"), { recursive: true });
  let emulator: Emulator;
  try {
    emulator = await startDemoEmulator(root, {
      runsProgram: action.runsProgram,
      recordPort: actionName === "up",
      command: actionName,
      note: err,
    });
  } catch (e) {
    if (e instanceof PortTakenError) {
      err(e.message);
    } else {
      err(`The emulator could not start: ${e instanceof Error ? e.message : String(e)}`);
      err("Its data is in .emulator/; delete that folder (and .pulumi/) to start the demo afresh.");
    }
    return EXIT.failed;
  }
  const childEnv = pulumiEnv(cli, stackEnv(root, env));

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
        resolve(EXIT.failed);
      });
      child.once("exit", (code, signal) => resolve(code ?? (signal ? EXIT.interrupted : EXIT.failed)));
    });

  try {
    out(
      `Pulumi ${cli.version} (${SOURCE_LABELS[cli.source]}); emulator at ${emulator.baseUrl}; stack '${STACK}', state in .pulumi/`,
    );
    for (const step of setupSteps(emulator.baseUrl)) {
      const code = await run(step, true);
      if (code !== EXIT.ok) return code;
      if (interrupted) return EXIT.interrupted;
    }
    const code = await run(action.args, false);
    if (interrupted) return EXIT.interrupted;
    if (code === EXIT.ok && actionName !== "destroy") await run(["stack", "output"], false);
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
      process.exit(EXIT.failed);
    },
  );
}
