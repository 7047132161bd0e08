import { rotateAfterRule } from "../protocol/duration";
import {
  appIdRule,
  characterLength,
  LIMITS,
  nameRule,
  SIP_ADD_RULES,
  type Rule,
  type RuleFailure,
} from "../protocol/rules";
import { accountFailure } from "./config";
import { autoName, MAX_GENERATED_PHONE_NAME } from "./naming";
import { GROUP_REPLACE_KEYS } from "./schema";
import { containsUnknown, isSecret, reveal, UNKNOWN } from "./secrets";
import type { Props } from "./state";
import { canonical, outOfBounds } from "./values";

export interface Checked {
  inputs: Props;
  failures: RuleFailure[];
}

const NAME_KEYS = ["groupName", "phoneName"] as const;

/**
 * SipPhoneGroup's `check`: every sipAdd rule locally, one failure per bad property,
 * never a throw and never an API call. Values still unknown in a preview are not
 * judged. Missing names are generated (`<namePrefix>-<random>`), reusing the old
 * ones when `olds` has them; the engine re-checks a replacement with no olds, which
 * is when fresh names are made. `olds` are the old inputs, as the engine sends them.
 * `suffix` replaces the random part of generated names (tests).
 */
export function checkGroup(olds: unknown, news: unknown, suffix?: () => string): Checked {
  const old = bounded(olds).inputs;
  const { inputs, failures } = bounded(news);
  for (const [property, rule] of Object.entries(SIP_ADD_RULES)) {
    if (inputs[property] === undefined && (NAME_KEYS as readonly string[]).includes(property)) continue;
    judge(failures, property, rule, inputs[property]);
  }
  judge(failures, "phoneName", optional(phoneNameRule), inputs["phoneName"]);
  judge(failures, "resetTriggers", optional(arrayRule), inputs["resetTriggers"]);
  judge(failures, "adopt", optional(booleanRule), inputs["adopt"]);
  judge(failures, "namePrefix", optional(stringRule), inputs["namePrefix"]);
  judge(failures, "rotateAfter", optional(rotateAfterRule), inputs["rotateAfter"]);
  judge(failures, "storePasswords", optional(booleanRule), inputs["storePasswords"]);
  judgeAccount(failures, "account", inputs["account"]);

  const explicit = new Set(NAME_KEYS.filter((key) => inputs[key] !== undefined));
  for (const [key, max] of [
    ["groupName", LIMITS.nameMax],
    ["phoneName", MAX_GENERATED_PHONE_NAME],
  ] as const) {
    if (inputs[key] === undefined) inputs[key] = generatedName(old[key], inputs["namePrefix"], max, suffix);
  }
  failures.push(...reusedNameFailures(old, inputs, explicit));
  return { inputs, failures: firstPerProperty(failures) };
}

/**
 * The platform names a phone's accounts `<phoneName>_NNN` (the vendor's sample:
 * phone `sip`, account `sip_001`) and sipReset accepts accounts of at most 32
 * characters. A longer phone name makes a group whose passwords can never be reset
 * or revoked, so it fails here, at preview, rather than at the first rotation.
 */
const phoneNameRule: Rule = (value) => {
  if (typeof value !== "string" || characterLength(value) <= MAX_GENERATED_PHONE_NAME) return undefined;
  return (
    `must be at most ${MAX_GENERATED_PHONE_NAME} characters long (got ${characterLength(value)}): the platform names the ` +
    `phones' accounts <phoneName>_001, <phoneName>_002, … and sipReset accepts accounts of at most ` +
    `${LIMITS.nameMax} characters, so the group's passwords could never be reset or revoked`
  );
};

/**
 * The old name when there is one: keeping it is what makes a change of anything
 * else an update rather than a replacement (also when the name used to be explicit
 * and was just removed from the program). Otherwise `<namePrefix>-<random>`. A
 * prefix still unknown in a preview gives an unknown name: a name made from the
 * default prefix would show the user a name that will never be used.
 */
function generatedName(previous: unknown, prefix: unknown, max: number, suffix?: () => string): string {
  const old = reveal(previous);
  if (typeof old === "string" && old !== "") return old;
  if (containsUnknown(prefix)) return UNKNOWN;
  const given = reveal(prefix);
  return autoName(typeof given === "string" ? given : undefined, max, suffix?.());
}

