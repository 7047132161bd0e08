/**
 * The GitOps workflows say what examples/github-actions/README.md promises. GitHub is
 * not here to run them, so their structure is checked: the properties that matter
 * are easy to lose in an edit (npm ci before the action, no credentials in previews,
 * one update at a time).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, { steps: Step[] }>;
}

const load = (name: string): Workflow =>
  parse(
    readFileSync(path.resolve(__dirname, "../../examples/github-actions/workflows", name), "utf8"),
  ) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps);
const pulumiStep = (w: Workflow): Step => {
  const found = steps(w).filter((s) => s.uses?.startsWith("pulumi/actions@"));
  expect(found).toHaveLength(1);
  return found[0] as Step;
};

describe.each(["preview.yml", "up.yml", "drift.yml"])("%s", (name) => {
  const workflow = load(name);

  it("uses pulumi/actions@v6 after npm ci, in the same folder", () => {
    const all = steps(workflow);
    const action = pulumiStep(workflow);
    expect(action.uses).toBe("pulumi/actions@v6");
    const ci = all.findIndex((s) => s.run === "npm ci");
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(ci).toBeLessThan(all.indexOf(action));
    expect((all[ci] as { "working-directory"?: string })["working-directory"]).toBe(
      action.with?.["work-dir"],
    );
  });
});

it("preview: on pull requests, the diff as a PR comment, and no Itniotech credentials", () => {
  const workflow = load("preview.yml");
  const action = pulumiStep(workflow);
  expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
  expect(action.with).toMatchObject({ command: "preview", "comment-on-pr": true });
  expect(workflow.permissions["pull-requests"]).toBe("write");
  expect(JSON.stringify(workflow)).not.toMatch(/ITNIOTECH/);
});

it("up: on merge to main, credentials from repository secrets", () => {
  const workflow = load("up.yml");
  const action = pulumiStep(workflow);
  expect(workflow.on).toEqual({ push: expect.objectContaining({ branches: ["main"] }) });
  expect(action.with?.["command"]).toBe("up");
  expect(action.env).toMatchObject({
    ITNIOTECH_API_KEY: "${{ secrets.ITNIOTECH_API_KEY }}",
    ITNIOTECH_API_SECRET: "${{ secrets.ITNIOTECH_API_SECRET }}",
  });
});

it("drift: scheduled refresh that expects no changes, credentials through Pulumi ESC (OIDC)", () => {
  const workflow = load("drift.yml");
  const action = pulumiStep(workflow);
  expect(workflow.on).toHaveProperty("schedule");
  expect(action.with).toMatchObject({ command: "refresh", "expect-no-changes": true });
  expect(workflow.permissions["id-token"]).toBe("write");
  expect(steps(workflow).some((s) => s.uses?.startsWith("pulumi/auth-actions@"))).toBe(true);
  expect(JSON.stringify(workflow)).not.toMatch(/secrets\./);
});

it("drift: then the fleet gate, itniotech inventory on the stack's export, even after a failed refresh", () => {
  const workflow = load("drift.yml");
  const all = steps(workflow);
  const gate = all.findIndex((s) => /npx itniotech inventory --app \S+ --state/.test(s.run ?? ""));
  expect(gate).toBeGreaterThan(all.indexOf(pulumiStep(workflow)));
  expect(all[gate]?.run).toMatch(
    /pulumi stack export --stack my-org\/phones\/prod --file (\S+)\n[^]*--state \1/,
  );
  expect((all[gate] as { if?: string }).if).toBe("${{ !cancelled() }}");
});

it("up and drift share one concurrency group and never cancel a run in progress", () => {
  const [up, drift] = [load("up.yml"), load("drift.yml")];
  expect(up.concurrency).toEqual(drift.concurrency);
  expect(up.concurrency["cancel-in-progress"]).toBe(false);
  expect(pulumiStep(up).with?.["stack-name"]).toBe(pulumiStep(drift).with?.["stack-name"]);
});
