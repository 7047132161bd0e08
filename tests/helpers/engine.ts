/**
 * The one engine stand-in of the tests, at three sizes:
 * - `EngineResource`: one resource through Pulumi's real dynamic-provider host
 *   (./host.ts), step by step as `pulumi preview/up/refresh/destroy` take them;
 * - `pulumiUp`: a whole Pulumi project's first `up`, the program running in
 *   Pulumi's own Node.js language runtime, its dynamic resources going through
 *   `EngineResource`;
 * - `GroupStack`: one SipPhoneGroup driven in-process (no host), for the fault
 *   matrix's many seeds.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse } from "yaml";
import { sipPhoneGroupProvider } from "../../provider";
import { diffGroup } from "../../provider/diff";
import { directory } from "../../provider/directory";
import { PartialFailure } from "../../provider/partial";
import { reveal as revealSecrets } from "../../provider/secrets";
import { InitFailedError, resourceUrn, startHost, type DiffResult, type Host } from "./host";
import { markSecretOutputs, reveal, sameValue, type Props } from "./values";

/*
 * EngineResource: a small engine for one resource at a time, on top of the host client
 * (./host.ts), taking the steps `pulumi preview`, `up`, `refresh` and `destroy`
 * take. Read in pulumi/pulumi at 1b59498:
 * - pkg/resource/deploy/step_generator.go: Check gets the old INPUTS as olds (none
 *   for a new resource); Diff gets old outputs, old inputs and the checked inputs;
 *   a provider's "unknown" diff falls back to comparing old and new inputs with
 *   secrets unwrapped (`diffResource`); a replacement needs changes AND replace keys
 *   (`DiffResult.Replace`), and Checks AGAIN with no olds — in previews too — so a
 *   provider's defaults (auto-names) are recomputed; replacement is
 *   create-before-delete unless the diff (or the `deleteBeforeReplace` resource
 *   option, which wins) says otherwise, and the old resource's delete comes after
 *   the creates; a resource with init errors is updated even when the diff finds
 *   nothing; check failures stop the resource;
 * - pkg/resource/deploy/step.go: Create/Update run with preview=true in a preview
 *   (the provider client answers those itself for this host: ./host.ts); a partial
 *   failure (ErrorResourceInitFailed) stores its id and properties, with the NEW
 *   inputs and the reasons as init errors, and fails the deployment; after a
 *   partially failed replacement the old resource stays as a pending delete, deleted
 *   by the next deployment; refresh reads with old inputs and outputs, takes the
 *   returned inputs when there are any, drops the resource on an empty id and clears
 *   init errors (a partial-failure Read keeps its reasons instead, and only warns);
 * - pkg/resource/deploy/step_executor.go: the stored outputs get
 *   `additionalSecretOutputs` and the secret-ness of same-named inputs.
 * Values in the state keep the engine's secret wrappers; the host client strips
 * them on the way to the provider and restores them on the way back.
 */
export interface ResourceState {
  urn: string;
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: string[];
}

/** A check that failed: the failures the provider reported, by property. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(readonly failures: Array<{ property: string; reason: string }>) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
}

export type Operation = "create" | "update" | "replace" | "same";

/** One provider call this engine made, in order. `id` is the resource it concerned (for create: the new id). */
export interface EngineCall {
  method: "check" | "diff" | "create" | "read" | "update" | "delete";
  urn: string;
  id?: string;
  /** check only: whether it was sent the old inputs or none. */
  olds?: "old inputs" | "none";
  /** How the call ended. */
  outcome: "ok" | "failed" | "partial failure";
}

export interface ResourceOptions {
  /** The resource option: outputs the engine stores as secrets. */
  additionalSecretOutputs?: string[];
  /** The resource option; overrides the provider's diff either way. */
  deleteBeforeReplace?: boolean;
}

/** What the last preview or up decided, and from what. */
export interface Plan {
  operation: Operation;
  inputs: Props;
  diff: DiffResult | undefined;
}

