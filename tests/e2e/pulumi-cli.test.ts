/**
 * The Automation API (LocalWorkspace), as a platform team's own tooling drives Pulumi:
 * the quickstart's up, preview (no changes), refresh, destroy through the real CLI
 * (tests/helpers/realCli.ts finds it; skipped with the reason in the title where there
 * is none), a local file backend, the emulator.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "../../emulator";
import { pulumiEnv } from "../../scripts/pulumiCli";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { copyProject, REAL_CLI, realCliIt, ROOT } from "../helpers/realCli";

realCliIt(
  "the Automation API runs the quickstart: up, preview (no changes), refresh, destroy",
  async () => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const emulator = await startEmulator({ port: 0 });
    // A copy of the project: the workspace writes Pulumi.auto.yaml beside Pulumi.yaml.
    const { home, dir } = copyProject(path.join(ROOT, "examples/quickstart"));
    // The Automation API runs the `pulumi` on PATH, looked up with this process's PATH.
    const path0 = process.env["PATH"];
    process.env["PATH"] = pulumiEnv(REAL_CLI!, process.env)["PATH"];
    try {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "auto", workDir: dir },
        {
          envVars: {
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "test",
            PULUMI_HOME: path.join(home, ".pulumi"),
          },
        },
      );
      await stack.setAllConfig(
        Object.fromEntries(
          Object.entries(stackConfig(emulator.baseUrl)).map(([key, value]) => [
            key,
            { value, secret: SECRET_CONFIG_KEYS.includes(key) },
          ]),
        ),
      );
      const live = () => Object.fromEntries(emulator.phones("demo-app").map((p) => [p.account, p.password]));
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.outputs["passwords"]?.secret).toBe(true);
      // The platform's own view: one group of three, whose passwords the stack holds.
      expect(emulator.groups("demo-app").map((g) => g.quantity)).toEqual([3]);
      const passwords = up.outputs["passwords"]?.value as Record<string, string>;
      expect(passwords).toEqual(live());
      await stack.preview({ expectNoChanges: true });
      expect((await stack.refresh()).summary.result).toBe("succeeded");
      await stack.preview({ expectNoChanges: true });
      const destroy = await stack.destroy();
      expect(destroy.summary.result).toBe("succeeded");
      // Revoked: every password the stack knew no longer works.
      for (const [account, password] of Object.entries(live())) expect(password).not.toBe(passwords[account]);
    } finally {
      process.env["PATH"] = path0;
      rmSync(home, { recursive: true, force: true });
      await emulator.close();
    }
  },
  300_000,
);
