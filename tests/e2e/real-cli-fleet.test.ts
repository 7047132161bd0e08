/**
 * Bringing an existing fleet under Pulumi, through the real Pulumi CLI: the emulator
 * holds groups made in the console (names with spaces and non-ASCII characters among
 * them); `itniotech export` writes the groups-from-yaml file; `pulumi up` of the
 * example with that file adopts every group (no sipAdd, no sipReset);
 * `pulumi preview --expect-no-changes` passes; `itniotech inventory` on the real
 * `pulumi stack export` finds every group managed (exit 0).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { consoleStyleGroup } from "../helpers/consoleGroup";
import { emulatorEnv, itniotech } from "../helpers/cli";
import { realCliIt, realCliSession, ROOT } from "../helpers/realCli";

const APP = "demo-app";
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";

const session = realCliSession();

const seeded = consoleStyleGroup;

realCliIt(
  "itniotech export, then pulumi up adopts every group with no sipAdd or sipReset; preview and inventory find nothing to do",
  async () => {
    for (let i = 0; i < 10; i++) session.emulator.seedGroup({ appId: APP, ...seeded(i) });
    const before = Object.fromEntries(session.emulator.phones(APP).map((p) => [p.account, p.password]));

    const stack = await session.createStack({ project: path.join(ROOT, "examples/groups-from-yaml") });
    const file = path.join(stack.dir, "phone-groups.yaml");
    const exported = await itniotech(["export", "--app", APP, "--out", file], {
      env: emulatorEnv(session.emulator),
    });
    expect(exported.code).toBe(0);

    session.emulator.resetCounters();
    const up = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 11 created/);
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 0 });
    // Adopted as they are: every password kept, and now in the state.
    expect(Object.fromEntries(session.emulator.phones(APP).map((p) => [p.account, p.password]))).toEqual(
      before,
    );
    const groups = (await stack.exportedWithSecrets()).filter((r) => r.type === GROUP);
    expect(groups.map((g) => g.id).sort()).toEqual(
      session.emulator
        .groups(APP)
        .map((g) => `${APP}/${g.groupName}`)
        .sort(),
    );

    session.emulator.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipQuery: 0, sipReset: 0 });

    const state = path.join(stack.dir, "..", "state.json");
    writeFileSync(state, (await stack.exported()).text);
    const inventory = await itniotech(["inventory", "--app", APP, "--state", state], {
      env: emulatorEnv(session.emulator),
    });
    expect({ code: inventory.code, stderr: inventory.stderr }).toEqual({
      code: 0,
      stderr: expect.any(String),
    });
    expect(inventory.stdout).toMatch(/Every group is managed and consistent/);
  },
  600_000,
);