export class EngineResource {
  state: ResourceState | undefined;
  /** Old resources a failed replacement left behind; the next up or destroy deletes them. */
  pendingDeletes: ResourceState[] = [];
  /** Every provider call, in order. */
  readonly log: EngineCall[] = [];
  /**
   * The same calls as text — "check", "diff <id>", "create", "created <id>",
   * "update <id>", "read <id>", "delete <id>" — for short order assertions.
   */
  readonly calls: string[] = [];
  plan: Plan | undefined;
  /** What the last refresh found, and what `pulumi refresh` would show for it. */
  lastRefresh:
    { stateChanged: boolean; diff: DiffResult | undefined; shown: "same" | "update" | "delete" } | undefined;

  constructor(
    public host: Host,
    readonly urn: string,
    readonly options: ResourceOptions = {},
  ) {}

  /** The same resource in a later command, which starts a new host process as `pulumi` does. */
  inHost(host: Host): EngineResource {
    const next = new EngineResource(host, this.urn, this.options);
    next.state = this.state;
    next.pendingDeletes = [...this.pendingDeletes];
    return next;
  }

  /** `pulumi preview`: check (unknowns allowed) and diff; a replacement is checked again; nothing changes. */
  async preview(news: Props): Promise<Operation> {
    const state = this.state;
    const checked = await this.#check(state?.inputs, news, true);
    if (!state) {
      // The Create step runs with preview=true; the provider client answers it without the host.
      await this.host.create(this.urn, checked, { preview: true });
      return this.#planned("create", checked, undefined);
    }
    const diff = await this.#diff(state, checked, true);
    if (this.#replaces(diff)) {
      const fresh = await this.#check(undefined, news, true);
      return this.#planned("replace", fresh, diff);
    }
    if (diff.changes === "some" || state.initErrors.length > 0) {
      await this.host.update(this.urn, state.id, state.outputs, checked, state.inputs, { preview: true });
      return this.#planned("update", checked, diff);
    }
    return this.#planned("same", checked, diff);
  }

