/**
 * The vendor's field rules, written once: the emulator answers -22 when one
 * fails and the provider's `check` reports the same words as a failure at
 * preview time, so the two cannot drift apart.
 *
 * Names are checked for length and non-blankness only. The vendor documents
 * no character set, and a vendor that documents in Chinese may well accept
 * Chinese names, so nothing stricter may be assumed. Length counts characters
 * (Unicode code points), not UTF-16 units or bytes.
 */
export const LIMITS = {
  nameMin: 4,
  nameMax: 32,
  quantityMin: 1,
  quantityMax: 50,
  displayNumMinDigits: 7,
  displayNumMaxDigits: 13,
  pageSizeMin: 1,
  pageSizeMax: 100,
} as const;

/** One broken rule: the property it concerns and the rule in words. */
export interface RuleFailure {
  property: string;
  reason: string;
}

/** A rule returns the broken rule in words, or undefined when the value is fine. */
export type Rule = (value: unknown) => string | undefined;

/** Length in characters (code points), so "话机组一" is 4 long, not 8. */
export function characterLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function requiredString(value: unknown): string | undefined {
  if (value === undefined || value === null) return "is required";
  if (typeof value !== "string") return "must be a string";
  if (value.trim() === "") return "must not be blank";
  return undefined;
}

/** groupName, phoneName, account: 4–32 characters, not blank. */
export const nameRule: Rule = (value) => {
  const problem = requiredString(value);
  if (problem) return problem;
  const length = characterLength(value as string);
  if (length < LIMITS.nameMin || length > LIMITS.nameMax) {
    return `must be ${LIMITS.nameMin}-${LIMITS.nameMax} characters long (got ${length})`;
  }
  return undefined;
};

/** quantity: a whole number 1–50. */
export const quantityRule: Rule = (value) => {
  if (value === undefined || value === null) return "is required";
  if (typeof value !== "number" || !Number.isInteger(value)) return "must be a whole number";
  if (value < LIMITS.quantityMin || value > LIMITS.quantityMax) {
    return `must be between ${LIMITS.quantityMin} and ${LIMITS.quantityMax} (got ${value})`;
  }
  return undefined;
};

const DIGITS = new RegExp(`^[0-9]{${LIMITS.displayNumMinDigits},${LIMITS.displayNumMaxDigits}}$`);

/** displayNum: a string of 7–13 digits (the caller ID shown). */
export const displayNumRule: Rule = (value) => {
  if (value === undefined || value === null) return "is required";
  if (typeof value !== "string") return "must be a string of digits";
  if (!DIGITS.test(value)) {
    return `must be ${LIMITS.displayNumMinDigits}-${LIMITS.displayNumMaxDigits} digits (0-9 only)`;
  }
  return undefined;
};

/** appId: required, not blank; the vendor gives no other rule. */
export const appIdRule: Rule = requiredString;

/** The rules of each endpoint's request body, by property. */
export const SIP_ADD_RULES: Readonly<Record<string, Rule>> = {
  groupName: nameRule,
  phoneName: nameRule,
  quantity: quantityRule,
  displayNum: displayNumRule,
  appId: appIdRule,
};

export const SIP_RESET_RULES: Readonly<Record<string, Rule>> = {
  account: nameRule,
  appId: appIdRule,
};

/** Applies a rule table to an object; one failure per broken property. */
export function applyRules(rules: Readonly<Record<string, Rule>>, body: unknown): RuleFailure[] {
  const record: Record<string, unknown> =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const failures: RuleFailure[] = [];
  for (const [property, rule] of Object.entries(rules)) {
    const reason = rule(record[property]);
    if (reason !== undefined) failures.push({ property, reason });
  }
  return failures;
}

/** A page number or page size: absent means the default; present must be a whole number in range. */
export function pageNumberRule(min: number, max: number): Rule {
  return (value) => {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) return "must be a whole number";
    if (value < min || value > max) return `must be between ${min} and ${max}`;
    return undefined;
  };
}
