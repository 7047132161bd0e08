/**
 * `pulumi-itniotech/policy`: guardrails for Itniotech SIP phone groups as a Pulumi
 * CrossGuard policy pack, built on `@pulumi/policy` (an optional peer dependency:
 * install it to use this module).
 *
 * Run the ready pack that ships in the package:
 *
 * ```sh
 * pulumi preview --policy-pack node_modules/pulumi-itniotech/policy-pack \
 *   --policy-pack-config policy-config.json
 * ```
 *
 * or put the rules into a pack of your own:
 *
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { itniotechPolicies } from "pulumi-itniotech/policy";
 * new PolicyPack("my-org", { policies: [...itniotechPolicies, ...myPolicies] });
 * ```
 *
 * This module runs in Pulumi's analyzer process. It loads no provider or SDK code
 * (only the pure naming and duration rules the provider uses too) and nothing of
 * `@pulumi/policy` at run time, so importing it never starts a policy server.
 *
 * @module pulumi-itniotech/policy
 */
import type { PolicyPackArgs, Policies } from "@pulumi/policy";
import { callerIdAllowlist } from "./callerIdAllowlist";
import { explicitNames } from "./explicitNames";
import { phonesPerApp } from "./phonesPerApp";
import { protectProduction } from "./protectProduction";
import { rotationRequired } from "./rotation";

export { GROUP_TYPE, PASSWORD_TYPE } from "./resource";
export { ROTATION_REQUIRED, rotationRequired, type RotationConfig } from "./rotation";
export { EXPLICIT_NAMES, explicitNames } from "./explicitNames";
export { PROTECT_PRODUCTION, protectProduction, type ProtectProductionConfig } from "./protectProduction";
export { PHONES_PER_APP, phonesPerApp, type PhonesPerAppConfig } from "./phonesPerApp";
export { CALLER_ID_ALLOWLIST, callerIdAllowlist, type CallerIdAllowlistConfig } from "./callerIdAllowlist";

/** Every rule, in the order the ready pack lists them. */
export const itniotechPolicies: Policies = [
  rotationRequired,
  explicitNames,
  protectProduction,
  phonesPerApp,
  callerIdAllowlist,
];

/** The name of the ready pack (`policy-pack/`), as the engine reports violations under it. */
export const ITNIOTECH_POLICY_PACK = "itniotech";

/** The arguments of the ready pack's `new PolicyPack(ITNIOTECH_POLICY_PACK, …)`. */
export const itniotechPolicyPack: PolicyPackArgs = {
  policies: itniotechPolicies,
  description:
    "Guardrails for Itniotech Voice SIP phone groups: rotation, naming, production, caps, caller IDs.",
  displayName: "Itniotech SIP phone groups",
  enforcementLevel: "mandatory",
  tags: ["itniotech", "sip", "security"],
};
