/**
 * The ready pack (`node_modules/pulumi-itniotech/policy-pack`, as a project reaches
 * it) in @pulumi/policy's real analyzer, started by @pulumi/pulumi's own
 * `run-policy-pack` and driven over gRPC the way the engine drives it
 * (tests/helpers/analyzer.ts): Handshake, ConfigureStack, GetAnalyzerInfo,
 * Configure with the reconciled `config.example.json`, Analyze with a group's inputs
 * as the provider's check returns them, AnalyzeStack with outputs.
 *
 * Prints the table of each rule × (compliant, violating) with the analyzer's verdict.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { GROUP_TYPE, PASSWORD_TYPE } from "../../policy";
import { checkGroup } from "../../provider/check";
import {
  AnalyzerCallError,
  READY_PACK,
  reconcile,
  startAnalyzer,
  type AnalyzeResult,
  type Analyzer,
  type AnalyzerResource,
  type PolicyPackConfigFile,
} from "../helpers/analyzer";
import { resourceUrn } from "../helpers/host";
import { secret, UNKNOWN, type Props } from "../helpers/values";

const PROJECT = "phones";
const STACK = "prod";
const API_SECRET = "PolicyCanarySecret-7d1";
const PASSWORD = "PolicyCanaryPassword-3c9";
const EXAMPLE_CONFIG = JSON.parse(
  readFileSync(path.join(READY_PACK, "config.example.json"), "utf8"),
) as PolicyPackConfigFile;
const VERSION = (JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as Props)[
  "version"
];

const stackUrn = resourceUrn("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`, PROJECT, STACK);
/** A dynamic resource's provider: the default pulumi-nodejs provider, whose inputs are the whole stack config. */
const provider = {
  urn: resourceUrn("pulumi:providers:pulumi-nodejs", "default", PROJECT, STACK),
  properties: { "itniotech:apiKey": "policy-key", "itniotech:apiSecret": secret(API_SECRET) },
};

/** A compliant group: generated names, rotation, an allowed caller ID, protected. */
const COMPLIANT: Props = { appId: "app-policy", quantity: 10, displayNum: "8610000001", rotateAfter: "90d" };

/** A group as `Analyze` gets it: the provider's checked inputs (names generated), plus options. */
function group(
  name: string,
  news: Props,
  options: { protect?: boolean } = { protect: true },
): AnalyzerResource {
  const checked = checkGroup({}, { namePrefix: name, ...news, __provider: "exports.handler = {}" });
  expect(checked.failures).toEqual([]);
  return {
    urn: resourceUrn(GROUP_TYPE, name, PROJECT, STACK),
    properties: checked.inputs,
    options: { protect: options.protect ?? false, additionalSecretOutputs: ["passwords"], parent: stackUrn },
    provider,
  };
}

/** The same group as `AnalyzeStack` gets it after an up: its outputs. */
function stored(resource: AnalyzerResource, quantity: unknown): AnalyzerResource {
  const account = `${String(resource.properties["phoneName"])}_001`;
  return {
    ...resource,
    properties: {
      ...resource.properties,
      quantity,
      accounts: [account],
      passwords: secret({ [account]: PASSWORD }),
    },
  };
}

function password(name: string, news: Props): AnalyzerResource {
  return {
    urn: resourceUrn(PASSWORD_TYPE, name, PROJECT, STACK),
    properties: { appId: "app-policy", account: "frontdesk_001", ...news },
    options: { additionalSecretOutputs: ["password"], parent: stackUrn },
    provider,
  };
}

/** The verdict a diagnostic list gives one rule: "pass", or the level and the rule's own message. */
function verdict(result: AnalyzeResult, rule: string): string {
  const found = result.diagnostics.filter((d) => d.policyName === rule);
  if (found.length === 0) return "pass";
  return found.map((d) => `${d.enforcementLevel}: ${d.message.split("\n").slice(1).join(" ")}`).join(" | ");
}

const table: string[][] = [];
const transcript: AnalyzeResult[] = [];
let analyzer: Analyzer;

beforeAll(async () => {
  analyzer = await startAnalyzer({
    packDir: READY_PACK,
    stack: STACK,
    project: PROJECT,
    stackConfig: { "itniotech:apiKey": "policy-key", "itniotech:apiSecret": API_SECRET },
  });
  await analyzer.configure(EXAMPLE_CONFIG);
}, 60_000);

afterAll(async () => {
  await analyzer?.close();
  if (table.length > 0) {
    const rows = table.map((r) => `| ${r.join(" | ")} |`);
    console.log(["| rule | case | analyzer verdict |", "| --- | --- | --- |", ...rows].join("\n"));
  }
});

async function analyze(resource: AnalyzerResource): Promise<AnalyzeResult> {
  const result = await analyzer.analyze(resource);
  transcript.push(result);
  return result;
}