  /** `pulumi up` for this resource. A partial failure keeps its state and rethrows its InitFailedError. */
  async up(news: Props): Promise<Operation> {
    const state = this.state;
    const checked = await this.#check(state?.inputs, news, false);
    if (!state) {
      this.state = await this.#create(checked);
      await this.#deletePending();
      return this.#planned("create", checked, undefined);
    }
    const diff = await this.#diff(state, checked, false);
    if (this.#replaces(diff)) {
      const fresh = await this.#check(undefined, news, false);
      this.#planned("replace", fresh, diff);
      if (this.options.deleteBeforeReplace ?? diff.deleteBeforeReplace) {
        await this.#delete(state);
        this.state = undefined;
        this.state = await this.#create(fresh);
      } else {
        try {
          this.state = await this.#create(fresh);
        } catch (e) {
          // A new resource that exists part-way is kept; the old one waits for the next deployment.
          if (e instanceof InitFailedError) this.pendingDeletes.push(state);
          else this.state = state;
          throw e;
        }
        await this.#delete(state);
      }
      await this.#deletePending();
      return "replace";
    }
    if (diff.changes !== "some" && state.initErrors.length === 0) {
      this.state = { ...state, inputs: checked };
      await this.#deletePending();
      return this.#planned("same", checked, diff);
    }
    this.#planned("update", checked, diff);
    this.calls.push(`update ${state.id}`);
    try {
      const { properties } = await this.host.update(this.urn, state.id, state.outputs, checked, state.inputs);
      this.#record("update", state.id, "ok");
      this.state = this.#stored(state.id, checked, properties, []);
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.#record("update", state.id, "partial failure");
        this.state = this.#stored(state.id, checked, e.properties, e.reasons);
      } else this.#record("update", state.id, "failed");
      throw e;
    }
    await this.#deletePending();
    return "update";
  }

  /**
   * `pulumi refresh` for this resource: Read, then (unless the resource is gone) the
   * Diff the engine runs to show what changed (step.go RefreshStep: refreshed
   * inputs/outputs as the olds, the old inputs as the news). Returns whether the
   * STATE changed (what the legacy refresh diff shows); `lastRefresh.shown` is what
   * `pulumi refresh` shows by default, which depends on the provider's diff alone.
   */
  async refresh(): Promise<"same" | "changed" | "deleted"> {
    const state = this.state;
    if (!state) return "deleted";
    this.calls.push(`read ${state.id}`);
    let result: { id: string; properties: Props; inputs: Props | undefined };
    let initErrors: string[] = [];
    try {
      result = await this.host.read(this.urn, state.id, state.outputs, state.inputs);
      this.#record("read", state.id, "ok");
    } catch (e) {
      if (!(e instanceof InitFailedError)) {
        this.#record("read", state.id, "failed");
        throw e;
      }
      this.#record("read", state.id, "partial failure");
      result = { id: e.id, properties: e.properties, inputs: e.inputs };
      initErrors = e.reasons;
    }
    if (!result.id) {
      this.state = undefined;
      this.lastRefresh = { stateChanged: true, diff: undefined, shown: "delete" };
      return "deleted";
    }
    const next: ResourceState = {
      urn: this.urn,
      id: result.id,
      inputs: result.inputs ?? state.inputs,
      outputs: result.properties,
      initErrors,
    };
    this.state = next;
    const diff = await this.#diff(next, state.inputs, false);
    const stateChanged =
      next.id !== state.id ||
      !sameValue(next.outputs, state.outputs) ||
      !sameValue(next.inputs, state.inputs);
    this.lastRefresh = { stateChanged, diff, shown: diff.changes === "none" ? "same" : "update" };
    return stateChanged ? "changed" : "same";
  }

  /** `pulumi destroy` for this resource. */
  async destroy(): Promise<void> {
    await this.#deletePending();
    if (!this.state) return;
    await this.#delete(this.state);
    this.state = undefined;
  }

  #replaces(diff: DiffResult): boolean {
    return diff.changes === "some" && diff.replaces.length > 0;
  }

  #planned(operation: Operation, inputs: Props, diff: DiffResult | undefined): Operation {
    this.plan = { operation, inputs, diff };
    return operation;
  }

  #record(
    method: EngineCall["method"],
    id: string | undefined,
    outcome: EngineCall["outcome"],
    olds?: boolean,
  ) {
    this.log.push({
      method,
      urn: this.urn,
      ...(id === undefined ? {} : { id }),
      ...(olds === undefined ? {} : { olds: olds ? "old inputs" : "none" }),
      outcome,
    });
  }

  #stored(id: string, inputs: Props, outputs: Props, initErrors: string[]): ResourceState {
    return {
      urn: this.urn,
      id,
      inputs,
      outputs: markSecretOutputs(outputs, inputs, this.options.additionalSecretOutputs ?? []),
      initErrors,
    };
  }

  async #check(olds: Props | undefined, news: Props, allowUnknowns: boolean): Promise<Props> {
    this.calls.push("check");
    try {
      const result = await this.host.check(this.urn, olds, news, { allowUnknowns });
      this.#record("check", undefined, result.failures.length > 0 ? "failed" : "ok", olds !== undefined);
      if (result.failures.length > 0) throw new CheckFailedError(result.failures);
      return result.inputs;
    } catch (e) {
      if (!(e instanceof CheckFailedError)) this.#record("check", undefined, "failed", olds !== undefined);
      throw e;
    }
  }

  async #diff(state: ResourceState, checked: Props, allowUnknowns: boolean): Promise<DiffResult> {
    this.calls.push(`diff ${state.id}`);
    let diff: DiffResult;
    try {
      diff = await this.host.diff(this.urn, state.id, state.outputs, checked, state.inputs, {
        allowUnknowns,
      });
      this.#record("diff", state.id, "ok");
    } catch (e) {
      this.#record("diff", state.id, "failed");
      throw e;
    }
    if (diff.changes !== "unknown") return diff;
    // step_generator.go diffResource: the engine diffs the inputs itself.
    return { ...diff, changes: sameValue(reveal(state.inputs), reveal(checked)) ? "none" : "some" };
  }

  async #create(checked: Props): Promise<ResourceState> {
    this.calls.push("create");
    try {
      const { id, properties } = await this.host.create(this.urn, checked);
      this.calls.push(`created ${id}`);
      this.#record("create", id, "ok");
      return this.#stored(id, checked, properties, []);
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.#record("create", e.id, "partial failure");
        this.state = this.#stored(e.id, checked, e.properties, e.reasons);
      } else this.#record("create", undefined, "failed");
      throw e;
    }
  }

  async #delete(state: ResourceState): Promise<void> {
    this.calls.push(`delete ${state.id}`);
    try {
      await this.host.delete(this.urn, state.id, state.outputs, state.inputs);
      this.#record("delete", state.id, "ok");
    } catch (e) {
      this.#record("delete", state.id, "failed");
      throw e;
    }
  }

  async #deletePending(): Promise<void> {
    while (this.pendingDeletes.length > 0) {
      await this.#delete(this.pendingDeletes[0] as ResourceState);
      this.pendingDeletes.shift();
    }
  }
}

