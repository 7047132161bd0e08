import { randomBytes } from "node:crypto";
import { characterLength, LIMITS } from "../protocol/rules";

/** Characters of the random suffix, like Pulumi's own auto-naming. */
export const SUFFIX_LENGTH = 7;

/**
 * The longest generated phone name. The platform names accounts after the phone
 * (the vendor's sample shows `test_001`; the emulator uses `<phoneName>_<NNN>`)
 * and sipReset accepts accounts of 4–32 characters only, so a generated phone name
 * leaves room for the suffix. Explicit names are never rejected for this: the
 * vendor's real account naming is not documented.
 */
export const MAX_GENERATED_PHONE_NAME = LIMITS.nameMax - 4;

export const DEFAULT_PREFIX = "sip";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Random lowercase alphanumerics from the OS's CSPRNG. */
export function randomSuffix(length = SUFFIX_LENGTH, bytes: (n: number) => Buffer = randomBytes): string {
  return [...bytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

/**
 * `<prefix>-<random>`, the prefix cut (by characters, never splitting one) so the
 * whole fits `maxLength`; a blank prefix becomes "sip".
 */
export function autoName(
  prefix: string | undefined,
  maxLength: number,
  suffix: string = randomSuffix(),
): string {
  const base = prefix === undefined || prefix.trim() === "" ? DEFAULT_PREFIX : prefix.trim();
  const room = maxLength - characterLength(suffix) - 1;
  const cut = [...base].slice(0, Math.max(0, room)).join("");
  return cut === "" ? suffix : `${cut}-${suffix}`;
}
