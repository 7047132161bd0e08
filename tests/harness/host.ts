/**
 * Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), the
 * process the engine starts for every dynamic resource, driven over gRPC with the
 * SDK's own generated stubs, as the engine drives it.
 *
 * Facts this relies on (read in cmd/dynamic-provider/index.js, @pulumi/pulumi 3.248):
 * - it takes one argument (an engine address it never has to reach) and prints its
 *   port as the first stdout line;
 * - Configure must come first; it reads only `args` (a Struct of namespaced keys),
 *   unwraps secret sentinels, and answers acceptSecrets=false — so the engine sends
 *   every later request with secrets stripped to plain values;
 * - it deserializes and configures one provider per distinct `__provider` text;
 * - an error thrown by create/update that has an `id` comes back as gRPC UNKNOWN
 *   whose `grpc-status-details-bin` metadata holds a google.rpc.Status with a
 *   pulumirpc.ErrorResourceInitFailed (id, properties, reasons).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { reveal, secret } from "../../provider/secrets";

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated stubs are untyped JS */
const providerGrpc: any = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb: any = require("@pulumi/pulumi/proto/provider_pb");
const statusPb: any = require("@pulumi/pulumi/proto/status_pb");
/* eslint-enable @typescript-eslint/no-explicit-any */

type Props = Record<string, unknown>;

const HOST = path.resolve(__dirname, "../../node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");

/** A create or update that failed part-way: the engine keeps `properties` as the resource's state. */
export class InitFailedError extends Error {
  override readonly name = "InitFailedError";
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/** Any other failed call, with the message the host sent. */
export class HostCallError extends Error {
  override readonly name = "HostCallError";
}

export interface CheckResult {
  inputs: Props;
  failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Values as the engine sends them to a provider that does not accept secrets: plain, JSON-clean. */
function toStruct(value: Props): unknown {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(reveal(value) ?? {})));
}

export interface Host {
  /** Every line the host printed, stdout and stderr. */
  output(): string;
  /**
   * Waits until the output matches: what the provider prints travels on stdout,
   * which can arrive after the gRPC reply of the call that printed it.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The raw JSON of every response and error message (for leak scans). */
  readonly transcript: string[];
  configure(config: Record<string, string>, secretKeys: string[]): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<CheckResult>;
  diff(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<DiffResult>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(
    urn: string,
    id: string,
    properties: Props,
    inputs: Props,
  ): Promise<{ id: string; properties: Props; inputs: Props | undefined }>;
  update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<{ properties: Props }>;
  delete(urn: string, id: string, properties: Props, oldInputs: Props): Promise<void>;
  close(): Promise<void>;
}

/** Starts the host with `cwd` as the program directory (it resolves `pulumi-itniotech` from there). */
export async function startHost(cwd: string): Promise<Host> {
  const child: ChildProcess = spawn(process.execPath, [HOST, "127.0.0.1:1"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no port: ${output}`)), 30_000);
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      const match = /^(\d+)\s*$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the host exited (${code}): ${output}`)));
  });
  const client = new providerGrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const transcript: string[] = [];

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      client[method](request, (error: grpc.ServiceError | null, response: T) => {
        if (!error) return resolve(response);
        transcript.push(error.message);
        const detail = initFailure(error);
        if (detail) {
          transcript.push(JSON.stringify(detail));
          return reject(
            new InitFailedError(error.details ?? error.message, detail.id, detail.properties, detail.reasons),
          );
        }
        reject(new HostCallError(error.details ?? error.message));
      });
    });
  const record = (value: unknown) => transcript.push(JSON.stringify(value));

  return {
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      return output;
    },
    transcript,
    async configure(config, secretKeys) {
      const args: Props = {};
      for (const [key, value] of Object.entries(config))
        args[key] = secretKeys.includes(key) ? secret(value) : value;
      const request = new providerPb.ConfigureRequest();
      request.setArgs(Struct.fromJavaScript(args as never));
      request.setAcceptsecrets(true);
      request.setAcceptresources(true);
      const response = await call<{ getAcceptsecrets(): boolean }>("configure", request);
      // The engine strips secrets from what it sends a provider that says no.
      expectNoSecrets(response.getAcceptsecrets());
    },
    async check(urn, olds, news) {
      const request = new providerPb.CheckRequest();
      request.setUrn(urn);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      const response = await call<{
        getInputs(): Struct;
        getFailuresList(): Array<{ getProperty(): string; getReason(): string }>;
      }>("check", request);
      const result = {
        inputs: (response.getInputs()?.toJavaScript() ?? {}) as Props,
        failures: response
          .getFailuresList()
          .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
      record(result);
      return result;
    },
    async diff(urn, id, olds, news, oldInputs) {
      const request = new providerPb.DiffRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      request.setOldInputs(toStruct(oldInputs));
      const response = await call<{
        getChanges(): number;
        getReplacesList(): string[];
        getDeletebeforereplace(): boolean;
      }>("diff", request);
      const changes = (["unknown", "none", "some"] as const)[response.getChanges()] ?? "unknown";
      const result = {
        changes,
        replaces: response.getReplacesList(),
        deleteBeforeReplace: response.getDeletebeforereplace(),
      };
      record(result);
      return result;
    },
    async create(urn, properties) {
      const request = new providerPb.CreateRequest();
      request.setUrn(urn);
      request.setProperties(toStruct(properties));
      const response = await call<{ getId(): string; getProperties(): Struct }>("create", request);
      const result = { id: response.getId(), properties: response.getProperties().toJavaScript() as Props };
      record(result);
      return result;
    },
    async read(urn, id, properties, inputs) {
      const request = new providerPb.ReadRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(toStruct(properties));
      request.setInputs(toStruct(inputs));
      const response = await call<{
        getId(): string;
        getProperties(): Struct | undefined;
        getInputs(): Struct | undefined;
      }>("read", request);
      const result = {
        id: response.getId(),
        properties: (response.getProperties()?.toJavaScript() ?? {}) as Props,
        inputs: response.getInputs()?.toJavaScript() as Props | undefined,
      };
      record(result);
      return result;
    },
    async update(urn, id, olds, news, oldInputs) {
      const request = new providerPb.UpdateRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      request.setOldInputs(toStruct(oldInputs));
      const response = await call<{ getProperties(): Struct }>("update", request);
      const result = { properties: response.getProperties().toJavaScript() as Props };
      record(result);
      return result;
    },
    async delete(urn, id, properties, oldInputs) {
      const request = new providerPb.DeleteRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(toStruct(properties));
      request.setOldInputs(toStruct(oldInputs));
      await call("delete", request);
    },
    async close() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

function expectNoSecrets(acceptsSecrets: boolean): void {
  if (acceptsSecrets)
    throw new Error("the dynamic-provider host now accepts secrets: revisit how the harness sends values");
}

/** Decodes ErrorResourceInitFailed from a gRPC error's status details. */
function initFailure(
  error: grpc.ServiceError,
): { id: string; properties: Props; reasons: string[] } | undefined {
  const bin = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (!bin) return undefined;
  const status = statusPb.Status.deserializeBinary(new Uint8Array(bin as Buffer));
  for (const any of status.getDetailsList()) {
    const detail = any.unpack(
      providerPb.ErrorResourceInitFailed.deserializeBinary,
      "pulumirpc.ErrorResourceInitFailed",
    );
    if (detail) {
      return {
        id: detail.getId(),
        properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props,
        reasons: detail.getReasonsList(),
      };
    }
  }
  return undefined;
}
