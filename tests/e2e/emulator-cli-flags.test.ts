import { existsSync, mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "../../emulator";
import { buildEmulator } from "../helpers/emulator-build";
import { runCli, type RunningCli } from "../helpers/emulator-cli";

// The CLI as a wrapper (npm start, CI) runs it: one process per emulator.
let cliPath: string;
beforeAll(async () => {
  ({ cli: cliPath } = await buildEmulator());
});

const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "itniotech-cli-e2e-")));
const running: RunningCli[] = [];
afterAll(async () => {
  for (const cli of running) cli.child.kill("SIGKILL");
  await Promise.all(running.map((c) => c.exited));
});

function run(args: string[]): RunningCli {
  const cli = runCli(cliPath, args);
  running.push(cli);
  return cli;
}

describe("itniotech-emulator with --data", () => {
  it("creates the data file at start, and a second writer on it exits 2 naming the file and the holder", async () => {
    const data = path.join(dir, "shared", "data.json");
    const first = run(["--port", "0", "--data", data]);
    await first.baseUrl;
    expect(JSON.parse(readFileSync(data, "utf8"))).toEqual({ version: 1, phones: [] });

    const second = run(["--port", "0", "--data", data]);
    expect(await second.exited).toBe(2);
    const message = second.err().trimEnd();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain(`emulator data file ${data} is in use by process ${first.child.pid}`);
    expect(message).not.toMatch(/^\s+at /m);

    // In-process emulators (npm start's demo emulator) are refused the same way.
    await expect(startEmulator({ port: 0, dataFile: data })).rejects.toThrow(
      `is in use by process ${first.child.pid}`,
    );

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.out()).toContain(`SIGTERM: stopping; flushing ${data}`);
    expect(existsSync(`${data}.lock`)).toBe(false);
  });

  it("a writer killed with SIGKILL leaves a stale lock that the next start takes over", async () => {
    const data = path.join(dir, "killed.json");
    const first = run(["--port", "0", "--data", data]);
    await first.baseUrl;
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(`${data}.lock`)).toBe(true);
    const second = run(["--port", "0", "--data", data]);
    await second.baseUrl;
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});

describe("itniotech-emulator without --data", () => {
  it("the stop message claims no flush when there is no file", async () => {
    const cli = run(["--port", "0"]);
    await cli.baseUrl;
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.out()).toMatch(/^SIGTERM: stopping$/m);
    expect(cli.out()).not.toMatch(/flush/);
  });
});

describe("itniotech-emulator --rate-limit", () => {
  it("answers 429 beyond the limit and says so at start", async () => {
    const cli = run(["--port", "0", "--rate-limit", "2"]);
    const baseUrl = await cli.baseUrl;
    expect(cli.out()).toContain("rate limit: 2 requests per second");
    const statuses = await Promise.all(
      Array.from(
        { length: 6 },
        async () => (await fetch(`${baseUrl}/sipQuery`, { method: "POST", body: "{}" })).status,
      ),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it.each(["0", "1.5", "x", "1000001"])("--rate-limit %s exits 2 with a one-line message", async (value) => {
    const cli = run(["--port", "0", "--rate-limit", value]);
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toMatch(
      /^itniotech-emulator: --rate-limit must be a whole number from 1 to 1000000 \(see --help\)\n$/,
    );
  });
});

describe("itniotech-emulator under latency", () => {
  it("holds 20 requests at once without a MaxListenersExceededWarning (a benchmark holds 16 or more)", async () => {
    const cli = run(["--port", "0"]);
    const baseUrl = await cli.baseUrl;
    const origin = baseUrl.replace(/\/voice$/, "");
    const armed = await fetch(`${origin}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "latency", ms: 200, times: 20 }),
    });
    expect(armed.status).toBe(200);
    await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${baseUrl}/sipQuery`, { method: "POST", body: "{}" })),
    );
    const summary = (await (await fetch(`${origin}/_emulator/summary`)).json()) as { maxInFlight: number };
    expect(summary.maxInFlight).toBeGreaterThan(10);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.err()).not.toMatch(/MaxListenersExceededWarning/);
  });
});
