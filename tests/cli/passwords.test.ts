/**
 * `itniotech passwords`, in-process against the emulator: the passwords the platform
 * holds as JSON on stdout (one scan), one account with --account, a clear exit 1 for
 * an unknown group or account, and exit 2 — before any API call — when stdout is a
 * terminal and --show is not given.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, itniotech } from "../helpers/cli";
import { platformPasswords } from "../helpers/platform";

const APP = "cli-pw-app";
let emulator: Emulator;
const env = () => emulatorEnv(emulator);

const platform = (groupName: string) => platformPasswords(emulator, APP, groupName);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  for (const [groupName, phoneName] of [
    ["office", "officephone"],
    ["lobby", "lobbyphone"],
  ] as const)
    emulator.seedGroup({ appId: APP, groupName, phoneName, quantity: 3, displayNum: "8610000000" });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetCounters());

it("prints the group's passwords as one JSON object on stdout, from one scan; nothing on stderr", async () => {
  const { code, stdout, stderr } = await itniotech(["passwords", "--app", APP, "--group", "office"], {
    env: env(),
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(JSON.parse(stdout)).toEqual(platform("office"));
  expect(Object.keys(JSON.parse(stdout) as object)).toEqual([
    "officephone_001",
    "officephone_002",
    "officephone_003",
  ]);
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
});

it("--account: only that phone's password", async () => {
  const { code, stdout } = await itniotech(
    ["passwords", "--app", APP, "--group", "lobby", "--account", "lobbyphone_002"],
    { env: env() },
  );
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ lobbyphone_002: platform("lobby")["lobbyphone_002"] });
});

it("refuses a terminal without --show (exit 2, no API call); prints there with --show", async () => {
  const argv = ["passwords", "--app", APP, "--group", "office"];
  const refused = await itniotech(argv, { env: env(), stdoutTty: true });
  expect(refused.code).toBe(2);
  expect(refused.stdout).toBe("");
  expect(refused.stderr).toMatch(
    /^itniotech passwords: refusing to print passwords to a terminal: pipe the output into a file or a secret manager, or add --show/,
  );
  expect(emulator.counters().sipQuery).toBe(0);

  const shown = await itniotech([...argv, "--show"], { env: env(), stdoutTty: true });
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toEqual(platform("office"));
});

it.each([
  [
    ["--group", "nosuch"],
    /^itniotech passwords: no group "nosuch" in application "cli-pw-app" \(it has 2 groups; `itniotech inventory --app cli-pw-app` lists them\)\n$/,
  ],
  [
    ["--group", "office", "--account", "lobbyphone_001"],
    /^itniotech passwords: group "office" has no account "lobbyphone_001" \(its accounts: "officephone_001", "officephone_002", "officephone_003"\)\n$/,
  ],
])(
  "an unknown group or account: exit 1 with a clear message, nothing on stdout (%j)",
  async (args, message) => {
    const { code, stdout, stderr } = await itniotech(["passwords", "--app", APP, ...args], { env: env() });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(message);
  },
);

it.each([[["--app", APP]], [["--group", "office"]]])(
  "a missing option is a usage error (%j)",
  async (args) => {
    const { code, stderr } = await itniotech(["passwords", ...args], { env: env() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--(group|app) is required \(see `itniotech passwords --help`\)/);
  },
);
