/**
 * The built `itniotech` bin in its own process, as `npx itniotech` runs it: the
 * exit codes a CI job branches on, and `--help` on every command. (What each
 * command does is tested in-process in tests/cli/.)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { BIN, emulatorEnv, spawnItniotech } from "../helpers/cli";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  emulator.seedGroup({
    appId: "e2e-app",
    groupName: "lobby",
    phoneName: "lobbyphone",
    quantity: 2,
    displayNum: "8610000001",
  });
});
afterAll(() => emulator.close());

it("is the package's `itniotech` bin, runnable by node", () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  expect(path.resolve(__dirname, "../..", pkg.bin["itniotech"] ?? "")).toBe(BIN);
  expect(readFileSync(BIN, "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
});

it.each([
  ["--help", [["--help"]], 0],
  [
    "--help of each command",
    [
      ["export", "--help"],
      ["inventory", "--help"],
    ],
    0,
  ],
  ["a usage error", [["export"], ["inventory", "--app", "x", "--nope"], []], 2],
])("%s exits %d", async (_what, argvs, expected) => {
  for (const argv of argvs) {
    const { code, stdout, stderr } = await spawnItniotech(argv, {});
    expect({ argv, code }).toEqual({ argv, code: expected });
    expect(expected === 0 ? stdout : stderr).toMatch(/Usage: itniotech|--app is required|Unknown option/);
  }
});

it("exits 1 without credentials, naming what to set", async () => {
  const { code, stderr } = await spawnItniotech(["inventory", "--app", "e2e-app"], {});
  expect(code).toBe(1);
  expect(stderr).toContain("ITNIOTECH_API_KEY and ITNIOTECH_API_SECRET are not set");
});

it("inventory exits 3 on differences; export exits 0 and pipes a whole file", async () => {
  const inventory = await spawnItniotech(["inventory", "--app", "e2e-app", "--json"], emulatorEnv(emulator));
  expect(inventory.code).toBe(3);
  expect(JSON.parse(inventory.stdout)).toMatchObject({ unmanaged: [{ groupName: "lobby", phones: 2 }] });
  const exported = await spawnItniotech(["export", "--app", "e2e-app"], emulatorEnv(emulator));
  expect(exported.code).toBe(0);
  expect(exported.stdout).toMatch(/groupName: "lobby"\n[\s\S]*retainOnDelete: true\n$/);
});
