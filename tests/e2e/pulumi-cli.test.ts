/**
 * Where a real Pulumi CLI is on PATH (a user's machine, a CI runner with
 * pulumi/actions), the quickstart runs for real: up, preview expecting no
 * changes, refresh, destroy, with a local file backend, against the emulator.
 * Where there is none (our development machines cannot install it), jest reports
 * the test as skipped, with the reason in its title.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "../../emulator";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";

function pulumiCli(): string | undefined {
  try {
    return execFileSync("pulumi", ["version"], {
      encoding: "utf8",
      timeout: 20_000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

const version = pulumiCli();
// Reported as skipped, not passed, where it cannot run: the count says what ran.
const withCli = version ? it : it.skip;
const title = version
  ? `runs the quickstart with the real Pulumi CLI ${version}: up, preview (no changes), refresh, destroy`
  : "runs the quickstart with the real Pulumi CLI (skipped here: no pulumi CLI on PATH)";

withCli(
  title,
  async () => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const emulator = await startEmulator({ port: 0 });
    const home = mkdtempSync(path.join(tmpdir(), "pulumi-itniotech-auto-"));
    try {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "auto", workDir: path.resolve(__dirname, "../../examples/quickstart") },
        {
          envVars: {
            PULUMI_BACKEND_URL: `file://${home}`,
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
      await emulator.close();
    }
  },
  300_000,
);