async function analyzeStack(resources: AnalyzerResource[]): Promise<AnalyzeResult> {
  const result = await analyzer.analyzeStack(resources);
  transcript.push(result);
  return result;
}

it("describes itself as the engine reads it: five rules, their levels, types and config schemas", () => {
  const { info } = analyzer;
  expect(info).toMatchObject({ name: "itniotech", version: VERSION, supportsConfig: true });
  const byName = Object.fromEntries(info.policies.map((p) => [p.name, p]));
  expect(Object.keys(byName).sort()).toEqual([
    "itniotech-caller-id-allowlist",
    "itniotech-explicit-names",
    "itniotech-phones-per-app",
    "itniotech-protect-production",
    "itniotech-rotation-required",
  ]);
  expect(byName["itniotech-rotation-required"]).toMatchObject({
    enforcementLevel: "mandatory",
    type: "resource",
    configSchema: { properties: { maxDays: expect.objectContaining({ type: "integer", default: 90 }) } },
  });
  expect(byName["itniotech-explicit-names"]).toMatchObject({
    enforcementLevel: "advisory",
    type: "resource",
  });
  expect(byName["itniotech-protect-production"]).toMatchObject({
    enforcementLevel: "mandatory",
    configSchema: { properties: { productionStacks: expect.objectContaining({ default: "^prod" }) } },
  });
  expect(byName["itniotech-phones-per-app"]).toMatchObject({ enforcementLevel: "mandatory", type: "stack" });
  expect(byName["itniotech-caller-id-allowlist"]).toMatchObject({
    enforcementLevel: "mandatory",
    type: "resource",
  });
  for (const policy of info.policies) {
    expect(policy.description.length).toBeGreaterThan(40);
    expect(policy.remediationSteps.length).toBeGreaterThan(20);
    expect(policy.configSchema).toBeDefined();
  }
});

it("config.example.json passes the schemas the pack publishes; bad settings are refused before any analysis", () => {
  expect(reconcile(analyzer.info, EXAMPLE_CONFIG)).toMatchObject({
    "itniotech-rotation-required": { enforcementLevel: "mandatory", properties: { maxDays: 90 } },
    "itniotech-explicit-names": { enforcementLevel: "advisory" },
    "itniotech-protect-production": { properties: { productionStacks: "^prod" } },
  });
  // With no file at all, the defaults of the schemas apply.
  expect(reconcile(analyzer.info, {})["itniotech-rotation-required"]?.properties).toEqual({ maxDays: 90 });
  expect(() =>
    reconcile(analyzer.info, {
      "itniotech-rotation-required": { maxDays: 0 },
      "itniotech-caller-id-allowlist": { allowedCallerIds: [] },
      "itniotech-phones-per-app": { maxPhonesPerApp: "many" },
    }),
  ).toThrow(
    /itniotech-caller-id-allowlist: allowedCallerIds .*fewer than 1.*itniotech-phones-per-app: maxPhonesPerApp must be integer.*itniotech-rotation-required: maxDays must be >= 1/,
  );
});

it("a compliant group and password draw no diagnostic from any rule", async () => {
  const result = await analyze(group("office", COMPLIANT));
  expect(result.diagnostics).toEqual([]);
  expect((await analyze(password("frontdesk", { rotateAfter: "30d" }))).diagnostics).toEqual([]);
  expect((await analyzeStack([stored(group("office", COMPLIANT), 10)])).diagnostics).toEqual([]);
});

type Kind = "compliant" | "violating";
const resourceCases: Array<[string, Kind, string, () => AnalyzerResource]> = [
  ["itniotech-rotation-required", "compliant", 'group, rotateAfter "90d"', () => group("office", COMPLIANT)],
  [
    "itniotech-rotation-required",
    "violating",
    "group, no rotateAfter",
    () => group("office", { ...COMPLIANT, rotateAfter: undefined }),
  ],
  [
    "itniotech-rotation-required",
    "violating",
    'password, rotateAfter "180d"',
    () => password("frontdesk", { rotateAfter: "180d" }),
  ],
  [
    "itniotech-explicit-names",
    "compliant",
    "group, names generated by check",
    () => group("office", COMPLIANT),
  ],
  [
    "itniotech-explicit-names",
    "violating",
    'group, groupName "Office Phones"',
    () => group("office", { ...COMPLIANT, groupName: "Office Phones" }),
  ],
  [
    "itniotech-protect-production",
    "compliant",
    "stack prod, protect: true",
    () => group("office", COMPLIANT),
  ],
  [
    "itniotech-protect-production",
    "violating",
    "stack prod, not protected",
    () => group("office", COMPLIANT, { protect: false }),
  ],
  ["itniotech-caller-id-allowlist", "compliant", 'displayNum "8610000001"', () => group("office", COMPLIANT)],
  [
    "itniotech-caller-id-allowlist",
    "violating",
    'displayNum "86100000012"',
    () => group("office", { ...COMPLIANT, displayNum: "86100000012" }),
  ],
];