/**
 * A change that replaces the group needs new names: names can never be freed.
 * Explicit names that did not change therefore fail here, at preview, instead of
 * as a -20 halfway through `up`. A different application may reuse them, and so
 * may another Itniotech account (`account`): applications belong to an account, so
 * its names are another namespace (should both credentials reach the same
 * application after all, sipAdd's -20 is explained at create).
 */
function reusedNameFailures(olds: Props, inputs: Props, explicit: Set<string>): RuleFailure[] {
  if (olds["appId"] === undefined) return [];
  const same = (key: string) => canonical(olds[key]) === canonical(inputs[key]);
  if (NAMESPACE_KEYS.some((key) => containsUnknown(inputs[key]) || !same(key))) return [];
  const changed = GROUP_REPLACE_KEYS.filter((key) => !containsUnknown(inputs[key]) && !same(key));
  if (changed.length === 0) return [];
  return NAME_KEYS.filter((key) => explicit.has(key) && same(key)).map((key) => ({
    property: key,
    reason:
      `${key}${quoted(inputs[key])} is used by the existing group, and changing ${changed.join(", ")} replaces ` +
      `the group. Group and phone names can never be freed or reused on this platform (there is no delete API), so the ` +
      `replacement needs a new ${key}: choose another one, or remove ${key} to let the provider generate one.`,
  }));
}

/** What a group's names are unique within: an application of an account. */
const NAMESPACE_KEYS = ["appId", "account"] as const;

/** The value for a message, unless the user made it secret: the engine prints failures. */
function quoted(value: unknown): string {
  return isSecret(value) ? "" : ` '${String(value)}'`;
}

/**
 * SipPhonePassword's `check`: appId and account by the sipReset rules, triggers a
 * list, rotateAfter a duration, storePasswords a boolean.
 */
export function checkPassword(_olds: unknown, news: unknown): Checked {
  const { inputs, failures } = bounded(news);
  judge(failures, "appId", appIdRule, inputs["appId"]);
  judge(failures, "account", nameRule, inputs["account"]);
  judge(failures, "triggers", optional(arrayRule), inputs["triggers"]);
  judge(failures, "rotateAfter", optional(rotateAfterRule), inputs["rotateAfter"]);
  judge(failures, "storePasswords", optional(booleanRule), inputs["storePasswords"]);
  judgeAccount(failures, "itniotechAccount", inputs["itniotechAccount"]);
  return { inputs, failures: firstPerProperty(failures) };
}

/**
 * The credentials selector: absent means the default credentials; a name must be an
 * entry of the provider host's `itniotech:accounts` (the failure names the known
 * ones, never their secrets). Its reason starts with the property itself.
 */
function judgeAccount(failures: RuleFailure[], property: string, value: unknown): void {
  if (value === undefined || value === null || containsUnknown(value)) return;
  const reason = accountFailure(property, reveal(value));
  if (reason !== undefined) failures.push({ property, reason });
}

/**
 * The defined properties of an input map, and a failure for each value beyond the
 * bounds (docs/RELIABILITY.md). Such a value is left out of the inputs: nothing
 * after this point walks it, and the host could not encode it in its answer.
 */
function bounded(value: unknown): Checked {
  const props = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : {};
  const inputs: Props = {};
  const failures: RuleFailure[] = [];
  for (const [property, item] of Object.entries(props)) {
    if (item === undefined) continue;
    const problem = outOfBounds(item);
    if (problem === undefined) inputs[property] = item;
    else failures.push({ property, reason: `${property} ${problem}` });
  }
  return { inputs, failures };
}

function judge(failures: RuleFailure[], property: string, rule: Rule, value: unknown): void {
  if (containsUnknown(value)) return;
  const reason = rule(reveal(value));
  if (reason !== undefined) failures.push({ property, reason: `${property} ${reason}` });
}

/** One failure per property, the first found: a value beyond the bounds is not also "required". */
function firstPerProperty(failures: RuleFailure[]): RuleFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => !seen.has(f.property) && seen.add(f.property));
}

const arrayRule: Rule = (value) => (Array.isArray(value) ? undefined : "must be a list (any JSON values)");
const booleanRule: Rule = (value) => (typeof value === "boolean" ? undefined : "must be true or false");
const stringRule: Rule = (value) => (typeof value === "string" ? undefined : "must be a string");

function optional(rule: Rule): Rule {
  return (value) => (value === undefined || value === null ? undefined : rule(value));
}
