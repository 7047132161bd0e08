import type { PhoneRecord } from "../protocol/types";
import type { GroupInputs } from "./schema";

/** The properties adoption compares between a declaration and the group on the platform. */
export type AdoptedProperty = "phoneName" | "quantity" | "displayNum";

/** One way a platform group differs from a declaration that would adopt it. */
export interface AdoptionMismatch {
  property: AdoptedProperty;
  /** Every distinct value the group's phones have (the phone count for `quantity`). */
  platform: string[] | number;
  declared: string | number;
}

/**
 * The adoption rule, written once for the provider's `create` (`adopt: true`) and
 * for `itniotech export` (which must only write declarations this rule accepts): a
 * group is taken over only when ALL its phones have the declared `phoneName` and
 * `displayNum`, and it has exactly `quantity` phones. Empty when it can be adopted.
 */
export function adoptionMismatches(
  declared: Pick<GroupInputs, AdoptedProperty>,
  records: readonly PhoneRecord[],
): AdoptionMismatch[] {
  const out: AdoptionMismatch[] = [];
  for (const property of ["phoneName", "displayNum"] as const) {
    const values = [...new Set(records.map((r) => r[property]))];
    if (values.length !== 1 || values[0] !== declared[property])
      out.push({ property, platform: values, declared: declared[property] });
  }
  if (records.length !== declared.quantity)
    out.push({ property: "quantity", platform: records.length, declared: declared.quantity });
  return out.sort((a, b) => ORDER.indexOf(a.property) - ORDER.indexOf(b.property));
}

const ORDER: readonly AdoptedProperty[] = ["phoneName", "quantity", "displayNum"];

/** A mismatch in the words of the provider's error: platform against program. */
export function describeMismatch(mismatch: AdoptionMismatch): string {
  const { property, platform, declared } = mismatch;
  return typeof platform === "number"
    ? `${property} is ${platform} on the platform but ${declared} in the program`
    : `${property} is ${quoteAll(platform)} on the platform but '${declared}' in the program`;
}

export function quoteAll(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(", ") || "(none)";
}
