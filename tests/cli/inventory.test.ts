/**
 * `itniotech inventory` in-process against an emulator on port 0, with the
 * realistic `pulumi stack export` of tests/fixtures/stack-export.json (deployment
 * version 3, passphrase-encrypted secrets, one group whose name is a secret, a
 * SipPhonePassword, a group of another application and a create that never
 * finished in pending_operations).
 */
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { MAX_STATE_BYTES, readStateFile } from "../../cli/stackState";
import type { Emulator } from "../../emulator";
import { emulatorEnv, itniotech } from "../helpers/cli";
import { emulatorWithConfig } from "../helpers/config";

const FIXTURE = path.resolve(__dirname, "../fixtures/stack-export.json");
const APP = "fleet-app";

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  ({ emulator } = await emulatorWithConfig());
  dir = mkdtempSync(path.join(tmpdir(), "itniotech-inventory-"));
  // The state's groups as the platform holds them: `support` lost a phone, `legacy-ivr`
  // is gone, and `Lobby 大厅` was made in the console.
  for (const [groupName, phoneName, quantity] of [
    ["sales", "salesphone", 3],
    ["Front Desk", "frontdesk", 2],
    ["support", "supportphone", 1],
    ["Lobby 大厅", "lobby", 4],
  ] as const)
    emulator.seedGroup({ appId: APP, groupName, phoneName, quantity, displayNum: "8610000001" });
  emulator.seedGroup({
    appId: "other-app",
    groupName: "not ours",
    phoneName: "notours",
    quantity: 1,
    displayNum: "8610000009",
  });
});
afterAll(() => emulator.close());

const env = () => emulatorEnv(emulator);

const EXPECTED = {
  appId: APP,
  unmanaged: [{ groupName: "Lobby 大厅", phoneName: "lobby", phones: 4 }],
  missing: [
    {
      urn: "urn:pulumi:prod::phones::pulumi:pulumi:Stack$pulumi-nodejs:dynamic/itniotech:SipPhoneGroup::legacy",
      groupName: "legacy-ivr",
    },
  ],
  mismatched: [
    {
      urn: "urn:pulumi:prod::phones::pulumi:pulumi:Stack$pulumi-nodejs:dynamic/itniotech:SipPhoneGroup::support",
      groupName: "support",
      state: { quantity: 2, accounts: ["supportphone_001", "supportphone_002"] },
      platform: { quantity: 1, accounts: ["supportphone_001"] },
    },
  ],
};

it("--json reports unmanaged, missing and mismatched groups from a stack export, and exits 3", async () => {
  emulator.resetCounters();
  const { code, stdout, stderr } = await itniotech(
    ["inventory", "--app", APP, "--state", FIXTURE, "--json"],
    {
      env: env(),
    },
  );
  expect({ code, stderr }).toEqual({ code: 3, stderr: "" });
  // Exactly these keys: CI scripts parse them. The group whose name is a secret is
  // found by its id; the other application, the password resource and the unfinished
  // create are not groups of this application.
  expect(JSON.parse(stdout)).toEqual(EXPECTED);
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
});

it("prints the same findings for people", async () => {
  const { code, stdout } = await itniotech(["inventory", "--app", APP, "--state", FIXTURE], { env: env() });
  expect(code).toBe(3);
  expect(stdout).toContain(
    `Application "fleet-app": 4 groups (10 phones) on the platform; 4 SipPhoneGroup resources for it in 1 state file.`,
  );
  expect(stdout).toMatch(
    /Unmanaged \(1\): on the platform, in no given state\n {2}"Lobby 大厅" {2}phoneName "lobby" {2}4 phones/,
  );
  expect(stdout).toMatch(
    /Missing \(1\): in a state, not on the platform\n {2}"legacy-ivr" {2}urn:pulumi:prod::phones::/,
  );
  expect(stdout).toMatch(
    /Mismatched \(1\).*\n {2}"support" {2}urn:\S+: 2 phones in the state, 1 on the platform; gone from the platform: "supportphone_002"/,
  );
  expect(stdout).toMatch(/3 differences \(exit code 3\)\.\n$/);
});

