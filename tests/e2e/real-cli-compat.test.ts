/**
 * The README's compatibility claim through the real Pulumi CLI: the quickstart runs
 * `pulumi up` (the group created at the emulator, the passwords output equal to the
 * live ones) and `pulumi destroy` (every password revoked) with the oldest
 * @pulumi/pulumi the package supports and with the newest the npm registry serves.
 *
 * The package and the program must share ONE @pulumi/pulumi, so each run is a copy of
 * the quickstart outside the repository, with the package installed from its tarball
 * (one `npm pack` for both) beside the chosen @pulumi/pulumi: through a link to the
 * repository the package would resolve the repository's own @pulumi/pulumi instead.
 * The CLI's language host runs the program and the dynamic-provider host from that
 * project's node_modules, so both run the chosen SDK.
 */
import { cpSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { tempDir } from "../helpers/fakePulumi";
import { npm, packCleanCheckout } from "../helpers/pack";
import { REAL_CLI, realCliIt, realCliSession, ROOT } from "../helpers/realCli";

/** The floor of the package's peer range for @pulumi/pulumi (checked below). */
const OLDEST = "3.139.0";
/**
 * The newest @pulumi/pulumi on npm when this was written: the last entry of
 * `npm view @pulumi/pulumi versions --json`, also its `latest` tag, on 2026-12-08.
 * Pinned, so the test does not change under a release; raise it with the next check.
 */
const NEWEST = "3.276.0";
/** One pack, npm installs that may fetch from the registry, two CLI runs. */
const TIMEOUT = 600_000;

let work: string | undefined;
let tarball: string;
beforeAll(() => {
  // Without a CLI every run below skips: nothing to pack.
  if (!REAL_CLI) return;
  work = realpathSync(tempDir("compat"));
  tarball = packCleanCheckout(work).tarball;
}, TIMEOUT);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const session = realCliSession();
const live = () => session.live();

/** The quickstart copied outside the repository, with the tarball and @pulumi/pulumi@`version` installed. */
function quickstartWith(version: string): string {
  const dir = path.join(work as string, `quickstart-${version}`);
  cpSync(path.join(ROOT, "examples/quickstart"), dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.pulumi|bin)$/.test(src),
  });
  npm(dir, [
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    "--save-exact",
    tarball,
    `@pulumi/pulumi@${version}`,
  ]);
  return dir;
}

it(`the oldest version run is the floor of the package's @pulumi/pulumi peer range (${OLDEST})`, () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  expect(manifest.peerDependencies["@pulumi/pulumi"]).toBe(`>=${OLDEST} <4`);
});

for (const [which, version] of [
  ["the oldest supported", OLDEST],
  ["the newest on npm", NEWEST],
] as const)
  realCliIt(
    `quickstart with @pulumi/pulumi ${version} (${which}), the package installed from its tarball: up creates the group, destroy revokes every password`,
    async () => {
      const dir = quickstartWith(version);
      const modules = path.join(dir, "node_modules");
      const sdk = JSON.parse(readFileSync(path.join(modules, "@pulumi/pulumi/package.json"), "utf8")) as {
        version: string;
      };
      expect(sdk.version).toBe(version);
      // The package is a copy from the tarball, and resolves the program's own SDK.
      expect(realpathSync(path.join(modules, "pulumi-itniotech"))).toBe(
        path.join(modules, "pulumi-itniotech"),
      );
      expect(
        createRequire(path.join(modules, "pulumi-itniotech/package.json")).resolve("@pulumi/pulumi"),
      ).toBe(path.join(modules, "@pulumi/pulumi/index.js"));

      const stack = await session.createStack({ project: dir, inPlace: true });

      const up = await stack.ok(["up", "--yes", "--skip-preview"]);
      expect(up.stdout).toMatch(/\+ 2 created/);
      expect(session.emulator.counters()).toMatchObject({ sipAdd: 1, sipReset: 0 });
      expect(session.emulator.groups("demo-app").map((g) => g.quantity)).toEqual([3]);
      const outputs = await stack.outputs();
      expect(Object.keys(live())).toHaveLength(3);
      expect(outputs["passwords"]).toEqual(live());
      expect(outputs["accounts"]).toEqual(Object.keys(live()).sort());

      session.emulator.resetCounters();
      const before = live();
      const destroy = await stack.ok(["destroy", "--yes", "--skip-preview"]);
      expect(destroy.stdout).toMatch(/- 2 deleted/);
      expect(session.emulator.counters()).toMatchObject({ sipAdd: 0, sipReset: 3 });
      for (const [account, password] of Object.entries(live())) expect(password).not.toBe(before[account]);
    },
    TIMEOUT,
  );
