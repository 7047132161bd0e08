/**
 * A Node.js policy pack run and driven the way Pulumi's engine does it, over gRPC
 * with the SDK's generated analyzer stubs (`@pulumi/pulumi/proto/analyzer_grpc_pb`).
 *
 * What the engine does, read in pulumi/pulumi at 1b59498, and mirrored here:
 * - start (sdk/nodejs/cmd/pulumi-language-nodejs/main.go `RunPlugin`, kind analyzer):
 *   `node <@pulumi/pulumi/cmd/run-policy-pack, resolved from the pack's folder>
 *   <engine address> <pack folder>`, working directory the pack's folder, with
 *   PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN} and PULUMI_CONFIG (the stack's
 *   config as JSON) in the environment; the port is the first stdout line;
 * - pkg/resource/plugin/analyzer_plugin.go `NewPolicyAnalyzer`: Handshake (an
 *   UNIMPLEMENTED answer is fine), then ConfigureStack with stack, project,
 *   organization, dry-run, config and tags;
 * - pkg/engine/update.go `LoadLocalPolicyPackAnalyzers`: GetAnalyzerInfo, then
 *   (pkg/resource/analyzer/config.go `ReconcilePolicyPackConfig`) a config for EVERY
 *   policy: its schema's defaults and its enforcement level, then the pack's initial
 *   config, then the `--policy-pack-config` file, each key replacing the one before;
 *   the result is validated against each policy's schema (gojsonschema; the engine
 *   adds `enforcementLevel` to it) and any error stops the run; then Configure;
 * - pkg/resource/deploy/step_generator.go: Analyze per resource with its inputs as
 *   checked by the provider, AnalyzeStack at the end with every resource's outputs;
 *   `analyzer_plugin.go` marshals them keeping unknowns and secrets and skipping
 *   internal keys (`__provider`); options carry protect, ignoreChanges,
 *   deleteBeforeReplace(+defined), additionalSecretOutputs, aliases, customTimeouts
 *   and parent — there is no retainOnDelete; the provider resource goes along with
 *   its inputs (for dynamic resources: the whole stack config).
 */
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import Ajv from "ajv";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { urnParts } from "./host";
import { spawnPlugin, unaryCall, type PluginProcess } from "./plugin";
import { marshal, type Props } from "./values";

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated stubs are untyped JS */
const analyzerGrpc: any = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb: any = require("@pulumi/pulumi/proto/analyzer_pb");
const emptyPb: any = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-explicit-any */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"]; // proto enum order

export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  type: "resource" | "stack" | "unknown";
  configSchema: { properties: Record<string, Props>; required: string[] } | undefined;
  remediationSteps: string;
}

export interface AnalyzerInfo {
  name: string;
  version: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
}

/** The `--policy-pack-config` file: per policy, a level or an object of settings (with `enforcementLevel`). */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | Props>;

/** One policy's config as the engine sends it in Configure. */
export interface PolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Props;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: Array<{ policyName: string; reason: string }>;
}

export interface AnalyzerResourceOptions {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  parent?: string;
}

/** A resource as the engine describes it to an analyzer (values in the harness's wire form: ./values.ts). */
export interface AnalyzerResource {
  urn: string;
  properties: Props;
  options?: AnalyzerResourceOptions;
  provider?: { urn: string; properties: Props };
  dependencies?: string[];
}

export interface AnalyzerOptions {
  /** The pack's folder (holding PulumiPolicy.yaml). */
  packDir: string;
  /** @default "dev" */
  stack?: string;
  /** @default "phones" */
  project?: string;
  /** @default "organization" */
  organization?: string;
  /** @default true (a preview) */
  dryRun?: boolean;
  /** The stack's config, namespaced keys. */
  stackConfig?: Record<string, string>;
  /** @default 20000 */
  callTimeoutMs?: number;
  /** @default 30000 (run-policy-pack registers ts-node before it loads the pack) */
  startTimeoutMs?: number;
}