/*
 * pulumiUp: `pulumi up` of a Pulumi project without the Pulumi CLI: everything but the Go
 * binary is the real thing.
 *
 * - The program runs in Pulumi's own Node.js language runtime
 *   (`@pulumi/pulumi/cmd/run`), started the way pulumi-language-nodejs starts it
 *   (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go `execNodejs` and
 *   `constructArguments`): `--pwd` is the program directory, the entry point is the
 *   rest of `main`, and the Pulumi.yaml runtime options become
 *   PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH — so ts-node compiles the
 *   program with the tsconfig the project names, resolved the way Pulumi resolves it.
 * - The program directory and entry point come from Pulumi.yaml's `main` as the
 *   engine computes them (pulumi/pulumi pkg/engine, `getPwdMain`): a
 *   directory becomes the working directory with entry point ".", a file its
 *   directory and base name.
 * - This module is the engine's side: a ResourceMonitor and Engine gRPC server
 *   speaking the SDK's own generated stubs. Dynamic resources go to Pulumi's real
 *   dynamic-provider host (./host.ts): Check, then Create, as a first
 *   `up` does; outputs are marked secret the way the step executor marks them.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated stubs are untyped JS */
const resourceGrpc: any = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resourcePb: any = require("@pulumi/pulumi/proto/resource_pb");
const engineGrpc: any = require("@pulumi/pulumi/proto/engine_grpc_pb");
const enginePb: any = require("@pulumi/pulumi/proto/engine_pb");
const emptyPb: any = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-explicit-any */

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";

/** What a Pulumi.yaml asks of the Node.js runtime, and where its program runs. */
export interface ProjectLaunch {
  project: string;
  /** The language runtime's working directory (`--pwd`). */
  pwd: string;
  /** The entry point relative to `pwd` ("." for a directory). */
  entryPoint: string;
  typescript: boolean;
  /** Exactly as written in Pulumi.yaml (the runtime resolves it against `pwd`). */
  tsconfig: string | undefined;
}

/** Reads a Pulumi.yaml the way the engine and the Node.js language host do. */
export function projectLaunch(projectFile: string): ProjectLaunch {
  const doc = parse(readFileSync(projectFile, "utf8")) as {
    name: string;
    main?: string;
    runtime: string | { name: string; options?: { typescript?: boolean; tsconfig?: string } };
  };
  const root = path.dirname(projectFile);
  const options = typeof doc.runtime === "string" ? {} : (doc.runtime.options ?? {});
  let pwd = root;
  let entryPoint = ".";
  if (doc.main) {
    const main = path.join(root, doc.main);
    // getPwdMain: a directory is the working directory; a file runs from its own.
    if (statSync(main).isDirectory()) pwd = main;
    else [pwd, entryPoint] = [path.dirname(main), path.basename(main)];
  }
  return {
    project: doc.name,
    pwd,
    entryPoint,
    typescript: options.typescript ?? true,
    tsconfig: options.tsconfig,
  };
}

