/**
 * The quickstart through the real Pulumi CLI, every command a user runs, against the
 * emulator with a local file backend, counting the API calls each made:
 * preview (none), up, preview --expect-no-changes, an out-of-band change found by
 * refresh, a reviewed `preview --diff`, the state export, destroy (every password
 * revoked). The other examples: real-cli-examples.test.ts.
 */
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { DEMO_CREDENTIALS } from "../../emulator";
import { pulumiEnv } from "../../scripts/pulumiCli";
import { runStack } from "../../scripts/stack";
import {
  copyProject,
  expectNoLeaks,
  expectNoSecretsIn,
  REAL_CLI,
  realCliIt,
  realCliSession,
  revealExported,
  ROOT,
  totalCalls,
} from "../helpers/realCli";

const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const TIMEOUT = 600_000;

const session = realCliSession();

const live = () => session.live();

/** What no command may print and no state may hold in plaintext. */
function secretsOf(passwords: Record<string, string>): string[] {
  return [DEMO_CREDENTIALS.apiSecret, ...Object.values(passwords)];
}

realCliIt(
  "quickstart: preview makes no API call, up creates, a second preview sees no change, destroy revokes",
  async () => {
    const stack = await session.createStack({ project: path.join(ROOT, "examples/quickstart") });

    const preview = await stack.ok(["preview"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    expect(preview.stdout).toMatch(/\+ +pulumi-nodejs:dynamic\/itniotech:SipPhoneGroup +office +create/);
    expect(preview.stdout).toMatch(/\+ 2 to create/);

    const up = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 2 created/);
    // One sipAdd, one read-back: the group's phones and their initial passwords.
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 1, sipQuery: 1, sipReset: 0 });
    expect(session.emulator.groups("demo-app").map((g) => g.quantity)).toEqual([3]);
    const outputs = await stack.outputs();
    expect(outputs["passwords"]).toEqual(live());
    expect(outputs["accounts"]).toEqual(Object.keys(live()).sort());
    // The plain `stack output` shows the passwords as a secret.
    expect((await stack.ok(["stack", "output", "passwords"])).stdout.trim()).toBe("[secret]");

    // The state as `pulumi stack export` gives it: no plaintext password or API secret.
    const secrets = secretsOf(live());
    const exported = await stack.exported();
    expectNoSecretsIn(exported.text, secrets, "pulumi stack export");
    const group = exported.resources.find((r) => r.type === GROUP);
    expect(group?.id).toBe(`demo-app/${outputs["groupName"] as string}`);
    expect(group?.outputs?.["passwords"]).toMatchObject({
      "4dabf18193072939515e22adb298388d": expect.any(String),
    });
    // The serialized provider in every resource's inputs stays small (DESIGN.md).
    const provider = group?.inputs?.["__provider"];
    expect(typeof provider).toBe("string");
    expect((provider as string).length).toBeLessThan(4096);
    console.log(`__provider in the state: ${(provider as string).length} characters`);

    session.emulator.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    await stack.ok(["up", "--yes", "--expect-no-changes"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);

    const before = live();
    const destroy = await stack.ok(["destroy", "--yes"]);
    expect(destroy.stdout).toMatch(/- 2 deleted/);
    // There is no delete endpoint: every password the stack knew is reset, and said so.
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 3 });
    for (const [account, password] of Object.entries(live())) expect(password).not.toBe(before[account]);
    expect(`${destroy.stdout}${destroy.stderr}`).toMatch(/stay on the platform/);
    expectNoLeaks(stack.runs, secrets);
  },
  TIMEOUT,
);

realCliIt(
  "quickstart: a password changed outside Pulumi is found by refresh, shown as drift, and then preview is clean",
  async () => {
    const stack = await session.createStack({ project: path.join(ROOT, "examples/quickstart") });
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const account = Object.keys(live())[1] as string;
    const changed = session.emulator.resetPasswordOutOfBand("demo-app", account);

    session.emulator.resetCounters();
    const refresh = await stack.ok(["refresh", "--yes", "--diff"]);
    // Reads only. Two: `pulumi refresh` previews first (a Read of every resource), then
    // refreshes; `--skip-preview` halves it.
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipQuery: 2, sipReset: 0 });
    // The state now holds the password the platform has...
    const group = (await stack.exportedWithSecrets()).find((r) => r.type === GROUP);
    expect(revealExported(group?.outputs?.["passwords"])).toMatchObject({ [account]: changed });
    // ...but today's refresh shows only what an `up` would change in the inputs (the
    // engine asks the provider's Diff, and passwords are outputs): "unchanged".
    expect(refresh.stdout).toMatch(/2 unchanged/);
    // Pulumi's legacy refresh diff compares outputs: there the drift shows.
    const another = Object.keys(live())[2] as string;
    session.emulator.resetPasswordOutOfBand("demo-app", another);
    const legacy = await stack.run(["refresh", "--yes", "--diff", "--skip-preview"], {
      PULUMI_ENABLE_LEGACY_REFRESH_DIFF: "true",
    });
    expect(legacy.code).toBe(0);
    expect(legacy.stdout).toMatch(/~ pulumi-nodejs:dynamic\/itniotech:SipPhoneGroup: \(update\)/);
    expect(legacy.stdout).toMatch(/~ 1 updated/);
    // Stack outputs are the program's: the next `up` brings them in line, calling nothing.
    session.emulator.resetCounters();
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    expect((await stack.outputs())["passwords"]).toEqual(live());
    await stack.ok(["preview", "--expect-no-changes"]);

    // The group removed outside Pulumi: refresh drops it from the state, up creates it anew.
    session.emulator.removeGroup("demo-app", (await stack.outputs())["groupName"] as string);
    session.emulator.resetCounters();
    const gone = await stack.ok(["refresh", "--yes", "--skip-preview"]);
    expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipQuery: 1, sipReset: 0 });
    expect(gone.stdout).toMatch(/- 1 deleted/);
    expect((await stack.ok(["preview"])).stdout).toMatch(/\+ 1 to create/);
    expectNoLeaks(stack.runs, [changed]);
  },
  TIMEOUT,
);

