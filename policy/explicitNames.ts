import type { ResourceValidationPolicy } from "@pulumi/policy";
import { LIMITS } from "../protocol/rules";
import { autoName, MAX_GENERATED_PHONE_NAME, SUFFIX_LENGTH } from "../provider/naming";
import { GROUP_TYPE, isUnknown, readProps, type Props } from "./resource";

export const EXPLICIT_NAMES = "itniotech-explicit-names";

const NAMES = [
  ["groupName", LIMITS.nameMax],
  ["phoneName", MAX_GENERATED_PHONE_NAME],
] as const;

const SUFFIX = new RegExp(`^[a-z0-9]{${SUFFIX_LENGTH}}$`);

/**
 * Whether `name` is one the provider generates from `prefix`: `autoName`'s shape,
 * `<prefix, cut to fit>-<random lowercase alphanumerics>`. The analyzer sees the
 * inputs after `check`, where generated names are already filled in, so presence
 * alone says nothing; the shape does. A name generated under an earlier
 * `namePrefix` (changing it keeps the old names) no longer has the shape and
 * counts as explicit.
 */
export function isGeneratedName(name: string, prefix: string | undefined, maxLength: number): boolean {
  const template = autoName(prefix, maxLength, "x".repeat(SUFFIX_LENGTH));
  const head = template.slice(0, template.length - SUFFIX_LENGTH);
  return name.length === template.length && name.startsWith(head) && SUFFIX.test(name.slice(head.length));
}

/**
 * The explicit names of a group's checked inputs, with why they are a risk. Unknown
 * names, or names whose prefix is unknown (a preview), are not judged.
 */
export function explicitNameProblems(props: Props): string[] {
  const prefix = props["namePrefix"];
  if (isUnknown(prefix)) return [];
  const explicit = NAMES.filter(([key, max]) => {
    const name = props[key];
    return typeof name === "string" && !isUnknown(name) && !isGeneratedName(name, prefixOf(prefix), max);
  }).map(([key]) => key);
  if (explicit.length === 0) return [];
  const keys = explicit.join(" and ");
  const risk =
    `${keys} ${explicit.length > 1 ? "are" : "is"} set explicitly. Names can never be freed or reused on the ` +
    `platform, so any change that replaces this group (appId, quantity, displayNum, groupName, phoneName) ` +
    `needs new names, and the preview fails until you choose them.`;
  // An adopted group is found by its names: they must stay until a replacement is due.
  const advice =
    props["adopt"] === true
      ? ` The group is adopted, so keep ${keys} for now; when a change would replace it, remove them instead ` +
        `of choosing new ones, and the provider generates names (<namePrefix>-<random>).`
      : ` Remove ${keys} to let the provider generate names (<namePrefix>-<random>); a replacement then gets ` +
        `fresh ones by itself.`;
  return [risk + advice];
}

function prefixOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Advisory: an explicit name ties the group to names that can never be reused. */
export const explicitNames: ResourceValidationPolicy = {
  name: EXPLICIT_NAMES,
  description:
    "SipPhoneGroup names are auto-generated: an explicit groupName or phoneName can never be reused " +
    "on the platform, so every replacement needs new names chosen by hand.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps:
    "Remove groupName and phoneName from the group's arguments; the provider generates " +
    "<namePrefix>-<random> names (namePrefix defaults to the resource's name) and keeps them on updates.",
  configSchema: { properties: {} },
  validateResource: (args, reportViolation) => {
    if (args.type !== GROUP_TYPE) return;
    for (const problem of explicitNameProblems(readProps(args.props))) reportViolation(problem);
  },
};
