/**
 * Our stand-in engine (tests/helpers/engine.ts, Pulumi's dynamic-provider host driven
 * over gRPC) checked against the real one: one program (tests/fixtures/compare), the
 * same scenario through both, each against its own emulator, comparing per command
 * the step the engine took for the group (create, same, update, replace, delete),
 * what a refresh shows (by default and with the legacy refresh diff), the group's
 * output names, and the API calls per endpoint.
 *
 * Prints the comparison as a table. A difference is a finding: fix the provider where
 * the real engine shows a defect, the stand-in where it was wrong (its header cites
 * the engine sources it follows).
 */
import path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { program, type Settings } from "../fixtures/compare/program";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { EngineResource } from "../helpers/engine";
import { closeAllHosts, resourceUrn, startHost } from "../helpers/host";
import { captureRegistrations } from "../helpers/mocks";
import { RealStack, realCliIt, ROOT, type RunResult } from "../helpers/realCli";

const FIXTURE = path.join(ROOT, "tests/fixtures/compare");
const PROJECT = "itniotech-compare";
const STACK = "test";
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const APP = "compare-app";

type Step = "create" | "same" | "update" | "replace" | "delete";
interface Row {
  command: string;
  standIn: { step: Step; calls: string };
  real: { step: Step; calls: string };
}

let standInEmulator: Emulator;
let realEmulator: Emulator;
let real: RealStack | undefined;
afterEach(async () => {
  real?.dispose();
  real = undefined;
  await closeAllHosts();
  await Promise.all([standInEmulator?.close(), realEmulator?.close()]);
});

/** The API calls an emulator counted since the last call, as "sipAdd 1, sipQuery 1". */
function taken(emulator: Emulator): string {
  const counted = emulator.counters();
  emulator.resetCounters();
  return Object.entries(counted)
    .filter(([, n]) => n > 0)
    .map(([endpoint, n]) => `${endpoint} ${n}`)
    .join(", ");
}

/** The step the real CLI took for the one group, from its summary ("Resources:"). */
function realStep(run: RunResult): Step {
  const summary = run.stdout.slice(run.stdout.lastIndexOf("Resources:"));
  if (/\+-\s*1 (to replace|replaced)/.test(summary)) return "replace";
  if (/~ 1 (to update|updated)/.test(summary)) return "update";
  if (/- \d+ (to delete|deleted)/.test(summary)) return "delete";
  if (/\+ [12] (to create|created)/.test(summary)) return "create";
  return "same";
}

/** The group's inputs as the engine gets them from the program with `settings`. */
async function registered(
  settings: Settings,
): Promise<{ inputs: Record<string, unknown>; secret: string[] }> {
  const sdk = jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");
  const [office] = await captureRegistrations(() => program(sdk, settings), {
    project: PROJECT,
    stack: STACK,
  });
  return { inputs: office!.inputs, secret: office!.additionalSecretOutputs };
}

