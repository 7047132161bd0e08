/**
 * What `pulumi stack export` prints for a stack whose resources the engine harness
 * holds: an UntypedDeployment of version 3 (pulumi/pulumi sdk/go/common/apitype/
 * core.go: `{ version, deployment: DeploymentV3 }`, DeploymentV3 `{ manifest,
 * secrets_providers, resources: ResourceV3[] }`), with the stack resource, the
 * default `pulumi-nodejs` provider every dynamic resource points at, and each
 * resource's inputs and outputs as stored. Secrets are written the way a passphrase
 * stack stores them — `{ "4dabf…": "1b47…", "ciphertext": "v1:…" }` — with a random
 * ciphertext that holds nothing of the value, so a reader must make do without them,
 * as `itniotech inventory` must.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { ResourceState } from "./engine";
import { isSecret, type Props } from "./values";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface ExportedResource {
  /** The harness's state of the resource (urn, id, inputs, outputs). */
  state: ResourceState;
  /** The full type token, e.g. `pulumi-nodejs:dynamic/itniotech:SipPhoneGroup`. */
  type: string;
  retainOnDelete?: boolean;
  additionalSecretOutputs?: string[];
}

export function stackExport(project: string, stack: string, resources: ExportedResource[]): object {
  const time = new Date().toISOString();
  const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const providerUrn = `urn:pulumi:${stack}::${project}::pulumi:providers:pulumi-nodejs::default`;
  const providerId = randomUUID();
  return {
    version: 3,
    deployment: {
      manifest: { time, magic: randomBytes(32).toString("hex"), version: "v3.265.0" },
      secrets_providers: {
        type: "passphrase",
        state: {
          salt: `v1:${randomBytes(8).toString("base64")}:v1:${randomBytes(12).toString("base64")}:${randomBytes(32).toString("base64")}`,
        },
      },
      resources: [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", created: time, modified: time },
        {
          urn: providerUrn,
          custom: true,
          id: providerId,
          type: "pulumi:providers:pulumi-nodejs",
          created: time,
          modified: time,
        },
        ...resources.map(({ state, type, retainOnDelete, additionalSecretOutputs }) => ({
          urn: childOfStack(state.urn),
          custom: true,
          id: state.id,
          type,
          inputs: encrypted(state.inputs),
          outputs: encrypted(state.outputs),
          parent: stackUrn,
          provider: `${providerUrn}::${providerId}`,
          propertyDependencies: Object.fromEntries(Object.keys(state.inputs).map((key) => [key, []])),
          ...(additionalSecretOutputs?.length ? { additionalSecretOutputs } : {}),
          ...(retainOnDelete ? { retainOnDelete: true } : {}),
          ...(state.initErrors.length > 0 ? { initErrors: state.initErrors } : {}),
          created: time,
          modified: time,
        })),
      ],
    },
  };
}

/** The engine's URN of a resource whose parent is the stack: the parent's type before a `$`. */
function childOfStack(urn: string): string {
  const [prefix, project, type, ...name] = urn.split("::");
  return `${prefix}::${project}::pulumi:pulumi:Stack$${type}::${name.join("::")}`;
}

/** A property map with every secret replaced by a ciphertext object that holds none of it. */
function encrypted(props: Props): Props {
  const convert = (value: unknown): unknown => {
    if (isSecret(value)) return { [SIG]: SECRET_SIG, ciphertext: `v1:${randomBytes(18).toString("base64")}` };
    if (Array.isArray(value)) return value.map(convert);
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    return value;
  };
  return convert(props) as Props;
}
