import { spawn } from "node:child_process";
import path from "node:path";
import { VoiceClient } from "../../provider/client";

const CLI = path.resolve(__dirname, "../../dist/emulator/cli.js");

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("itniotech-emulator CLI", () => {
  it("prints its base URL, serves signed calls, and stops cleanly on SIGTERM", async () => {
    const cli = run(["--port", "0", "--api-key", "cli-key", "--api-secret", "cli-secret-value"]);
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no baseUrl line: ${cli.out()} ${cli.err()}`)), 10_000);
      cli.child.stdout.on("data", () => {
        const match = /^baseUrl: (\S+)$/m.exec(cli.out());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const client = new VoiceClient({ apiKey: "cli-key", apiSecret: "cli-secret-value", baseUrl });
    await expect(client.sipQuery({ appId: "cli", current: 1, size: 1 })).resolves.toMatchObject({ total: 0 });
    // A user-given secret is never printed.
    expect(cli.out()).not.toContain("cli-secret-value");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it.each([
    [["--port", "http"], /--port must be a whole number/],
    [["--api-key", "only-key"], /go together/],
    [["--bogus"], /Unknown option/],
  ])("%j exits 2 with a message and no stack trace", async (args, message) => {
    const cli = run(args);
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toMatch(message);
    expect(cli.err()).not.toMatch(/^\s+at /m);
  });
});
