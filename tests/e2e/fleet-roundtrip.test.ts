/**
 * The onboarding round trip of a fleet (issue 13's "Must show"), with every piece
 * real but the Pulumi CLI: the emulator holds 200 existing groups of mixed sizes,
 * names with spaces and non-ASCII characters among them;
 *   1. `itniotech inventory` (the built bin): 200 unmanaged, exit 3;
 *   2. `itniotech export` writes phone-groups.yaml (and, as a second run, index.ts);
 *   3. the generated file's program (the groups-from-yaml example reading that
 *      file; the generated index.ts) runs under mocks to get what the engine
 *      receives, and each resource goes through Pulumi's real dynamic-provider host
 *      as `pulumi up` takes it, all at once: 200 adoptions, 0 sipAdd, 0 sipReset;
 *   4. a second preview in a new host: every group unchanged, no API call;
 *   5. the stack's state as `pulumi stack export` prints it, and `itniotech
 *      inventory --state` on it: 0 unmanaged, exit 0.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../../emulator";
import { consoleStyleGroup } from "../helpers/consoleGroup";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { EngineResource } from "../helpers/engine";
import { closeAllHosts, resourceUrn, startHost, type Host } from "../helpers/host";
import { captureRegistrations, type CapturedRegistration } from "../helpers/mocks";
import { emulatorEnv, spawnItniotech } from "../helpers/cli";
import { stackExport } from "../helpers/stackExport";

const ROOT = path.resolve(__dirname, "../..");
const APP = "fleet-onboarding";
const PROJECT = "fleet";
const STACK = "prod";
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const GROUPS = 200;

const seeded = consoleStyleGroup;

let emulator: Emulator;
const work = mkdtempSync(path.join(tmpdir(), "itniotech-roundtrip-"));
const report: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  for (let i = 0; i < GROUPS; i++) emulator.seedGroup({ appId: APP, ...seeded(i) });
  // The generated program imports "pulumi-itniotech" and "@pulumi/pulumi": give its
  // folder the repository's node_modules, as an installed project has its own.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
});
afterAll(async () => {
  await closeAllHosts();
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
  console.log(["Fleet round trip (emulator counters per step):", ...report].join("\n"));
});

const env = () => emulatorEnv(emulator);
const phones = () => emulator.phones(APP).length;

/** Runs a step and records the API calls it made. */
async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  emulator.resetCounters();
  const started = performance.now();
  const result = await body();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const c = emulator.counters();
  report.push(`  ${name}: sipAdd ${c.sipAdd}, sipQuery ${c.sipQuery}, sipReset ${c.sipReset} (${seconds} s)`);
  return result;
}

async function configuredHost(cwd: string): Promise<Host> {
  const host = await startHost({ cwd, project: PROJECT, stack: STACK });
  await host.configure(stackConfig(emulator.baseUrl), SECRET_CONFIG_KEYS);
  return host;
}

/**
 * `pulumi up` of the program's registrations (every resource at once, as the
 * engine does), then `pulumi preview` in a new host; resolves the stack export.
 */
