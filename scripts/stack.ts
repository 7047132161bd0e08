/**
 * The README's main job: `npm start` (and `npm run preview | refresh | destroy`).
 * Runs a Pulumi command on the root project (examples/quickstart) against the local
 * emulator, with a local file backend and a demo passphrase: no cloud account, no
 * real API, nothing to configure. Safe to run again: the stack, its config and the
 * emulator's data file are reused.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DEMO_CREDENTIALS, startEmulator } from "../emulator";

const ROOT = path.resolve(__dirname, "../..");
const STACK = "dev";
/** Documented in the README; protects only the demo stack's secrets on this machine. */
export const DEMO_PASSPHRASE = "itniotech-demo-passphrase";

const COMMANDS: Record<string, string[]> = {
  up: ["up", "--yes"],
  preview: ["preview"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes"],
};

export const INSTALL_HINT = `The Pulumi CLI is needed to run this, and none works on this machine.
Install it, then run this command again:
  curl -fsSL https://get.pulumi.com | sh        (Linux, macOS)
  brew install pulumi/tap/pulumi                (macOS)
  https://www.pulumi.com/docs/install/          (everything else)
The 'pulumi' npm package in devDependencies can also fetch it on first use, when this machine can reach get.pulumi.com.
Everything else works without it: 'npm test' runs the whole test suite.`;

/**
 * A Pulumi CLI that answers `pulumi version`: `ITNIOTECH_PULUMI_CLI` when set, else
 * from PATH, else the `pulumi` npm package (which downloads the CLI on first use).
 */
export function findPulumi(
  env: NodeJS.ProcessEnv = process.env,
): { command: string; version: string } | undefined {
  const chosen = env["ITNIOTECH_PULUMI_CLI"];
  const candidates = chosen ? [chosen] : ["pulumi", path.join(ROOT, "node_modules", ".bin", "pulumi")];
  for (const command of candidates) {
    if (command.includes(path.sep) && !existsSync(command)) continue;
    const result = spawnSync(command, ["version"], {
      env,
      encoding: "utf8",
      timeout: 120_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const version = result.stdout?.trim();
    if (result.status === 0 && version) return { command, version };
  }
  return undefined;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, quiet = false): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    });
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

async function main(action: string): Promise<number> {
  const args = COMMANDS[action];
  if (!args) {
    process.stderr.write(`usage: node dist/scripts/stack.js <${Object.keys(COMMANDS).join("|")}>\n`);
    return 2;
  }
  const cli = findPulumi();
  if (!cli) {
    process.stderr.write(`${INSTALL_HINT}\n`);
    return 3;
  }
  const backend = path.join(ROOT, ".pulumi");
  mkdirSync(backend, { recursive: true });
  const emulator = await startEmulator({ port: 0, dataFile: path.join(ROOT, ".emulator", "data.json") });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: process.env["PULUMI_CONFIG_PASSPHRASE"] ?? DEMO_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const stopEmulator = () => void emulator.close();
  process.once("SIGINT", stopEmulator);
  process.once("SIGTERM", stopEmulator);
  try {
    process.stdout.write(
      `Pulumi ${cli.version}; emulator at ${emulator.baseUrl}; state in ${backend}; stack '${STACK}'\n`,
    );
    const steps: string[][] = [
      ["stack", "select", "--create", STACK, "--secrets-provider", "passphrase"],
      ["config", "set", "itniotech:baseUrl", emulator.baseUrl],
      ["config", "set", "itniotech:apiKey", DEMO_CREDENTIALS.apiKey],
      ["config", "set", "--secret", "itniotech:apiSecret", DEMO_CREDENTIALS.apiSecret],
    ];
    for (const step of steps) {
      const code = await run(cli.command, step, env, true);
      if (code !== 0) return code;
    }
    const code = await run(cli.command, args, env);
    if (code === 0 && action !== "destroy") await run(cli.command, ["stack", "output"], env);
    return code;
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? "up").then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
