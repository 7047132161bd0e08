import fc from "fast-check";
import { characterLength } from "../../protocol/rules";

/** Strings of `min`–`max` characters (code points, as the rules count them) that are not blank. */
export const nonBlank = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: "binary", minLength: min, maxLength: max })
    .filter((s) => s.trim() !== "" && characterLength(s) >= min && characterLength(s) <= max);

/**
 * SipPhoneGroup inputs that pass every rule: the required three, and any of the
 * optional ones. One generator for the property tests of check and of bad input.
 */
export const validGroup = fc.record(
  {
    appId: nonBlank(1, 20),
    quantity: fc.integer({ min: 1, max: 50 }),
    displayNum: fc.stringMatching(/^[0-9]{7,13}$/),
    groupName: nonBlank(4, 32),
    // Accounts are <phoneName>_NNN and may be at most 32 characters.
    phoneName: nonBlank(4, 28),
    namePrefix: fc.string({ unit: "grapheme", maxLength: 60 }),
    resetTriggers: fc.array(fc.jsonValue(), { maxLength: 3 }),
    adopt: fc.boolean(),
  },
  { requiredKeys: ["appId", "quantity", "displayNum"] },
);
