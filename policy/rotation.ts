import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DURATION_UNITS, parseDuration } from "../protocol/duration";
import { GROUP_TYPE, isUnknown, PASSWORD_TYPE, readProps, type Props } from "./resource";

export const ROTATION_REQUIRED = "itniotech-rotation-required";

export interface RotationConfig {
  /**
   * The longest `rotateAfter` allowed, in days (1–3650).
   * @default 90
   */
  maxDays: number;
}

export const ROTATION_DEFAULTS: RotationConfig = { maxDays: 90 };

/**
 * What is wrong with a resource's `rotateAfter`, or nothing. An unknown value (a
 * preview) is not judged; a value the provider's check will refuse is reported in
 * the provider's words, from the same parser.
 */
export function rotationProblems(props: Props, config: RotationConfig): string[] {
  const value = props["rotateAfter"];
  const limit = `${config.maxDays}d`;
  if (isUnknown(value)) return [];
  if (value === undefined || value === null) {
    return [
      `rotateAfter is not set: set it (e.g. rotateAfter: "${limit}") so the passwords are reset ` +
        `at least every ${config.maxDays} days.`,
    ];
  }
  const parsed = parseDuration(value);
  if (!parsed.ok) return [`rotateAfter ${parsed.reason}.`];
  if (parsed.duration.seconds > config.maxDays * DURATION_UNITS.d) {
    return [`rotateAfter is longer than ${config.maxDays} days (maxDays): rotate at least every ${limit}.`];
  }
  return [];
}

/** Every SipPhoneGroup and SipPhonePassword rotates on a schedule no longer than `maxDays`. */
export const rotationRequired: ResourceValidationPolicy = {
  name: ROTATION_REQUIRED,
  description:
    "Passwords rotate on a schedule: every SipPhoneGroup and SipPhonePassword sets rotateAfter, " +
    "no longer than maxDays.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Set rotateAfter on the resource, e.g. rotateAfter: "90d"; the provider then resets every password ' +
    "when that much time has passed since they were last set, and a preview shows the rotation as due.",
  configSchema: {
    properties: {
      maxDays: {
        type: "integer",
        minimum: 1,
        maximum: 3650,
        default: ROTATION_DEFAULTS.maxDays,
        description: "The longest rotateAfter allowed, in days.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== GROUP_TYPE && args.type !== PASSWORD_TYPE) return;
    const config = { ...ROTATION_DEFAULTS, ...args.getConfig<Partial<RotationConfig>>() };
    for (const problem of rotationProblems(readProps(args.props), config)) reportViolation(problem);
  },
};