/** A failed call: the gRPC status code and the analyzer's message. */
export class AnalyzerCallError extends Error {
  override readonly name = "AnalyzerCallError";
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export interface Analyzer {
  readonly info: AnalyzerInfo;
  /** Stdout and stderr of the pack so far. */
  output(): string;
  /**
   * Reconciles `file` with the pack's defaults as the engine does, validates it
   * against the schemas (throwing the engine's message on errors), sends Configure
   * and returns what was sent.
   */
  configure(file?: PolicyPackConfigFile): Promise<Record<string, PolicyConfig>>;
  analyze(resource: AnalyzerResource): Promise<AnalyzeResult>;
  analyzeStack(resources: AnalyzerResource[]): Promise<AnalyzeResult>;
  close(): Promise<void>;
}

/** Starts the pack as the engine does, up to (not including) Configure. */
export async function startAnalyzer(options: AnalyzerOptions): Promise<Analyzer> {
  const stack = options.stack ?? "dev";
  const project = options.project ?? "phones";
  const organization = options.organization ?? "organization";
  const dryRun = options.dryRun ?? true;
  const stackConfig = options.stackConfig ?? {};
  const callTimeoutMs = options.callTimeoutMs ?? 20_000;
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [options.packDir] });

  const plugin: PluginProcess = await spawnPlugin(runPolicyPack, ["127.0.0.1:1", options.packDir], {
    cwd: options.packDir,
    env: {
      ...process.env,
      PULUMI_NODEJS_ORGANIZATION: organization,
      PULUMI_NODEJS_PROJECT: project,
      PULUMI_NODEJS_STACK: stack,
      PULUMI_NODEJS_DRY_RUN: String(dryRun),
      PULUMI_CONFIG: JSON.stringify(stackConfig),
    },
    label: "policy pack",
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
  });
  const client = new analyzerGrpc.AnalyzerClient(
    `127.0.0.1:${plugin.port}`,
    grpc.credentials.createInsecure(),
  );
  const call = <T>(method: string, request: unknown) =>
    unaryCall<T>(client, method, request, callTimeoutMs).catch((error: grpc.ServiceError) => {
      throw new AnalyzerCallError(error.details ?? error.message, error.code);
    });
  const close = async () => {
    client.close();
    await plugin.kill();
  };

  try {
    const handshake = new analyzerPb.AnalyzerHandshakeRequest();
    handshake.setEngineAddress("127.0.0.1:1");
    handshake.setRootDirectory(options.packDir);
    handshake.setProgramDirectory(options.packDir);
    await call("handshake", handshake).catch((e: unknown) => {
      if (!(e instanceof AnalyzerCallError) || e.code !== grpc.status.UNIMPLEMENTED) throw e;
    });

    const configureStack = new analyzerPb.AnalyzerStackConfigureRequest();
    configureStack.setStack(stack);
    configureStack.setProject(project);
    configureStack.setOrganization(organization);
    configureStack.setDryRun(dryRun);
    for (const [key, value] of Object.entries(stackConfig)) configureStack.getConfigMap().set(key, value);
    await call("configureStack", configureStack);

    const info = readInfo(await call("getAnalyzerInfo", new emptyPb.Empty()));
    return {
      info,
      output: plugin.output,
      async configure(file = {}) {
        const config = reconcile(info, file);
        const request = new analyzerPb.ConfigureAnalyzerRequest();
        for (const [name, policy] of Object.entries(config)) {
          const message = new analyzerPb.PolicyConfig();
          message.setEnforcementlevel(LEVELS.indexOf(policy.enforcementLevel));
          message.setProperties(Struct.fromJavaScript(policy.properties as never));
          request.getPolicyconfigMap().set(name, message);
        }
        await call("configure", request);
        return config;
      },
      async analyze(resource) {
        const request = new analyzerPb.AnalyzeRequest();
        describe(request, resource);
        return readResult(await call("analyze", request));
      },
      async analyzeStack(resources) {
        const request = new analyzerPb.AnalyzeStackRequest();
        request.setResourcesList(
          resources.map((resource) => {
            const message = new analyzerPb.AnalyzerResource();
            describe(message, resource);
            message.setParent(resource.options?.parent ?? "");
            message.setDependenciesList(resource.dependencies ?? []);
            return message;
          }),
        );
        return readResult(await call("analyzeStack", request));
      },
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\npolicy pack output:\n${plugin.output()}`, { cause: error });
  }
}

/** Keeps unknowns and secrets, skips internal keys (`MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys}`). */
function wire(props: Props): Struct {
  const kept = Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith("__")));
  return Struct.fromJavaScript(marshal(kept, { keepSecrets: true, keepUnknowns: true }) as never);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AnalyzeRequest or AnalyzerResource
function describe(message: any, resource: AnalyzerResource): void {
  const { type, name } = urnParts(resource.urn);
  const o = resource.options ?? {};
  message.setUrn(resource.urn);
  message.setType(type);
  message.setName(name);
  message.setProperties(wire(resource.properties));
  const options = new analyzerPb.AnalyzerResourceOptions();
  options.setProtect(o.protect ?? false);
  options.setIgnorechangesList(o.ignoreChanges ?? []);
  options.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
  options.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
  options.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
  options.setAliasesList(o.aliases ?? []);
  options.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
  options.setParent(o.parent ?? "");
  message.setOptions(options);
  if (resource.provider) {
    const provider = new analyzerPb.AnalyzerProviderResource();
    const parts = urnParts(resource.provider.urn);
    provider.setUrn(resource.provider.urn);
    provider.setType(parts.type);
    provider.setName(parts.name);
    provider.setProperties(wire(resource.provider.properties));
    message.setProvider(provider);
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- reading generated messages */
function readInfo(info: any): AnalyzerInfo {
  return {
    name: info.getName(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    policies: info.getPoliciesList().map((p: any) => {
      const schema = p.getConfigschema();
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] as EnforcementLevel,
        type: (["unknown", "resource", "stack"] as const)[p.getPolicyType()] ?? "unknown",
        configSchema: schema && {
          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Props>,
          required: schema.getRequiredList(),
        },
        remediationSteps: p.getRemediationSteps(),
      };
    }),
  };
}

function readResult(response: any): AnalyzeResult {
  return {
    diagnostics: response.getDiagnosticsList().map((d: any) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] as EnforcementLevel,
      urn: d.getUrn(),
    })),
    notApplicable: response
      .getNotApplicableList()
      .map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * `ReconcilePolicyPackConfig` with the config file (this pack sends no initial
 * config), then the schema validation; throws the engine's message on errors.
 */
export function reconcile(info: AnalyzerInfo, file: PolicyPackConfigFile): Record<string, PolicyConfig> {
  const result: Record<string, PolicyConfig> = {};
  for (const policy of info.policies) {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).filter(([, s]) => "default" in s);
    result[policy.name] = {
      enforcementLevel: policy.enforcementLevel,
      properties: Object.fromEntries(defaults.map(([key, s]) => [key, s["default"]])),
    };
  }
  const given = Object.entries(file).map(([name, value]): [string, Partial<PolicyConfig>] => {
    if (typeof value === "string") return [name, { enforcementLevel: value }];
    const { enforcementLevel, ...properties } = value;
    return [
      name,
      { ...(enforcementLevel ? { enforcementLevel: enforcementLevel as EnforcementLevel } : {}), properties },
    ];
  });
  const all = given.find(([name]) => name === "all")?.[1].enforcementLevel;
  if (all) for (const policy of Object.values(result)) policy.enforcementLevel = all;
  for (const [name, config] of given) {
    const existing = result[name] ?? { enforcementLevel: "advisory" as const, properties: {} };
    result[name] = {
      enforcementLevel: config.enforcementLevel ?? existing.enforcementLevel,
      properties: { ...existing.properties, ...config.properties },
    };
  }
  const errors: string[] = [];
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const policy of info.policies) {
    if (!policy.configSchema) continue;
    const schema = {
      type: "object",
      properties: {
        ...policy.configSchema.properties,
        enforcementLevel: { type: "string", enum: ["advisory", "mandatory", "remediate", "disabled"] },
      },
      ...(policy.configSchema.required.length > 0 ? { required: policy.configSchema.required } : {}),
    };
    const validate = ajv.compile(schema);
    if (!validate(result[policy.name]?.properties ?? {})) {
      for (const e of validate.errors ?? [])
        errors.push(`${policy.name}: ${e.instancePath.slice(1)} ${e.message}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`validating policy config for "${info.name}": ${errors.sort().join("; ")}`);
  }
  return result;
}

/** The ready pack as a user's project reaches it: through node_modules. */
export const READY_PACK = path.resolve(__dirname, "../../node_modules/pulumi-itniotech/policy-pack");
