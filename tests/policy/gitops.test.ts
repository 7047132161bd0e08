/**
 * The GitOps kit runs the pack: the preview workflow passes the ready pack's path
 * as a project reaches it, and the package ships that path (its `files` and the
 * `./policy` export) so `npm ci` in the project puts it there.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const PACK = "node_modules/pulumi-itniotech/policy-pack";

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

it("the preview workflow runs the ready pack with a config file from the program's folder", () => {
  const workflow = parse(
    readFileSync(path.join(ROOT, "examples/github-actions/workflows/preview.yml"), "utf8"),
  ) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
  expect(pulumi?.with).toMatchObject({
    command: "preview",
    policyPacks: PACK,
    policyPackConfigs: expect.stringMatching(/\.json$/),
  });
});

it("the package ships the pack folder and the compiled rules it loads", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    files: string[];
    exports: Record<string, { types: string; default: string }>;
  };
  expect(pkg.files).toEqual(expect.arrayContaining(["policy-pack", "dist/policy"]));
  expect(pkg.exports["./policy"]).toEqual({
    types: "./dist/policy/index.d.ts",
    default: "./dist/policy/index.js",
  });
  for (const file of ["PulumiPolicy.yaml", "package.json", "index.js", "config.example.json", "README.md"]) {
    expect(existsSync(path.join(ROOT, PACK, file))).toBe(true);
  }
  // The entry loads the rules relative to itself: from the package's dist/, which npm test builds.
  expect(readFileSync(path.join(ROOT, "policy-pack/index.js"), "utf8")).toMatch(
    /require\("\.\.\/dist\/policy"\)/,
  );
  expect(existsSync(path.join(ROOT, "dist/policy/index.js"))).toBe(true);
});
