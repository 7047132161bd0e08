/**
 * `pulumi up` of a Pulumi project without the Pulumi CLI: everything but the Go
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
 *   dynamic-provider host (tests/harness/host.ts): Check, then Create, as a first
 *   `up` does; outputs are marked secret the way the step executor marks them.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse } from "yaml";
import { resourceUrn, startHost, type Host } from "../harness/host";
import { markSecretOutputs, type Props } from "../harness/values";

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
    const h = await providerHost();
    const checked = await h.check(urn, {}, inputs);
    if (checked.failures.length > 0) {
      throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
    const created = await h.create(urn, checked.inputs);
    const stored = markSecretOutputs(
      created.properties,
      checked.inputs,
      request.getAdditionalsecretoutputsList(),
    );
    return { type, name, urn, id: created.id, outputs: stored };
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