realCliIt(
  "the stand-in engine takes the real engine's steps and makes its API calls: preview, up, trigger, replace, refresh, destroy",
  async () => {
    [standInEmulator, realEmulator] = await Promise.all([
      startEmulator({ port: 0 }),
      startEmulator({ port: 0 }),
    ]);
    const config = (emulator: Emulator) => stackConfig(emulator.baseUrl);
    real = await RealStack.create({
      project: FIXTURE,
      config: { ...config(realEmulator), quantity: "2", epoch: "1" },
      secretKeys: SECRET_CONFIG_KEYS,
    });
    const urn = resourceUrn(GROUP, "office", PROJECT, STACK);
    let group: EngineResource | undefined;
    /** A stand-in command: a new configured host, as `pulumi` starts one per command. */
    const command = async <T>(body: (resource: EngineResource) => Promise<T>): Promise<T> => {
      const host = await startHost({ cwd: FIXTURE, project: PROJECT, stack: STACK });
      await host.configure(config(standInEmulator), SECRET_CONFIG_KEYS);
      const { secret } = await registered({ quantity: 2, epoch: 1 });
      group = group ? group.inHost(host) : new EngineResource(host, urn, { additionalSecretOutputs: secret });
      try {
        return await body(group);
      } finally {
        await host.close();
      }
    };
    const rows: Row[] = [];
    const compare = async (
      name: string,
      standIn: () => Promise<Step>,
      realArgs: string[],
      env: NodeJS.ProcessEnv = {},
    ): Promise<void> => {
      const standInStep = await standIn();
      const standInCalls = taken(standInEmulator);
      const run = await real!.run(realArgs, env);
      expect({ command: realArgs.join(" "), code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
      rows.push({
        command: name,
        standIn: { step: standInStep, calls: standInCalls },
        real: { step: realStep(run), calls: taken(realEmulator) },
      });
    };
    /** Resets, outside Pulumi, the first phone of the group each engine's state holds now. */
    const resetOneOutOfBand = async () => {
      const realGroup = (await real!.exportedWithSecrets()).find((r) => r.type === GROUP)?.outputs?.[
        "groupName"
      ];
      for (const [emulator, groupName] of [
        [standInEmulator, group?.state?.outputs["groupName"]],
        [realEmulator, realGroup],
      ] as const) {
        const phone = emulator.phones(APP).find((p) => p.groupName === groupName);
        expect(phone).toBeDefined();
        emulator.resetPasswordOutOfBand(APP, phone!.account);
      }
    };
    let settings: Settings = { quantity: 2, epoch: 1 };
    const news = async () => (await registered(settings)).inputs;
    await compare("preview (new stack)", async () => command(async (g) => g.preview(await news())), [
      "preview",
    ]);
    await compare("up", async () => command(async (g) => g.up(await news())), [
      "up",
      "--yes",
      "--skip-preview",
    ]);
    await compare("preview (no change)", async () => command(async (g) => g.preview(await news())), [
      "preview",
    ]);

    settings = { quantity: 2, epoch: 2 };
    await real.ok(["config", "set", "epoch", "2"]);
    await compare("preview (trigger changed)", async () => command(async (g) => g.preview(await news())), [
      "preview",
    ]);
    await compare("up (trigger changed)", async () => command(async (g) => g.up(await news())), [
      "up",
      "--yes",
      "--skip-preview",
    ]);

    settings = { quantity: 3, epoch: 2 };
    await real.ok(["config", "set", "quantity", "3"]);
    await compare("preview (quantity changed)", async () => command(async (g) => g.preview(await news())), [
      "preview",
    ]);
    await compare("up (quantity changed)", async () => command(async (g) => g.up(await news())), [
      "up",
      "--yes",
      "--skip-preview",
    ]);

    // The group's outputs, by name, as each engine stores them.
    const realOutputs = (await real.exportedWithSecrets()).find((r) => r.type === GROUP)?.outputs ?? {};
    const names = (props: Record<string, unknown>) =>
      Object.keys(props)
        .filter((k) => k !== "__provider")
        .sort();
    expect(names(group!.state!.outputs)).toEqual(names(realOutputs));

    await resetOneOutOfBand();
    await compare(
      "refresh after a password reset outside Pulumi (shown)",
      async () =>
        command(async (g) => {
          await g.refresh();
          return g.lastRefresh!.shown === "same" ? "same" : g.lastRefresh!.shown;
        }),
      ["refresh", "--yes", "--skip-preview"],
    );
    await resetOneOutOfBand();
    await compare(
      "refresh, PULUMI_ENABLE_LEGACY_REFRESH_DIFF=true",
      async () => command(async (g) => ((await g.refresh()) === "changed" ? "update" : "same")),
      ["refresh", "--yes", "--skip-preview"],
      { PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true" },
    );
    await compare(
      "destroy",
      async () =>
        command(async (g): Promise<Step> => {
          await g.destroy();
          return "delete";
        }),
      ["destroy", "--yes", "--skip-preview"],
    );

    console.log(
      [
        "The stand-in engine and the real CLI, step by step (the group `office`; API calls at each one's emulator):",
        "| command | stand-in step | real step | stand-in calls | real calls |",
        "|---|---|---|---|---|",
        ...rows.map(
          (r) =>
            `| ${r.command} | ${r.standIn.step} | ${r.real.step} | ${r.standIn.calls} | ${r.real.calls} |`,
        ),
      ].join("\n"),
    );
    for (const row of rows)
      expect({ command: row.command, ...row.standIn }).toEqual({ command: row.command, ...row.real });
  },
  600_000,
);
