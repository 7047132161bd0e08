import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configRegExp, GROUP_TYPE, isUnknown, readProps, type Props } from "./resource";

export const CALLER_ID_ALLOWLIST = "itniotech-caller-id-allowlist";

export interface CallerIdAllowlistConfig {
  /**
   * JavaScript regular expressions; a group's `displayNum` must match one of them
   * as a WHOLE (each is anchored: `8610` allows only "8610", `8610[0-9]+` a range).
   * Unset: the rule checks nothing.
   */
  allowedCallerIds?: string[];
}

/**
 * What is wrong with a group's caller ID, or nothing. Unknown values (a preview)
 * and values the provider's check already refuses (not a string) are not judged.
 * Patterns are anchored at both ends: an allowlist entry that matched any number
 * merely containing it would allow far more than its author meant.
 */
export function callerIdProblems(props: Props, config: CallerIdAllowlistConfig): string[] {
  const patterns = config.allowedCallerIds;
  if (patterns === undefined) return [];
  const allowed = patterns.map((p, i) =>
    configRegExp(CALLER_ID_ALLOWLIST, `allowedCallerIds[${i}]`, p, true),
  );
  const displayNum = props["displayNum"];
  if (typeof displayNum !== "string" || isUnknown(displayNum)) return [];
  if (allowed.some((re) => re.test(displayNum))) return [];
  return [
    `displayNum is not an allowed caller ID: it matches none of the ${patterns.length} pattern` +
      `${patterns.length === 1 ? "" : "s"} in allowedCallerIds. Use one of the organisation's numbers, ` +
      `or add this one to allowedCallerIds.`,
  ];
}

/** A group's caller ID is one the organisation allows. */
export const callerIdAllowlist: ResourceValidationPolicy = {
  name: CALLER_ID_ALLOWLIST,
  description:
    "Every SipPhoneGroup shows an allowed caller ID: displayNum matches one of allowedCallerIds " +
    "(regular expressions, each matched against the whole number).",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set displayNum to one of the numbers allowedCallerIds permits.",
  configSchema: {
    properties: {
      allowedCallerIds: {
        type: "array",
        minItems: 1,
        items: { type: "string" },
        description:
          "JavaScript regular expressions, each matched against the WHOLE displayNum " +
          "(e.g. '8610[0-9]{8}'). Unset: the rule checks nothing.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== GROUP_TYPE) return;
    const config = args.getConfig<CallerIdAllowlistConfig>();
    for (const problem of callerIdProblems(readProps(args.props), config)) reportViolation(problem);
  },
};