realCliIt(
  "what a reviewer sees: `pulumi preview --diff` of a change names the replacement and shows no secret",
  async () => {
    const stack = await session.createStack({ project: path.join(ROOT, "examples/quickstart") });
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const secrets = secretsOf(live());
    await stack.ok(["config", "set", "quantity", "4"]);
    session.emulator.resetCounters();
    const diff = await stack.ok(["preview", "--diff"]);
    expect(totalCalls(session.emulator.counters())).toBe(0);
    expectNoSecretsIn(diff.stdout + diff.stderr, secrets, "preview --diff");
    // The reviewed snapshot: what changes and why, with the run's names and times masked.
    const reviewed = diff.stdout
      .split("\n")
      .filter((l) => /^\s*[-+~]{1,3}\s|Resources|to (create|replace|delete)/.test(l))
      .map((l) =>
        l
          .replace(/office-[a-z0-9]{7}/g, "office-<random>")
          .replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, "<time>")
          .replace(/\s+$/, ""),
      );
    expect(diff.stdout).toMatch(/\+-pulumi-nodejs:dynamic\/itniotech:SipPhoneGroup: \(replace\)/);
    expect(reviewed).toEqual([
      "      - accounts      : [",
      '      -     [0]: "office-<random>_001"',
      '      -     [1]: "office-<random>_002"',
      '      -     [2]: "office-<random>_003"',
      '      ~ groupName     : "office-<random>" => "office-<random>"',
      "      - passwords     : [secret]",
      "      - passwordsSetAt: <time>",
      '      ~ phoneName     : "office-<random>" => "office-<random>"',
      "      ~ quantity      : 3 => 4",
      '  ~ groupName: "office-<random>" => "office-<random>"',
      "Resources:",
      "    +-1 to replace",
    ]);
  },
  TIMEOUT,
);

realCliIt(
  "npm start (the main job) runs a real pulumi up of the root project; the second changes nothing; destroy revokes",
  async () => {
    // The repository's root project in a temporary folder: .pulumi/ and .emulator/ land
    // there, never in the working tree's own demo.
    const { home, dir } = copyProject(path.join(ROOT, "examples/quickstart"));
    try {
      mkdirSync(path.join(home, "root", "examples"), { recursive: true });
      const root = path.join(home, "root");
      renameSync(dir, path.join(root, "examples", "quickstart"));
      copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
      symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
      const lines: string[] = [];
      const run = (action: string) =>
        runStack(action, {
          root,
          env: { ...process.env, PATH: pulumiEnv(REAL_CLI!, process.env)["PATH"] },
          out: (line) => lines.push(line),
          err: (line) => lines.push(line),
          pulumiStdout: "ignore",
        });
      expect(await run("up")).toBe(0);
      expect(lines[0]).toMatch(
        /^Pulumi v3\.\d+\.\d+ \(.+\); emulator at http:\/\/127\.0\.0\.1:\d+\/voice; stack 'dev'/,
      );
      // The emulator's data file: the platform as `npm start` left it.
      const platform = () =>
        Object.fromEntries(
          (
            JSON.parse(readFileSync(path.join(root, ".emulator", "data.json"), "utf8")) as {
              phones: Array<{ account: string; password: string }>;
            }
          ).phones.map((p) => [p.account, p.password]),
        );
      const created = platform();
      expect(Object.keys(created)).toHaveLength(3);
      // Again: the same stack and emulator data, nothing to do.
      expect(await run("up")).toBe(0);
      expect(await run("preview")).toBe(0);
      expect(await run("refresh")).toBe(0);
      expect(platform()).toEqual(created);
      expect(await run("destroy")).toBe(0);
      // The phones stay (no delete endpoint); every password the stack knew is revoked.
      const revoked = platform();
      expect(Object.keys(revoked)).toEqual(Object.keys(created));
      for (const [account, password] of Object.entries(revoked)) expect(password).not.toBe(created[account]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
  TIMEOUT,
);
