import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CREDENTIALS } from "../../emulator";
import { VoiceClient } from "../../provider/client";
import { buildEmulator } from "../helpers/emulator-build";
import { runCli } from "../helpers/emulator-cli";

let cliPath: string;
beforeAll(async () => {
  ({ cli: cliPath } = await buildEmulator());
});

const dir = mkdtempSync(path.join(tmpdir(), "itniotech-cli-"));

const run = (args: string[]) => runCli(cliPath, args);

describe("itniotech-emulator CLI", () => {
  it("prints its base URL and a masked secret, serves signed calls, and stops cleanly on SIGTERM", async () => {
    const cli = run(["--port", "0", "--api-key", "cli-key", "--api-secret", "cli-secret-value"]);
    const baseUrl = await cli.baseUrl;
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/voice$/);
    const client = new VoiceClient({ apiKey: "cli-key", apiSecret: "cli-secret-value", baseUrl });
    await expect(client.sipQuery({ appId: "cli", current: 1, size: 1 })).resolves.toMatchObject({ total: 0 });
    // Only the given pair is accepted: the demo pair is not.
    const demo = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl, maxAttempts: 1 });
    await expect(demo.sipQuery({ appId: "cli", current: 1, size: 1 })).rejects.toMatchObject({ code: "-1" });
    expect(cli.out()).toContain("apiKey: cli-key");
    expect(cli.out()).not.toContain("cli-secret-value");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it("--credential adds another account that owns its applications; its secret is masked", async () => {
    const cli = run(["--port", "0", "--credential", "emea-key:emea-secret-value:emea-app"]);
    const baseUrl = await cli.baseUrl;
    const emea = new VoiceClient({ apiKey: "emea-key", apiSecret: "emea-secret-value", baseUrl });
    const demo = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl });
    await emea.sipAdd({
      appId: "emea-app",
      groupName: "emea-desk",
      phoneName: "emeadesk",
      quantity: 1,
      displayNum: "4420000000",
    });
    await expect(emea.sipQuery({ appId: "emea-app", current: 1, size: 10 })).resolves.toMatchObject({
      total: 1,
    });
    // The demo pair (still accepted) does not see the other account's application.
    await expect(demo.sipQuery({ appId: "emea-app", current: 1, size: 10 })).resolves.toMatchObject({
      total: 0,
    });
    expect(cli.out()).toContain("credential: emea-key / em*************** (owns emea-app)");
    expect(cli.out()).not.toContain("emea-secret-value");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it("prints the demo pair in full when no pair is given", async () => {
    const cli = run(["--port", "0"]);
    await cli.baseUrl;
    expect(cli.out()).toContain(`apiKey: ${DEMO_CREDENTIALS.apiKey}`);
    expect(cli.out()).toContain(`apiSecret: ${DEMO_CREDENTIALS.apiSecret}`);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
  });

  it("keeps state in --data across a SIGTERM and a restart, and applies --max-phones", async () => {
    const data = path.join(dir, "state", "data.json");
    const first = run(["--port", "0", "--data", data, "--max-phones", "3"]);
    const client = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: await first.baseUrl, maxAttempts: 1 });
    const group = { appId: "cli", groupName: "cli-group", phoneName: "cliphone", displayNum: "8610000000" };
    await client.sipAdd({ ...group, quantity: 3 });
    await expect(
      client.sipAdd({ ...group, groupName: "one-more", phoneName: "onemore", quantity: 1 }),
    ).rejects.toMatchObject({ code: "-23" });
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const saved = JSON.parse(readFileSync(data, "utf8")) as { phones: Array<{ account: string }> };
    expect(saved.phones.map((p) => p.account)).toEqual(["cliphone_001", "cliphone_002", "cliphone_003"]);

    const second = run(["--port", "0", "--data", data]);
    const again = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: await second.baseUrl, maxAttempts: 1 });
    await expect(again.sipQuery({ appId: "cli", current: 1, size: 10 })).resolves.toMatchObject({ total: 3 });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("a signal sent as soon as the baseUrl line is read still stops it cleanly (5 runs)", async () => {
    // A wrapper may signal at once; before the fix the default action killed the
    // process (exit code null) when the signal beat the handler's installation.
    for (const signal of ["SIGTERM", "SIGINT", "SIGTERM", "SIGINT", "SIGTERM"] as const) {
      const cli = run(["--port", "0"]);
      await cli.baseUrl;
      cli.child.kill(signal);
      expect([signal, await cli.exited]).toEqual([signal, 0]);
      expect(cli.out()).toContain(`${signal}: stopping`);
    }
  });

  it("--help prints the usage and exits 0", async () => {
    const cli = run(["--help"]);
    expect(await cli.exited).toBe(0);
    expect(cli.out()).toMatch(/Usage: itniotech-emulator/);
    expect(cli.out()).toMatch(/--data <file>/);
  });

  it.each([
    [["--port", "http"], /--port must be a whole number from 0 to 65535/],
    [["--port", "65536"], /--port must be a whole number/],
    [["--port", ""], /--port must be a whole number/],
    [["--port", "0x10"], /--port must be a whole number/],
    [["--max-phones", "0"], /--max-phones must be a whole number/],
    [["--api-key", "only-key"], /go together/],
    [["--api-secret", "only-secret"], /go together/],
    [["--credential", "key-without-secret"], /--credential takes <apiKey>:<apiSecret>/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--port"], /argument missing/],
    [["serve"], /Unexpected argument 'serve'/],
  ])("%j exits 2 with a one-line message and no stack trace", async (args, message) => {
    const cli = run(args);
    expect(await cli.exited).toBe(2);
    const lines = cli.err().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^itniotech-emulator: .* \(see --help\)$/);
    expect(lines[0]).toMatch(message);
    expect(cli.out()).toBe("");
  });

  it("a port in use exits 2 with a message", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const cli = run(["--port", String(port)]);
      expect(await cli.exited).toBe(2);
      expect(cli.err()).toMatch(/cannot start: .*EADDRINUSE/);
      expect(cli.err()).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("refuses a corrupt --data file with exit 2, leaving it as it was", async () => {
    const data = path.join(dir, "corrupt.json");
    writeFileSync(data, "{not json");
    const cli = run(["--port", "0", "--data", data]);
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toMatch(/cannot start: emulator data file .*corrupt\.json is not valid JSON/);
    expect(cli.err()).not.toMatch(/^\s+at /m);
    expect(readFileSync(data, "utf8")).toBe("{not json");
  });

  it("masks a given secret down to its first two characters", async () => {
    const cli = run(["--port", "0", "--api-key", "k", "--api-secret", "zz-very-secret"]);
    await cli.baseUrl;
    expect(cli.out()).toMatch(/^apiSecret: zz\*+$/m);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.out()).not.toContain("very-secret");
  });
});