it.each(resourceCases)("Analyze: %s, %s: %s", async (rule, kind, label, build) => {
  const result = await analyze(build());
  const mine = result.diagnostics.filter((d) => d.policyName === rule);
  // A violating case breaks exactly its own rule, once.
  expect(result.diagnostics).toHaveLength(mine.length);
  expect(mine).toHaveLength(kind === "compliant" ? 0 : 1);
  for (const d of mine) {
    expect(d).toMatchObject({ policyPackName: "itniotech", policyPackVersion: VERSION });
    expect(d.enforcementLevel).toBe(rule === "itniotech-explicit-names" ? "advisory" : "mandatory");
  }
  table.push([rule, `${kind}: ${label}`, verdict(result, rule)]);
});

/** `count` groups of 50 phones in one application, and one more of `extra` phones when given. */
function fleet(count: number, extra?: number): AnalyzerResource[] {
  const groups = Array.from({ length: count }, (_, i) =>
    stored(group(`team${i}`, { ...COMPLIANT, quantity: 50 }), 50),
  );
  if (extra !== undefined) groups.push(stored(group("extra", { ...COMPLIANT, quantity: extra }), extra));
  return groups;
}

it.each([
  ["compliant", "10 groups of 50 phones in one appId (max 500)", () => fleet(10), 0],
  ["violating", "10 groups of 50 + 1 of 1 phone in one appId (max 500)", () => fleet(10, 1), 1],
] as const)("AnalyzeStack: itniotech-phones-per-app, %s: %s", async (kind, label, build, count) => {
  const result = await analyzeStack(build());
  expect(result.diagnostics).toHaveLength(count);
  if (count > 0) {
    expect(result.diagnostics[0]).toMatchObject({
      policyName: "itniotech-phones-per-app",
      enforcementLevel: "mandatory",
    });
    expect(result.diagnostics[0]?.message).toMatch(/501 phones are declared in one application.*11 groups/);
  }
  table.push(["itniotech-phones-per-app", `${kind}: ${label}`, verdict(result, "itniotech-phones-per-app")]);
});

it("a preview's unknown values draw no diagnostic at all, not even 'can't run policy during preview'", async () => {
  const unknowns = {
    appId: UNKNOWN,
    quantity: UNKNOWN,
    displayNum: UNKNOWN,
    rotateAfter: UNKNOWN,
    namePrefix: UNKNOWN,
  };
  const resource = group("office", unknowns);
  expect(resource.properties["groupName"]).toBe(UNKNOWN); // check leaves names unknown too
  expect((await analyze(resource)).diagnostics).toEqual([]);
  expect((await analyze(password("frontdesk", { rotateAfter: UNKNOWN }))).diagnostics).toEqual([]);
  const stack = [...fleet(10), stored(resource, UNKNOWN)];
  expect((await analyzeStack(stack)).diagnostics).toEqual([]);
});

it("no diagnostic carries the provider's secret config or a password", () => {
  expect(transcript.length).toBeGreaterThan(10);
  const text = JSON.stringify(transcript);
  expect(text).not.toContain(API_SECRET);
  expect(text).not.toContain(PASSWORD);
});

describe("levels and settings from the config file", () => {
  let second: Analyzer;
  beforeAll(async () => {
    second = await startAnalyzer({ packDir: READY_PACK, stack: "prod-eu", project: PROJECT });
    await second.configure({
      "itniotech-rotation-required": { enforcementLevel: "advisory", maxDays: 30 },
      "itniotech-explicit-names": "disabled",
      "itniotech-protect-production": "disabled",
    });
  }, 60_000);
  afterAll(() => second?.close());

  it("a rule set to advisory reports at that level, with its maxDays; disabled rules report nothing", async () => {
    const breaksThree = group("office", { ...COMPLIANT, rotateAfter: "31d", groupName: "Office Phones" }, {});
    const result = await second.analyze(breaksThree);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        policyName: "itniotech-rotation-required",
        enforcementLevel: "advisory",
        message: expect.stringMatching(/rotateAfter is longer than 30 days/),
      }),
    ]);
  });

  it("a productionStacks that is not a regular expression fails the analysis with a message naming it", async () => {
    // The engine configures once per run; @pulumi/policy takes a second Configure as a new config.
    await second.configure({ "itniotech-protect-production": { productionStacks: "(prod" } });
    const error = await second.analyze(group("office", COMPLIANT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalyzerCallError);
    expect((error as Error).message).toMatch(
      /itniotech-protect-production: productionStacks "\(prod" is not a valid JavaScript regular expression/,
    );
  });
});
