import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configRegExp, GROUP_TYPE, stackOfUrn } from "./resource";

export const PROTECT_PRODUCTION = "itniotech-protect-production";

export interface ProtectProductionConfig {
  /**
   * A JavaScript regular expression tested against the stack's name (the short
   * name, as in the URN: `prod`, not `org/project/prod`); a match makes the stack a
   * production stack.
   * @default "^prod"
   */
  productionStacks: string;
}

export const PROTECT_PRODUCTION_DEFAULTS: ProtectProductionConfig = { productionStacks: "^prod" };

/**
 * What is wrong with a group in `stack`, or nothing. Only `protect` can be checked:
 * the engine never sends `retainOnDelete` to a policy pack (see ./resource.ts), so a
 * group that relies on it alone cannot be told from an unguarded one.
 */
export function protectionProblems(
  stack: string | undefined,
  protect: boolean,
  config: ProtectProductionConfig,
): string[] {
  const production = configRegExp(PROTECT_PRODUCTION, "productionStacks", config.productionStacks);
  if (stack === undefined || !production.test(stack) || protect) return [];
  return [
    `The stack '${stack}' is a production stack (productionStacks /${config.productionStacks}/) and this ` +
      `group is not protected: destroying or replacing it resets every password of its phones, so they ` +
      `stop working. Set the resource option protect: true. (retainOnDelete: true skips the revocation too, ` +
      `but Pulumi does not show it to policy packs: keep protect: true beside it.)`,
  ];
}

/** In production stacks, groups are `protect`ed: a destroy or replacement revokes every password. */
export const protectProduction: ResourceValidationPolicy = {
  name: PROTECT_PRODUCTION,
  description:
    "In production stacks every SipPhoneGroup is protected: destroying or replacing a group revokes " +
    "the passwords of all its phones.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Add { protect: true } to the group's resource options. To retire a group on purpose, run " +
    "`pulumi state unprotect <urn>`, then remove it from the program.",
  configSchema: {
    properties: {
      productionStacks: {
        type: "string",
        default: PROTECT_PRODUCTION_DEFAULTS.productionStacks,
        description:
          "A JavaScript regular expression tested against the stack name (e.g. 'prod'); matching stacks " +
          "are production stacks.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== GROUP_TYPE) return;
    const config = { ...PROTECT_PRODUCTION_DEFAULTS, ...args.getConfig<Partial<ProtectProductionConfig>>() };
    for (const problem of protectionProblems(stackOfUrn(args.urn), args.opts.protect, config)) {
      reportViolation(problem);
    }
  },
};
