import * as pulumi from "@pulumi/pulumi";

/**
 * Which Pulumi this package needs, and a clear refusal of an older one.
 *
 * The provider reads its credentials in the dynamic provider's `configure`, which
 * needs both halves of Pulumi 3.139.0 (pulumi/pulumi#17697 and #17673, released
 * 2024-11-14): the `@pulumi/pulumi` SDK of 3.139.0 is the first whose
 * dynamic-provider host calls `configure` at all, and the Pulumi CLI of 3.139.0 is
 * the first whose engine hands a dynamic provider the whole stack config (before, it
 * got only keys of its own package, `pulumi-nodejs:*`, so never `itniotech:apiKey`).
 * With either older, every operation would fail with "API key is missing" although
 * the key is set; the SDK half is checked here, when a resource is declared.
 */

/** The first Pulumi release, SDK and CLI alike, that works with this package. */
export const MINIMUM_PULUMI = "3.139.0";

/** `[major, minor, patch]` of a version such as `3.139.0`, `v3.265.0` or `3.140.0-alpha.1`. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Whether `version` is `minimum` or later (a pre-release counts as its release). */
export function versionAtLeast(version: [number, number, number], minimum: string): boolean {
  const floor = parseVersion(minimum) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const [have, need] = [version[i] ?? 0, floor[i] ?? 0];
    if (have !== need) return have > need;
  }
  return true;
}

/** Why this `@pulumi/pulumi` version cannot run the package, or undefined when it can. */
export function sdkProblem(version: string): string | undefined {
  const parsed = parseVersion(version);
  if (parsed && versionAtLeast(parsed, MINIMUM_PULUMI)) return undefined;
  return (
    `pulumi-itniotech needs @pulumi/pulumi ${MINIMUM_PULUMI} or later, and this program loads ${version}. ` +
    "Older versions never call a dynamic provider's configure, so the provider could not read " +
    `itniotech:apiKey from the stack config. Run: npm install @pulumi/pulumi@^${MINIMUM_PULUMI.split(".").slice(0, 2).join(".")} ` +
    `(and use a Pulumi CLI ${MINIMUM_PULUMI} or later).`
  );
}

let checked: string | undefined;

/**
 * Throws a `RunError` (printed without a stack trace) when the program's
 * `@pulumi/pulumi` is older than {@link MINIMUM_PULUMI}. The resource classes call it,
 * so the program stops at its first resource, before anything is sent anywhere.
 */
export function assertSupportedSdk(): void {
  // The same @pulumi/pulumi the resource classes extend: resolved from this package.
  const { version } = require("@pulumi/pulumi/package.json") as { version: string };
  if (checked === version) return;
  const problem = sdkProblem(version);
  if (problem !== undefined) {
    throw new pulumi.RunError(problem);
  }
  checked = version;
}
