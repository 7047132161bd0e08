import { randomInt } from "node:crypto";
import { characterLength, LIMITS } from "../protocol/rules";

/** Characters of the random suffix, like Pulumi's own auto-naming. */
export const SUFFIX_LENGTH = 7;

/**
 * The longest phone name, generated or given. The platform names accounts after the
 * phone, `<phoneName>_NNN` (the vendor's sample: phone `sip`, account `sip_001`;
 * the emulator does the same) and sipReset accepts accounts of 4–32 characters
 * only, so a phone name leaves room for the `_NNN` suffix: a longer one makes a
 * group whose passwords can never be reset or revoked, and `check` refuses it.
 */
export const MAX_GENERATED_PHONE_NAME = LIMITS.nameMax - 4;

/** The prefix when `namePrefix` is absent or blank (the resource class always fills it). */
export const DEFAULT_PREFIX = "sip";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A uniform integer in [0, n); `crypto.randomInt` by default, injectable for tests. */
export type RandomIndex = (n: number) => number;

/**
 * Random lowercase alphanumerics from the OS's CSPRNG. `randomInt` rather than
 * `randomBytes() % 36`, which would favour the first four characters.
 */
export function randomSuffix(length = SUFFIX_LENGTH, pick: RandomIndex = randomInt): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[pick(ALPHABET.length)] ?? ALPHABET[0];
  return out;
}

/**
 * `<prefix>-<suffix>` that always fits `LIMITS.nameMin`–`maxLength` characters:
 * - a blank prefix becomes {@link DEFAULT_PREFIX}; surrounding whitespace is
 *   dropped, also where the cut leaves some (`"my office"` never gives `"my -…"`);
 * - the prefix is cut by characters (code points), never bytes, so a Chinese
 *   prefix keeps whole characters; the suffix is never cut unless it alone is
 *   longer than `maxLength`;
 * - a result under the minimum (only an injected suffix shorter than 2 can cause
 *   one) is padded with "0" rather than failing: check must never throw.
 */
export function autoName(
  prefix: string | undefined,
  maxLength: number,
  suffix: string = randomSuffix(),
): string {
  const base = prefix === undefined || prefix.trim() === "" ? DEFAULT_PREFIX : prefix.trim();
  const tail = [...suffix].slice(0, maxLength).join("");
  const room = maxLength - characterLength(tail) - 1;
  const cut = [...base].slice(0, Math.max(0, room)).join("").trimEnd();
  const name = cut === "" ? tail : `${cut}-${tail}`;
  const missing = LIMITS.nameMin - characterLength(name);
  return missing > 0 ? name + "0".repeat(missing) : name;
}
