/**
 * Every Pulumi.yaml in the repository, run as `pulumi up` runs it — Pulumi's own
 * Node.js language runtime compiling the program with ts-node and the project's
 * tsconfig, the real dynamic-provider host, the emulator — with only the Go CLI
 * replaced (./engine.ts). This is what proves the root project's `main`, each
 * example's entry point and the tsconfig path are right: mistakes there pass every
 * setMocks test and fail only under a real `pulumi up`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { isSecret, reveal } from "../helpers/values";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { projectLaunch, pulumiUp, type UpResult } from "../helpers/engine";
import { seedConsoleGroup } from "../helpers/consoleGroup";

const ROOT = path.resolve(__dirname, "../..");
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const PASSWORD = "pulumi-nodejs:dynamic/itniotech:SipPhonePassword";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(() => emulator.close());

/** `npm start`'s stack config: the emulator and the demo credentials, the secret as a secret. */
function up(projectFile: string, extra: Record<string, string> = {}): Promise<UpResult> {
  return pulumiUp(path.join(ROOT, projectFile), {
    config: stackConfig(emulator.baseUrl, DEMO_CREDENTIALS, extra),
    secretKeys: SECRET_CONFIG_KEYS,
  });
}

/** Which file the runtime ran: it logs it before running the program. */
function programRun(result: UpResult): string | undefined {
  const line = result.logs.find((l) => l.message.startsWith("Running program '"));
  return line && /^Running program '([^']+)'/.exec(line.message)?.[1];
}

function succeeded(result: UpResult): void {
  const errors = result.logs.filter((l) => l.severity === "error").map((l) => l.message);
  expect({ code: result.code, errors }).toEqual({ code: 0, errors: [] });
}

const TIMEOUT = 180_000;

it.each([
  ["Pulumi.yaml", "examples/quickstart/index.ts"],
  ["examples/quickstart/Pulumi.yaml", "examples/quickstart/index.ts"],
  ["examples/rotation/Pulumi.yaml", "examples/rotation/index.ts"],
  ["examples/groups-from-yaml/Pulumi.yaml", "examples/groups-from-yaml/index.ts"],
  ["examples/adopt/Pulumi.yaml", "examples/adopt/index.ts"],
  ["examples/testing/Pulumi.yaml", "examples/testing/index.ts"],
  ["examples/multi-account/Pulumi.yaml", "examples/multi-account/index.ts"],
])("%s runs %s in its folder, with that folder's tsconfig.json", (projectFile, program) => {
  const launch = projectLaunch(path.join(ROOT, projectFile));
  // Without `main`, the runtime runs the folder: its package.json's "main".
  const entry =
    launch.entryPoint === "."
      ? (JSON.parse(readFileSync(path.join(launch.pwd, "package.json"), "utf8")) as { main: string }).main
      : launch.entryPoint;
  expect(path.join(launch.pwd, entry)).toBe(path.join(ROOT, program));
  expect(launch.typescript).toBe(true);
  // No tsconfig option: the runtime takes tsconfig.json from its working directory,
  // the program's folder, so each example compiles with its own.
  expect(launch.tsconfig).toBeUndefined();
  expect(existsSync(path.join(launch.pwd, "tsconfig.json"))).toBe(true);
});

it(
  "Pulumi.yaml at the root (npm start): quickstart's group is created; accounts plain, passwords secret",
  async () => {
    const result = await up("Pulumi.yaml");
    succeeded(result);
    expect(programRun(result)).toBe(path.join(ROOT, "examples/quickstart/index.ts"));
    expect(result.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual(["office"]);
    const accounts = result.outputs["accounts"] as string[];
    expect(accounts).toHaveLength(3);
    expect(isSecret(result.outputs["passwords"])).toBe(true);
    expect(Object.keys(reveal(result.outputs["passwords"]) as object).sort()).toEqual(accounts);
    expect(
      emulator
        .phones("demo-app")
        .map((p) => p.account)
        .sort(),
    ).toEqual(accounts);
    // As the README says: a small `__provider` shell, and no credential anywhere.
    const provider = result.resources.find((r) => r.type === GROUP)?.outputs["__provider"];
    expect(typeof provider === "string" && provider.length).toBeLessThan(4096);
    const everything = JSON.stringify({ ...result, outputs: undefined }) + result.output;
    expect(everything).not.toContain(DEMO_CREDENTIALS.apiSecret);
  },
  TIMEOUT,
);

it(
  "examples/rotation: a group and one account's password, both secret",
  async () => {
    const result = await up("examples/rotation/Pulumi.yaml", { "itniotech-rotation:appId": "rotation-app" });
    succeeded(result);
    expect(result.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack")).toEqual([
      GROUP,
      PASSWORD,
    ]);
    expect(isSecret(result.outputs["passwords"])).toBe(true);
    expect(isSecret(result.outputs["deskPassword"])).toBe(true);
    const desk = result.outputs["deskAccount"] as string;
    expect(reveal(result.outputs["deskPassword"])).toBe(
      emulator.phones("rotation-app").find((p) => p.account === desk)?.password,
    );
    // Not stale after the first up: the desk phone's password was reset after the
    // group read its passwords, and the output has the new one.
    expect(reveal(result.outputs["passwords"])).toEqual(
      Object.fromEntries(emulator.phones("rotation-app").map((p) => [p.account, p.password])),
    );
    expect(result.outputs["lastRotation"]).toBe("never");
  },
  TIMEOUT,
);

it(
  "examples/groups-from-yaml: one group per entry of phone-groups.yaml",
  async () => {
    const result = await up("examples/groups-from-yaml/Pulumi.yaml");
    succeeded(result);
    expect(result.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual(["sales", "support"]);
    expect(Object.keys(result.outputs)).toEqual(["accounts"]);
    expect(emulator.phones("demo-app")).toHaveLength(15);
  },
  TIMEOUT,
);

it(
  "examples/groups-from-yaml: a bad file stops the run with file:line, entry and field — no stack trace, no API call",
  async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "phone-groups-")), "bad.yaml");
    writeFileSync(
      file,
      "appId: demo-app\ngroups:\n  - name: sales\n    quantity: 80\n    displayNum: '8610000001'\n",
    );
    const result = await up("examples/groups-from-yaml/Pulumi.yaml", {
      "itniotech-groups-from-yaml:phoneGroupsFile": file,
    });
    // 32: the runtime already reported the error to the engine.
    expect(result.code).toBe(32);
    const errors = result.logs.filter((l) => l.severity === "error").map((l) => l.message);
    expect(errors).toEqual([
      `1 problem in the phone groups file:\n  ${file}:4: groups[0] (sales): quantity must be between 1 and 50 (got 80)`,
    ]);
    expect(result.resources.filter((r) => r.type === GROUP)).toEqual([]);
    expect(emulator.requests()).toEqual([]);
  },
  TIMEOUT,
);

it(
  "examples/adopt: takes over the console's group without creating one",
  async () => {
    const seeded = seedConsoleGroup(emulator);
    const result = await up("examples/adopt/Pulumi.yaml");
    succeeded(result);
    expect(reveal(result.outputs["passwords"])).toEqual(
      Object.fromEntries(seeded.map((p) => [p.account, p.password])),
    );
    expect(emulator.counters().sipAdd).toBe(0);
  },
  TIMEOUT,
);
