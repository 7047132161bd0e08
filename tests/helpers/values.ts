/**
 * Property values as they travel between Pulumi's engine and a provider, in the
 * plain-JS form the Node SDK uses on the wire (google.protobuf.Struct).
 *
 * Mirrors pulumi/pulumi (read at 1b59498):
 * - sdk/go/common/resource/plugin/rpc.go `MarshalProperties`: a secret is sent as
 *   `{[SECRET_SIG_KEY]: SECRET_SIG, value}` only when the provider accepts secrets,
 *   otherwise as its bare value; an unknown is sent as the UNKNOWN string only when
 *   unknowns are allowed (previews), otherwise the property is left out;
 * - pkg/resource/plugin/provider_plugin.go `annotateSecrets`: a provider that does not
 *   accept secrets gets its results re-marked secret wherever the request held one;
 * - pkg/resource/deploy/step_executor.go: `additionalSecretOutputs`, and any output
 *   whose input of the same name was secret, are made secret in the stored state.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export type Props = Record<string, unknown>;

/** The key of Pulumi's RPC signature objects (`resource.SigKey`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret (`resource.SecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** A value not known until the resource it comes from exists; only in previews. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface SecretValue {
  [SECRET_SIG_KEY]: typeof SECRET_SIG;
  value: unknown;
}

export function secret(value: unknown): SecretValue {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(value: unknown): value is SecretValue {
  return isRecord(value) && value[SECRET_SIG_KEY] === SECRET_SIG;
}

/** A plain object that is not a secret wrapper (the engine's `IsObject()`). */
function isPlainObject(value: unknown): value is Props {
  return isRecord(value) && !isSecret(value);
}

function isRecord(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value with every secret wrapper removed, at any depth (Go's `removeSecrets`). */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

export function containsSecrets(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isRecord(value)) return Object.values(value).some(containsSecrets);
  return false;
}

export function containsUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (isSecret(value)) return containsUnknowns(value.value);
  if (Array.isArray(value)) return value.some(containsUnknowns);
  if (isRecord(value)) return Object.values(value).some(containsUnknowns);
  return false;
}

export interface MarshalOptions {
  /** Send secrets wrapped (provider said acceptSecrets) rather than bare. */
  keepSecrets: boolean;
  /** Send unknowns as UNKNOWN (previews) rather than leaving the property out. */
  keepUnknowns: boolean;
}

/**
 * What the engine puts on the wire for a property map. `undefined` never reaches
 * the wire (the SDK drops it when it registers a resource), so it is dropped here too.
 */
export function marshal(props: Props, options: MarshalOptions): Props {
  const out: Props = {};
  for (const [key, value] of Object.entries(props)) {
    const marshalled = marshalValue(value, options);
    if (marshalled !== undefined) out[key] = marshalled;
  }
  return out;
}

function marshalValue(value: unknown, options: MarshalOptions): unknown {
  if (value === undefined) return undefined;
  if (value === UNKNOWN) return options.keepUnknowns ? UNKNOWN : undefined;
  if (isSecret(value)) {
    const inner = marshalValue(value.value, options);
    if (!options.keepSecrets) return inner;
    return inner === undefined ? undefined : secret(inner);
  }
  if (Array.isArray(value)) return value.map((v) => marshalValue(v, options)).filter((v) => v !== undefined);
  if (isRecord(value)) return marshal(value, options);
  return value;
}

/**
 * A property map through google.protobuf.Struct and back, exactly as the host
 * encodes what a provider returns: no cleaning first, so a value the host cannot
 * encode (`undefined`, a function) throws "Unexpected struct type." here too.
 */
export function viaStruct<T>(value: T): T {
  return Struct.fromJavaScript(value as never).toJavaScript() as T;
}

/**
 * Copies the secret-ness of request properties onto the provider's results, the way
 * the engine does for a provider that does not accept secrets (`annotateSecrets`):
 * objects recurse, anything else becomes secret when its input held a secret.
 */
export function annotateSecrets(outs: Props, ins: Props): Props {
  const result: Props = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const outValue = result[key];
    if (isPlainObject(outValue) && isPlainObject(inValue)) result[key] = annotateSecrets(outValue, inValue);
    else if (!isSecret(outValue) && containsSecrets(inValue)) result[key] = secret(outValue);
  }
  return result;
}

/**
 * The secret marking the step executor applies to a new state before it is stored:
 * `additionalSecretOutputs`, then every output whose same-named input is secret.
 */
export function markSecretOutputs(outputs: Props, inputs: Props, additionalSecretOutputs: string[]): Props {
  const result: Props = { ...outputs };
  for (const key of additionalSecretOutputs) {
    if (key in result && !isSecret(result[key])) result[key] = secret(result[key]);
  }
  for (const [key, value] of Object.entries(result)) {
    if (!isSecret(value) && isSecret(inputs[key])) result[key] = secret(value);
  }
  return result;
}

/** Deep equality of property values, ignoring key order (the engine compares PropertyMaps). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
    );
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

/**
 * JSON of a value with every secret-wrapped part replaced by "[secret]": the text a
 * leak scan may look at, since secrets are the only place a credential may sit.
 */
export function outsideSecrets(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (isSecret(v) ? "[secret]" : v)) ?? "";
}