export interface Registered {
  type: string;
  name: string;
  urn: string;
  id: string | undefined;
  outputs: Props;
}

export interface UpResult {
  /** The language runtime's exit code: 0, or 32 when it already reported the error. */
  code: number | null;
  /** The stack's outputs as the engine stores them (secrets wrapped). */
  outputs: Props;
  resources: Registered[];
  /** Everything the program logged through the engine (errors, warnings, info). */
  logs: Array<{ severity: string; message: string }>;
  /** What the runtime printed on stdout and stderr. */
  output: string;
}

export interface UpOptions {
  stack?: string;
  /** Stack config with namespaced keys (`itniotech:baseUrl`, `<project>:appId`). */
  config: Record<string, string>;
  secretKeys?: string[];
  /** @default 120000 */
  timeoutMs?: number;
}

const SEVERITIES = ["debug", "info", "warning", "error"];

/** The getters of the SDK's generated request messages that are read here. */
interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getObject(): Struct | undefined;
  getAdditionalsecretoutputsList(): string[];
}
interface WithUrn {
  getUrn(): string;
}
interface RegisterOutputsRequest extends WithUrn {
  getOutputs(): Struct | undefined;
}
interface LogRequest {
  getSeverity(): number;
  getMessage(): string;
}

/** Runs `pulumi up` of a project for the first time (every resource is created). */
export async function pulumiUp(projectFile: string, options: UpOptions): Promise<UpResult> {
  const launch = projectLaunch(projectFile);
  const stack = options.stack ?? "dev";
  const resources: Registered[] = [];
  const logs: UpResult["logs"] = [];
  let outputs: Props = {};
  let rootUrn = "";
  let host: Promise<Host> | undefined;

  const providerHost = (): Promise<Host> => {
    host ??= startHost({ cwd: launch.pwd, project: launch.project, stack }).then(async (h) => {
      await h.configure(options.config, options.secretKeys ?? []);
      return h;
    });
    return host;
  };

  async function register(request: RegisterResourceRequest): Promise<Registered> {
    const type = request.getType();
    const name = request.getName();
    const urn = resourceUrn(type, name, launch.project, stack);
    const inputs = (request.getObject()?.toJavaScript() ?? {}) as Props;
    if (!request.getCustom()) return { type, name, urn, id: undefined, outputs: {} };
    if (!type.startsWith(DYNAMIC_PREFIX)) return { type, name, urn, id: `${name}-id`, outputs: inputs };
    // A first `up`: Check, then Create, outputs stored as the step executor stores them.
    const resource = new EngineResource(await providerHost(), urn, {
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    });
    await resource.up(inputs);
    const { id, outputs } = resource.state as ResourceState;
    return { type, name, urn, id, outputs };
  }

  const unary =
    <Request>(handler: (request: Request) => unknown) =>
    (call: { request: unknown }, callback: (error: grpc.ServiceError | null, response?: unknown) => void) => {
      Promise.resolve()
        .then(() => handler(call.request as Request))
        .then(
          (response) => callback(null, response),
          (e: unknown) =>
            callback({
              name: "Error",
              message: e instanceof Error ? e.message : String(e),
              details: e instanceof Error ? e.message : String(e),
              code: grpc.status.UNKNOWN,
              metadata: new grpc.Metadata(),
            }),
        );
    };

  const server = new grpc.Server();
  server.addService(resourceGrpc.ResourceMonitorService, {
    // Secrets travel wrapped; every newer wire feature is declined, as an old engine would.
    supportsFeature: unary((request: { getId(): string }) =>
      new resourcePb.SupportsFeatureResponse().setHassupport(request.getId() === "secrets"),
    ),
    registerResource: unary(async (request: RegisterResourceRequest) => {
      const registered = await register(request);
      resources.push(registered);
      const response = new resourcePb.RegisterResourceResponse().setUrn(registered.urn);
      if (registered.id !== undefined) response.setId(registered.id);
      return response.setObject(Struct.fromJavaScript(registered.outputs as never));
    }),
    registerResourceOutputs: unary((request: RegisterOutputsRequest) => {
      if (request.getUrn() === rootUrn) outputs = (request.getOutputs()?.toJavaScript() ?? {}) as Props;
      return new emptyPb.Empty();
    }),
    signalAndWaitForShutdown: unary(() => new emptyPb.Empty()),
  });
  server.addService(engineGrpc.EngineService, {
    log: unary((request: LogRequest) => {
      logs.push({ severity: SEVERITIES[request.getSeverity()] ?? "?", message: request.getMessage() });
      return new emptyPb.Empty();
    }),
    getRootResource: unary(() => new enginePb.GetRootResourceResponse().setUrn(rootUrn)),
    setRootResource: unary((request: WithUrn) => {
      rootUrn = request.getUrn();
      return new enginePb.SetRootResourceResponse();
    }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  const address = `127.0.0.1:${port}`;

  // The program's own config, in the `<namespace>:config:<key>` form the language host passes.
  const programConfig = Object.fromEntries(
    Object.entries(options.config).map(([key, value]) => {
      const [namespace, ...rest] = key.split(":");
      return [`${namespace}:config:${rest.join(":")}`, value];
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(programConfig),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
  };
  delete env["PULUMI_NODEJS_TYPESCRIPT"];
  delete env["PULUMI_NODEJS_TSCONFIG_PATH"];
  if (launch.typescript) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
  if (launch.tsconfig) env["PULUMI_NODEJS_TSCONFIG_PATH"] = launch.tsconfig;
  // The language host finds the runtime from the program directory (`locateModule`).
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [launch.pwd] });
  const args = [
    runPath,
    ...["--monitor", address, "--engine", address, "--project", launch.project, "--stack", stack],
    ...["--pwd", launch.pwd, "--query-mode", "false", "--parallel", "16", launch.entryPoint],
  ];

  let output = "";
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: launch.pwd, env });
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the program did not finish in time:\n${output}`));
      }, options.timeoutMs ?? 120_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { code, outputs, resources, logs, output };
  } finally {
    server.forceShutdown();
    if (host) await (await host).close();
  }
}

/** The engine's view of one SipPhoneGroup, driven in-process the way `pulumi up` drives it. */
export class GroupStack {
  state: { id: string; outs: Props; initError: boolean } | undefined;
  readonly errors: unknown[] = [];

  constructor(readonly desired: Props) {}

  /** One `pulumi up`: create, or update when the diff or an earlier init error asks for it. */
  async up(news: Props = this.desired): Promise<boolean> {
    try {
      if (!this.state) {
        const { id, outs } = await sipPhoneGroupProvider.create(news);
        this.state = { id, outs: outs as Props, initError: false };
        return true;
      }
      const olds = revealSecrets(this.state.outs) as Props;
      if (!this.state.initError && !diffGroup(olds, news).changes) return true;
      const { outs } = await sipPhoneGroupProvider.update(this.state.id, olds, news);
      this.state = { id: this.state.id, outs: outs as Props, initError: false };
      return true;
    } catch (e) {
      this.errors.push(e);
      if (e instanceof PartialFailure) this.state = { id: e.id, outs: e.properties, initError: true };
      return false;
    }
  }

  /** One `pulumi refresh`, in a new provider process (no shared snapshot). */
  async refresh(): Promise<boolean> {
    if (!this.state) return true;
    directory.clear();
    try {
      const result = await sipPhoneGroupProvider.read(this.state.id, revealSecrets(this.state.outs) as Props);
      if (!result.id) this.state = undefined;
      else this.state = { ...this.state, outs: result.props as Props };
      return true;
    } catch (e) {
      this.errors.push(e);
      return false;
    }
  }

  passwords(): Record<string, string> {
    return (revealSecrets(this.state?.outs["passwords"]) ?? {}) as Record<string, string>;
  }
}