async function upThenPreview(
  label: string,
  registrations: CapturedRegistration[],
  cwd: string,
): Promise<string> {
  const groups = registrations.filter((r) => r.type === GROUP);
  expect(groups).toHaveLength(GROUPS);
  // Onboarding can never revoke working phones by a mistaken destroy.
  expect(groups.filter((r) => !r.retainOnDelete).map((r) => r.name)).toEqual([]);

  const up = await configuredHost(cwd);
  const resources = groups.map(
    (r) =>
      new EngineResource(up, resourceUrn(r.type, r.name, PROJECT, STACK), {
        additionalSecretOutputs: r.additionalSecretOutputs,
      }),
  );
  const before = emulator.phones(APP);
  const operations = await step(`${label}: pulumi up`, () =>
    Promise.all(resources.map((resource, i) => resource.up(groups[i]!.inputs))),
  );
  expect(operations.filter((o) => o !== "create")).toEqual([]);
  expect(emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 0 });
  // Adopted, not created: the same phones with the same passwords, now in the state.
  expect(emulator.phones(APP)).toEqual(before);
  const adopted = resources.map((r) => r.state?.id).sort();
  expect(adopted).toEqual(
    before
      .map((p) => `${APP}/${p.groupName}`)
      .filter((id, i, all) => all.indexOf(id) === i)
      .sort(),
  );
  await up.close();

  const preview = await configuredHost(cwd);
  const planned = await step(`${label}: second pulumi preview`, () =>
    Promise.all(resources.map((resource, i) => resource.inHost(preview).preview(groups[i]!.inputs))),
  );
  expect(planned.filter((o) => o !== "same")).toEqual([]);
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  await preview.close();

  const state = path.join(work, `${label}-stack.json`);
  writeFileSync(
    state,
    JSON.stringify(
      stackExport(
        PROJECT,
        STACK,
        resources.map((r, i) => ({
          state: r.state!,
          type: GROUP,
          retainOnDelete: groups[i]!.retainOnDelete,
          additionalSecretOutputs: groups[i]!.additionalSecretOutputs,
        })),
      ),
    ),
  );
  return state;
}

it("inventory (200 unmanaged, exit 3) -> export -> up (200 adoptions, 0 sipAdd, 0 sipReset) -> preview (unchanged) -> inventory (exit 0)", async () => {
  const before = await step("itniotech inventory", () =>
    spawnItniotech(["inventory", "--app", APP, "--json"], env()),
  );
  expect(before.code).toBe(3);
  const found = JSON.parse(before.stdout) as {
    unmanaged: Array<{ phones: number }>;
    missing: [];
    mismatched: [];
  };
  expect(found.unmanaged).toHaveLength(GROUPS);
  expect(found.unmanaged.reduce((n, u) => n + u.phones, 0)).toBe(phones());
  report.push(`    -> exit ${before.code}, ${found.unmanaged.length} unmanaged groups, ${phones()} phones`);

  const yamlFile = path.join(work, "phone-groups.yaml");
  const exported = await step("itniotech export", () =>
    spawnItniotech(["export", "--app", APP, "--out", yamlFile], env()),
  );
  expect(exported.code).toBe(0);
  expect(exported.stderr).toContain(`${GROUPS} declarations written`);
  expect(emulator.counters().sipQuery).toBe(Math.ceil(phones() / 100));

  // The groups-from-yaml example, reading the exported file, as a GitOps repository would.
  const registrations = await step("run the program (groups-from-yaml reading the export)", () =>
    captureRegistrations(
      () => {
        pulumi.runtime.setAllConfig({ [`${PROJECT}:phoneGroupsFile`]: yamlFile });
        return jest.requireActual(path.join(ROOT, "examples/groups-from-yaml/index.ts"));
      },
      { project: PROJECT, stack: STACK },
    ),
  );
  const state = await upThenPreview("yaml", registrations, path.join(ROOT, "examples/groups-from-yaml"));

  const after = await step("itniotech inventory --state", () =>
    spawnItniotech(["inventory", "--app", APP, "--state", state, "--json"], env()),
  );
  expect(JSON.parse(after.stdout)).toEqual({ appId: APP, unmanaged: [], missing: [], mismatched: [] });
  expect(after.code).toBe(0);
  report.push(`    -> exit ${after.code}, 0 unmanaged, 0 missing, 0 mismatched`);
}, 240_000);

it("--format ts: the generated index.ts adopts the same 200 groups, unchanged on the second preview", async () => {
  const program = path.join(work, "index.ts");
  const exported = await spawnItniotech(["export", "--app", APP, "--format", "ts", "--out", program], env());
  expect(exported.code).toBe(0);
  const registrations = await step("run the program (the exported index.ts)", () =>
    captureRegistrations(() => jest.requireActual(program), { project: PROJECT, stack: STACK }),
  );
  const state = await upThenPreview("ts", registrations, work);
  const after = await spawnItniotech(["inventory", "--app", APP, "--state", state], env());
  expect(after.code).toBe(0);
  expect(after.stdout).toContain("Every group is managed and consistent.");
}, 240_000);