it("exits 0 when every group is managed and consistent, reading the state from standard input", async () => {
  const appId = "consistent-app";
  emulator.seedGroup({
    appId,
    groupName: "team",
    phoneName: "teamphone",
    quantity: 2,
    displayNum: "8610000001",
  });
  const state = readFileSync(FIXTURE, "utf8").replaceAll("fleet-app/sales", `${appId}/team`);
  const doc = JSON.parse(state) as { deployment: { resources: Array<Record<string, unknown>> } };
  doc.deployment.resources = doc.deployment.resources.filter((r) => r["id"] === `${appId}/team`);
  const [resource] = doc.deployment.resources as Array<{
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  }>;
  for (const props of [resource?.inputs, resource?.outputs])
    Object.assign(props ?? {}, { appId, groupName: "team", phoneName: "teamphone", quantity: 2 });
  Object.assign(resource?.outputs ?? {}, { accounts: ["teamphone_001", "teamphone_002"] });

  const { code, stdout } = await itniotech(["inventory", "--app", appId, "--state", "-", "--json"], {
    env: env(),
    stdin: JSON.stringify(doc),
  });
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ appId, unmanaged: [], missing: [], mismatched: [] });
  const text = await itniotech(["inventory", "--app", appId, "--state", "-"], {
    env: env(),
    stdin: JSON.stringify(doc),
  });
  expect(text.stdout).toContain("Every group is managed and consistent.");
});

it("without --state every group is unmanaged", async () => {
  const { code, stdout } = await itniotech(["inventory", "--app", APP, "--json"], { env: env() });
  expect(code).toBe(3);
  expect((JSON.parse(stdout) as { unmanaged: unknown[] }).unmanaged).toHaveLength(4);
});

it("reads several states, a file backend's checkpoint, and states exported with --show-secrets", async () => {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8")) as { version: number; deployment: object };
  const checkpoint = path.join(dir, "prod.json");
  writeFileSync(
    checkpoint,
    JSON.stringify({ version: 3, checkpoint: { stack: "prod", latest: fixture.deployment } }),
  );
  // --show-secrets writes secrets as plaintext objects: still secrets, still not read.
  const shown = path.join(dir, "shown.json");
  writeFileSync(
    shown,
    readFileSync(FIXTURE, "utf8").replace(/"ciphertext": "[^"]*"/g, '"plaintext": "\\"Front Desk\\""'),
  );
  const lobby = path.join(dir, "lobby.json");
  writeFileSync(
    lobby,
    JSON.stringify({
      version: 3,
      deployment: {
        manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.265.0" },
        resources: [
          {
            urn: "urn:pulumi:dev::lobby::pulumi:pulumi:Stack$pulumi-nodejs:dynamic/itniotech:SipPhoneGroup::lobby",
            custom: true,
            id: `${APP}/Lobby 大厅`,
            type: "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup",
            outputs: { appId: APP, groupName: "Lobby 大厅", quantity: 4 },
          },
        ],
      },
    }),
  );
  for (const state of [checkpoint, shown]) {
    const { stdout } = await itniotech(["inventory", "--app", APP, "--state", state, "--json"], {
      env: env(),
    });
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  }
  const both = await itniotech(
    ["inventory", "--app", APP, "--state", checkpoint, "--state", lobby, "--json"],
    {
      env: env(),
    },
  );
  expect(JSON.parse(both.stdout)).toEqual({ ...EXPECTED, unmanaged: [] });
});

