/**
 * The lookups in a program run by Pulumi's own Node.js language runtime (ts-node,
 * the real runtime's unhandled-error reporting), with only the Go CLI replaced
 * (tests/examples/engine.ts): what a user sees from `pulumi preview` / `up`.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { pulumiUp } from "../helpers/engine";
import { isSecret, reveal } from "../helpers/values";

const ROOT = path.resolve(__dirname, "../..");
const APP = "lookup-e2e";
const project = mkdtempSync(path.join(tmpdir(), "itniotech-lookups-"));

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  for (let i = 1; i <= 3; i++)
    emulator.seedGroup({
      appId: APP,
      groupName: `Desk ${i} 前台`,
      phoneName: `desk${i}`,
      quantity: 40,
      displayNum: "8610000001",
    });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
  writeFileSync(
    path.join(project, "Pulumi.yaml"),
    "name: lookups\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n    tsconfig: tsconfig.json\n",
  );
  writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true },
    }),
  );
  writeFileSync(
    path.join(project, "index.ts"),
    `import * as pulumi from "@pulumi/pulumi";
import { getSipPhoneGroup, getSipPhoneGroupPasswords, listSipPhoneGroups, SipPhoneGroup } from "pulumi-itniotech";

const config = new pulumi.Config();
const appId = config.require("appId");
const groupName = config.require("groupName");

export const groups = listSipPhoneGroups({ appId }).then((all) => all.map((g) => g.groupName));
export const desk = getSipPhoneGroup({ appId, groupName }).then((g) => ({ quantity: g.quantity, first: g.accounts[0] }));
export const passwords = getSipPhoneGroupPasswords({ appId, groupName });

// What a lookup found can be adopted: the same phones, now managed.
const found = getSipPhoneGroup({ appId, groupName });
const adopted = new SipPhoneGroup("adopted", {
  appId,
  groupName,
  phoneName: found.then((g) => g.phoneName),
  quantity: found.then((g) => g.quantity),
  displayNum: found.then((g) => g.displayNum),
  adopt: true,
});
export const adoptedAccounts = adopted.accounts;
`,
  );
});
afterAll(async () => {
  await emulator.close();
  rmSync(project, { recursive: true, force: true });
});

function up(groupName: string) {
  return pulumiUp(path.join(project, "Pulumi.yaml"), {
    config: stackConfig(emulator.baseUrl, DEMO_CREDENTIALS, {
      "lookups:appId": APP,
      "lookups:groupName": groupName,
    }),
    secretKeys: SECRET_CONFIG_KEYS,
  });
}

it("four lookups of one application: one scan; the passwords a secret stack output; the group adopted", async () => {
  emulator.resetCounters();
  const result = await up("Desk 2 前台");
  expect({ code: result.code, errors: result.logs.filter((l) => l.severity === "error") }).toEqual({
    code: 0,
    errors: [],
  });
  expect(result.outputs["groups"]).toEqual(["Desk 1 前台", "Desk 2 前台", "Desk 3 前台"]);
  expect(result.outputs["desk"]).toEqual({ quantity: 40, first: "desk2_001" });
  expect(isSecret(result.outputs["passwords"])).toBe(true);
  const live = emulator.phones(APP).filter((p) => p.groupName === "Desk 2 前台");
  expect(reveal(result.outputs["passwords"])).toEqual(
    Object.fromEntries(live.map((p) => [p.account, p.password])),
  );
  expect(result.outputs["adoptedAccounts"]).toEqual(live.map((p) => p.account).sort());
  // One scan shared by the program's four lookups, one by the provider host's adoption.
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 2 * Math.ceil(120 / 100), sipReset: 0 });
}, 180_000);

it("an absent group fails the run with the message alone, no stack trace", async () => {
  const result = await up("nobody");
  expect(result.code).not.toBe(0);
  const errors = result.logs.filter((l) => l.severity === "error").map((l) => l.message);
  expect(errors.join("\n")).toMatch(
    /getSipPhone\w+: no group "nobody" in application "lookup-e2e" \(it has 3 groups\)/,
  );
  expect(errors.join("\n")).not.toMatch(/\n\s+at /);
}, 180_000);
