/**
 * The `itniotech` command line's contract, in-process: `--help` everywhere, exit
 * code 2 for a wrong command line, 1 for an API or configuration error whose
 * message names what to set, and no secret in any message.
 */
import { COMMANDS } from "../../cli/main";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, itniotech } from "../helpers/cli";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

it("lists its commands", () => {
  expect(COMMANDS.map((c) => c.name)).toEqual(["export", "inventory", "passwords"]);
});

describe("--help", () => {
  it.each([["--help"], ["-h"], ["help"]])(
    "itniotech %s lists every command and the credentials",
    async (flag) => {
      const { code, stdout, stderr } = await itniotech([flag]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(/^Usage: itniotech <command>/);
      for (const name of [
        "export",
        "inventory",
        "ITNIOTECH_API_KEY",
        "ITNIOTECH_API_SECRET",
        "ITNIOTECH_BASE_URL",
      ])
        expect(stdout).toContain(name);
    },
  );

  it.each(COMMANDS.map((c) => [c.name]))(
    "itniotech %s --help, even with other options missing",
    async (name) => {
      for (const argv of [
        [name, "--help"],
        [name, "-h"],
        [name, "--app", "x", "--help"],
      ]) {
        const { code, stdout } = await itniotech(argv);
        expect(code).toBe(0);
        expect(stdout).toMatch(new RegExp(`^Usage: itniotech ${name} --app <appId>`));
        expect(stdout).toMatch(/Exit codes: 0 /);
      }
    },
  );
});

describe("usage errors exit 2 and point at --help", () => {
  it.each([
    [[], /^Usage: itniotech <command>/],
    [["deploy"], /^itniotech: unknown command 'deploy' \(expected export, inventory, passwords\)/],
    [["export"], /^itniotech export: --app is required \(see `itniotech export --help`\)/],
    [["inventory", "--app", " "], /^itniotech inventory: --app is required/],
    [["export", "--app", "a", "--colour"], /^itniotech export: Unknown option '--colour'/],
    [["export", "--app", "a", "extra"], /^itniotech export: Unexpected argument 'extra'/],
    [["export", "--app", "a", "--format", "json"], /--format must be yaml or ts \(got "json"\)/],
    [
      ["export", "--app", "a", "--include", "(unclosed"],
      /--include "\(unclosed" is not a valid regular expression/,
    ],
    [
      ["inventory", "--app", "a", "--json=yes"],
      /itniotech inventory: Option '--json' does not take an argument/,
    ],
  ])("itniotech %j", async (argv, message) => {
    const { code, stdout, stderr } = await itniotech(argv, { env: emulatorEnv(emulator) });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });
});

describe("configuration and API errors exit 1 with a message that names what to set", () => {
  const env = () => emulatorEnv(emulator);
  it.each([
    [
      "no credentials",
      {},
      /^itniotech export: ITNIOTECH_API_KEY and ITNIOTECH_API_SECRET are not set: set ITNIOTECH_API_KEY and ITNIOTECH_API_SECRET/,
    ],
    ["no secret", { ITNIOTECH_API_KEY: "k" }, /ITNIOTECH_API_SECRET is not set/],
    ["a blank key", { ITNIOTECH_API_KEY: " ", ITNIOTECH_API_SECRET: "s" }, /ITNIOTECH_API_KEY is not set/],
    [
      "a base URL that is no URL",
      { ITNIOTECH_API_KEY: "k", ITNIOTECH_API_SECRET: "s", ITNIOTECH_BASE_URL: "api.itniotech.com" },
      /base URL must be an http\(s\) URL .*ITNIOTECH_BASE_URL/,
    ],
  ])("%s", async (_what, environment, message) => {
    const { code, stderr } = await itniotech(["export", "--app", "a"], { env: environment });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it("rejected credentials: the vendor's status, never the secret", async () => {
    const secret = "WrongSecretCanary-41d";
    const { code, stderr } = await itniotech(["inventory", "--app", "a"], {
      env: { ...env(), ITNIOTECH_API_SECRET: secret },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^itniotech inventory: .*sipQuery.*-1/);
    expect(stderr).not.toContain(secret);
    expect(stderr).not.toContain(DEMO_CREDENTIALS.apiSecret);
  });

  it("an API that does not answer", async () => {
    const { code, stderr } = await itniotech(["export", "--app", "a"], {
      env: { ...env(), ITNIOTECH_BASE_URL: "http://127.0.0.1:9/voice", ITNIOTECH_TIMEOUT_MS: "1000" },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^itniotech export: .*sipQuery/);
  });
});