it("warns when resources of two stacks manage the same group, not when one stack is given twice", async () => {
  const copy = path.join(dir, "copy.json");
  writeFileSync(copy, readFileSync(FIXTURE, "utf8").replaceAll("::phones::", "::phones-copy::"));
  const twice = await itniotech(["inventory", "--app", APP, "--state", FIXTURE, "--state", FIXTURE], {
    env: env(),
  });
  expect(twice.stderr).toBe("");
  const { stderr } = await itniotech(["inventory", "--app", APP, "--state", FIXTURE, "--state", copy], {
    env: env(),
  });
  expect(stderr).toMatch(
    /warning: "sales" is managed by 2 resources \(urn:pulumi:prod::phones::\S+, urn:pulumi:prod::phones-copy::/,
  );
});

it("a group recreated outside Pulumi (same size, other accounts) is mismatched: accounts are compared by value, exit 3", async () => {
  // The state remembers p_001 and p_002; the platform's group of that name now holds
  // two other accounts (deleted and made again in the console, say).
  const app = "recreated-app";
  emulator.seedGroup({
    appId: app,
    groupName: "desk",
    phoneName: "newdesk",
    quantity: 2,
    displayNum: "8610000001",
  });
  const type = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
  const urn = `urn:pulumi:prod::phones::pulumi:pulumi:Stack$${type}::desk`;
  const state = path.join(dir, "recreated.json");
  writeFileSync(
    state,
    JSON.stringify({
      version: 3,
      deployment: {
        resources: [
          {
            urn,
            custom: true,
            id: `${app}/desk`,
            type,
            outputs: { appId: app, groupName: "desk", quantity: 2, accounts: ["p_001", "p_002"] },
          },
        ],
      },
    }),
  );
  const { code, stdout } = await itniotech(["inventory", "--app", app, "--state", state, "--json"], {
    env: env(),
  });
  expect(code).toBe(3);
  expect(JSON.parse(stdout)).toMatchObject({
    unmanaged: [],
    missing: [],
    mismatched: [
      {
        urn,
        groupName: "desk",
        state: { quantity: 2, accounts: ["p_001", "p_002"] },
        platform: { quantity: 2, accounts: ["newdesk_001", "newdesk_002"] },
      },
    ],
  });
});

it("names and URNs from a state file reach the terminal inert: no ESC, BEL or C1, no forged line", async () => {
  const type = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
  const forged = "\nEvery group is managed and consistent.\n";
  const hostileUrn = `urn:pulumi:prod::phones::${type}::gone\u001b]0;owned\u0007\u001b[2J\u009b31m${forged}\u202e`;
  const state = path.join(dir, "hostile.json");
  writeFileSync(
    state,
    JSON.stringify({
      version: 3,
      deployment: {
        resources: [0, 1].map((i) => ({
          urn: `${hostileUrn}${i}`,
          custom: true,
          id: `${APP}/vanished\u001b[31m`,
          type,
          outputs: { appId: APP, groupName: "vanished\u001b[31m", quantity: 1 },
        })),
      },
    }),
  );
  for (const json of [false, true]) {
    const { code, stdout, stderr } = await itniotech(
      ["inventory", "--app", APP, "--state", state, ...(json ? ["--json"] : [])],
      { env: env() },
    );
    expect(code).toBe(3);
    for (const text of [stdout, stderr]) {
      // eslint-disable-next-line no-control-regex -- the characters a terminal acts on
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      expect(text.split("\n")).not.toContain("Every group is managed and consistent.");
    }
    // Still readable: the URN is there, its controls written out.
    expect(stdout).toContain("gone\\u001b]0;owned\\u0007");
    if (json) expect(JSON.parse(stdout).missing[0].urn).toBe(`${hostileUrn}0`);
    else expect(stderr).toContain("is managed by 2 resources");
  }
});

describe("state files it cannot use fail with exit 1, naming the file, before any API call", () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  it.each([
    ["absent", () => path.join(dir, "absent.json"), /cannot read --state .*absent\.json: ENOENT/],
    [
      "not JSON",
      () => write("text.json", "Current stack is prod"),
      /text\.json is not JSON: pass the output of `pulumi stack export`/,
    ],
    [
      "not a deployment",
      () => write("config.json", '{"config": {}}'),
      /config\.json is not a Pulumi stack export/,
    ],
    [
      "a newer deployment version",
      () => write("v4.json", '{"version": 4, "deployment": {"resources": []}}'),
      /v4\.json has deployment version 4; this tool reads versions 1, 2, 3/,
    ],
    [
      "not JSON, its first bytes a secret: it says where, never what",
      () => write("secret.json", "hunter2-Secret-9f1 and more"),
      /^(?![\s\S]*hunter2)[\s\S]*secret\.json is not JSON: pass the output of `pulumi stack export`/,
    ],
    [
      "broken JSON holding a password: the line and column, not the text",
      () => write("broken.json", '{"version": 3,\n "password": "Pw-7c3d9e1f" x}'),
      /^(?![\s\S]*Pw-7c3d9e1f)[\s\S]*broken\.json is not JSON \(at line 2, column 28\): pass/,
    ],
    ["a folder", () => dir, /is not a file/],
  ])("%s", async (_what, file, message) => {
    emulator.resetCounters();
    const { code, stderr } = await itniotech(["inventory", "--app", APP, "--state", file()], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(emulator.counters().sipQuery).toBe(0);
  });

  it(`larger than ${MAX_STATE_BYTES / 1024 / 1024} MiB`, async () => {
    const file = path.join(dir, "huge.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_STATE_BYTES + 1); // sparse: nothing is written
    const { code, stderr } = await itniotech(["inventory", "--app", APP, "--state", file], { env: env() });
    expect(code).toBe(1);
    expect(stderr).toContain("huge.json is larger than 128 MiB");
  });

  it("standard input larger than the bound is refused as it streams in", async () => {
    const chunks = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(readStateFile("-", dir, chunks, 1024)).rejects.toThrow(
      "standard input is larger than 1024 bytes",
    );
  });
});
