/**
 * `npm start` (scripts/stack.ts): its failure message when no Pulumi CLI works, and the
 * whole job against a stand-in `pulumi` that records what it was asked to do. How a
 * CLI is found and judged: tests/e2e/find-pulumi.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { DEMO_CREDENTIALS } from "../../emulator";
import { PORT_FILE } from "../../scripts/demoEmulator";
import { fakeCli, NODE_DIR, tempDir } from "../helpers/fakePulumi";
import { DEMO_PASSPHRASE, EXIT, INSTALL_HINT, runStack } from "../../scripts/stack";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "dist/scripts/stack.js");

describe("npm start on a machine without the Pulumi CLI", () => {
  // A fresh clone on a machine with neither a pulumi on PATH nor Go to build one:
  // the PATH holds node and the system's tools, not Go; the cache is empty.
  it("exits non-zero with how to install the CLI, what was tried, and no stack trace", () => {
    expect(existsSync(path.join(NODE_DIR, "pulumi"))).toBe(false);
    const home = tempDir("pulumi-home");
    const PATH = [NODE_DIR, "/usr/bin", "/bin"]
      .filter((d) => !existsSync(path.join(d, "go")) && !existsSync(path.join(d, "pulumi")))
      .join(path.delimiter);
    const result = spawnSync(process.execPath, [SCRIPT, "up"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH, HOME: home, PULUMI_HOME: home },
      timeout: 60_000,
    });
    expect(result.status).toBe(EXIT.noCli);
    expect(result.stderr).toContain(INSTALL_HINT);
    expect(result.stderr).toContain("bash tools/pulumi-cli/build.sh");
    expect(result.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(result.stderr).toContain("brew install pulumi/tap/pulumi");
    expect(result.stderr).toContain("https://www.pulumi.com/docs/install/");
    expect(result.stderr).toContain("'npm test' runs the whole test suite");
    expect(result.stderr).toContain(
      "Tried:\n  PATH: no 'pulumi' found\n  the pinned build (tools/pulumi-cli): ",
    );
    expect(result.stderr).toContain("no Go toolchain on PATH");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe("");
    // It stopped before starting anything: nothing written to the home folder.
    expect(readdirSync(home)).toEqual([]);
  });

  it("rejects an unknown command with usage", () => {
    const result = spawnSync(process.execPath, [SCRIPT, "deploy"], { encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/usage: .*up\|preview\|refresh\|destroy/);
  });
});

describe("npm start with a Pulumi CLI (a stand-in that records its calls)", () => {
  /**
   * Logs each call (args, cwd, the Pulumi variables) as a JSON line. Its `up` does what
   * a first `pulumi up` of the quickstart does to the API, with the configured
   * credentials and baseUrl (through the built VoiceClient): lists the application's
   * phones and creates a group when there is none. `up` then exits with FAKE_UP_EXIT.
   */
  const recorder = fakeCli(`
const fs = require("node:fs");
const log = process.env.FAKE_LOG;
const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\\n").map(JSON.parse) : [];
const record = (extra) => fs.appendFileSync(log, JSON.stringify({ args, cwd: process.cwd(), env: {
  PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL,
  PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE,
  PULUMI_SKIP_UPDATE_CHECK: process.env.PULUMI_SKIP_UPDATE_CHECK,
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION,
}, ...extra }) + "\\n");
const config = (key) => calls.filter((c) => c.args.includes(key)).pop().args.slice(-1)[0];
async function up() {
  const { VoiceClient } = require(process.env.FAKE_PROVIDER);
  const client = new VoiceClient({
    apiKey: config("itniotech:apiKey"),
    apiSecret: config("itniotech:apiSecret"),
    baseUrl: config("itniotech:baseUrl"),
  });
  let phonesBefore = 0;
  for await (const _ of client.phones("demo-app")) phonesBefore++;
  if (phonesBefore === 0)
    await client.sipAdd({ appId: "demo-app", groupName: "office-fake", phoneName: "office-fake", quantity: 2, displayNum: "8610000000" });
  record({ phonesBefore });
  process.exit(Number(process.env.FAKE_UP_EXIT ?? 0));
}
if (args[0] === "version") console.log("v3.265.0");
else if (args[0] === "up") up().catch((e) => { record({ error: String(e) }); process.exit(9); });
else record({});
`);

  async function start(action: string, root: string, upExit = 0) {
    const log = path.join(root, "calls.jsonl");
    const lines: string[] = [];
    const code = await runStack(action, {
      root,
      env: {
        PATH: [recorder.dir, NODE_DIR].join(path.delimiter),
        FAKE_LOG: log,
        FAKE_UP_EXIT: String(upExit),
        FAKE_PROVIDER: path.join(ROOT, "dist/provider"),
      },
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
      pulumiStdout: "ignore",
    });
    const calls = (readFileSync(log, "utf8").trim().split("\n") as string[]).map(
      (l) =>
        JSON.parse(l) as { args: string[]; cwd: string; env: Record<string, string>; phonesBefore?: number },
    );
    return { code, lines, calls };
  }

  it("sets up the stack, runs pulumi up against the emulator, prints the outputs; and again", async () => {
    const root = tempDir("root");
    const baseUrls: string[] = [];
    for (const run of [1, 2]) {
      const { code, lines, calls } = await start("up", root);
      expect(code).toBe(0);
      const mine = calls.slice(run === 1 ? 0 : 6);
      const baseUrl = mine[1]?.args[3] ?? "";
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/voice$/);
      // The same address both times: the state's provider settings stay valid.
      baseUrls.push(baseUrl);
      expect(baseUrls[run - 1]).toBe(baseUrls[0]);
      expect(mine.map((c) => c.args)).toEqual([
        ["stack", "select", "--create", "dev", "--secrets-provider", "passphrase"],
        ["config", "set", "itniotech:baseUrl", baseUrl],
        ["config", "set", "itniotech:apiKey", DEMO_CREDENTIALS.apiKey],
        ["config", "set", "--secret", "itniotech:apiSecret", DEMO_CREDENTIALS.apiSecret],
        ["up", "--yes"],
        ["stack", "output"],
      ]);
      // The second run finds what the first created: the emulator's data file persists.
      expect(mine[4]?.phonesBefore).toBe(run === 1 ? 0 : 2);
      for (const call of mine) {
        expect(call.cwd).toBe(root);
        expect(call.env).toEqual({
          PULUMI_BACKEND_URL: `file://${path.join(root, ".pulumi")}`,
          PULUMI_CONFIG_PASSPHRASE: DEMO_PASSPHRASE,
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        });
      }
      expect(lines[0]).toMatch(/^Pulumi v3\.265\.0 \(PATH\); emulator at http/);
      // Stopped afterwards, its data flushed to .emulator/ for the next run.
      await expect(fetch(new URL("/_emulator/health", baseUrl))).rejects.toThrow();
      expect(existsSync(path.join(root, ".emulator", "data.json"))).toBe(true);
      expect(existsSync(path.join(root, ".pulumi"))).toBe(true);
    }
  });

  it("passes on a failed pulumi up's exit code and prints no outputs", async () => {
    const { code, calls } = await start("up", tempDir("root"), 7);
    expect(code).toBe(7);
    expect(calls.map((c) => c.args[0])).toEqual(["stack", "config", "config", "config", "up"]);
  });

  it.each([
    ["preview", ["preview"], true],
    ["refresh", ["refresh", "--yes"], true],
    ["destroy", ["destroy", "--yes"], false],
  ])("npm run %s runs pulumi %j after the same set-up", async (action, command, outputs) => {
    const { code, calls } = await start(action, tempDir("root"));
    expect(code).toBe(0);
    expect(calls.slice(4).map((c) => c.args)).toEqual([command, ...(outputs ? [["stack", "output"]] : [])]);
  });

  it("when the last run's port is taken: up moves the emulator, destroy stops and says why", async () => {
    const root = tempDir("root");
    const first = await start("up", root);
    const port = Number(new URL(first.calls[1]?.args[3] ?? "").port);
    expect(readFileSync(path.join(root, PORT_FILE), "utf8").trim()).toBe(String(port));
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    try {
      // destroy would configure the provider from the state, i.e. this port: refuse.
      const destroy = await start("destroy", root);
      expect(destroy.code).toBe(EXIT.failed);
      expect(destroy.calls).toHaveLength(first.calls.length);
      expect(destroy.lines.join("\n")).toContain(`port ${port} is in use`);

      // up runs the program, which hands the provider the new address: a note only.
      const up = await start("up", root);
      expect(up.code).toBe(0);
      const moved = Number(new URL(up.calls[first.calls.length + 1]?.args[3] ?? "").port);
      expect(moved).not.toBe(port);
      expect(up.lines.join("\n")).toContain(`Port ${port} (the last run's emulator) is in use`);
      expect(readFileSync(path.join(root, PORT_FILE), "utf8").trim()).toBe(String(moved));
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
