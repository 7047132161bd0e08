/**
 * How the rules read what Pulumi's analyzer hands them. Facts, read in pulumi/pulumi
 * at 1b59498 (pkg/resource/deploy/step_generator.go, pkg/resource/plugin/
 * analyzer_plugin.go) and @pulumi/policy 1.21 (server.js, proxy.js):
 *
 * - `Analyze` gets a resource's inputs AFTER the provider's `check`: generated
 *   `groupName`/`phoneName` are already filled in, and internal keys
 *   (`__provider`) are left out. `AnalyzeStack` gets every resource's outputs.
 * - In a preview a value that is not known yet arrives as one of seven sentinel
 *   strings (one per type). @pulumi/policy wraps the properties in a proxy whose
 *   `get` throws on them, which ends the rule with an advisory "can't run policy
 *   during preview" for the whole resource. Reading own property descriptors
 *   bypasses that trap, so the rules see the sentinel and skip just that value.
 * - Secrets arrive unwrapped: a rule cannot tell a secret value from a plain one,
 *   so messages never quote a property's value.
 * - Options carry `protect`, never `retainOnDelete` (AnalyzerResourceOptions in
 *   proto/pulumi/analyzer.proto has no such field; `marshalResourceOptions` sends
 *   protect, ignoreChanges, deleteBeforeReplace, additionalSecretOutputs, aliases,
 *   customTimeouts and parent).
 * - The stack's name reaches the analyzer in every URN
 *   (`urn:pulumi:<stack>::<project>::<type>::<name>`); the engine also sends it in
 *   ConfigureStack and PULUMI_NODEJS_STACK, which @pulumi/policy does not hand to
 *   policies.
 */

/** The type tokens of the package's resources (DESIGN.md; dynamic resources share one class, so match on these). */
export const GROUP_TYPE = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
export const PASSWORD_TYPE = "pulumi-nodejs:dynamic/itniotech:SipPhonePassword";

/**
 * The engine's unknown-value sentinels, one per type
 * (sdk/go/common/resource/plugin/rpc.go `Unknown*Value`).
 */
const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True for a value that is not known yet (previews only). */
export function isUnknown(value: unknown): boolean {
  return UNKNOWN_SENTINELS.has(value);
}

export type Props = Readonly<Record<string, unknown>>;

/**
 * The properties as plain data, unknown values kept as their sentinels. Works on
 * @pulumi/policy's unknown-checking proxy (whose `get` throws on unknowns) and on
 * plain objects alike.
 */
export function readProps(props: object): Props {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props)) out[key] = Object.getOwnPropertyDescriptor(props, key)?.value;
  return out;
}

/** The stack's name, from a resource URN (`urn:pulumi:<stack>::…`); undefined for anything else. */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]*)::/.exec(urn);
  return match?.[1];
}

/** The logical name in a URN (after the type; may itself contain `::`). */
export function nameOfUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/**
 * A regular expression from policy config, compiled or refused with a message that
 * names the policy and the setting (the engine shows it and stops the preview).
 */
export function configRegExp(policy: string, setting: string, pattern: unknown, wholeMatch = false): RegExp {
  if (typeof pattern !== "string") {
    throw new Error(`${policy}: ${setting} must be a string (a regular expression)`);
  }
  try {
    return new RegExp(wholeMatch ? `^(?:${pattern})$` : pattern);
  } catch (error) {
    throw new Error(
      `${policy}: ${setting} ${JSON.stringify(pattern)} is not a valid JavaScript regular expression: ` +
        (error as Error).message,
      { cause: error },
    );
  }
}
