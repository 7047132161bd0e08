/**
 * How the vendor's platform reads a request field sent in another JSON type than
 * documented, before its field rules apply. This is an inference, not vendor
 * documentation: the sipAdd page's PHP sample sends `quantity` as a JSON string
 * (`"30"`) while the page documents an Int and its JSON example sends a number,
 * so the platform must coerce scalars as a Java/JSON backend does. The emulator
 * applies this; the client always sends the documented types, and the provider's
 * `check` validates typed user inputs with the strict rules of `rules.ts` alone.
 *
 * Only unambiguous scalar forms are read; every other value is passed on
 * unchanged, so the field's rule rejects it with -22 as before. The table, case
 * by case: docs/voice-api.md, "Emulator conformance".
 */

/** Reads one field's value as the platform would; unreadable values come back unchanged. */
export type Coercion = (value: unknown) => unknown;

const ASCII_DIGITS = /^[0-9]+$/;

/**
 * An Int field (`quantity`, `current`, `size`): a JSON number as it is, or a
 * string of ASCII digits read as a decimal number ("030" is 30). Signs, spaces,
 * fractions, exponents, hex and other digit scripts are not read.
 */
export const wholeNumberField: Coercion = (value) =>
  typeof value === "string" && ASCII_DIGITS.test(value) ? Number(value) : value;

/**
 * A String field of digits (`displayNum`): a JSON number that is a non-negative
 * whole number (exactly representable) as its decimal digits. Leading zeros
 * cannot travel in a JSON number, so those need the documented string.
 */
export const digitsField: Coercion = (value) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;

/** sipAdd: the two fields a PHP or Java client may send as another scalar. Names and appId stay strings. */
export const SIP_ADD_COERCIONS: Readonly<Record<string, Coercion>> = {
  quantity: wholeNumberField,
  displayNum: digitsField,
};

/** sipQuery's paging numbers, by analogy with sipAdd's `quantity` (the same platform). */
export const SIP_QUERY_COERCIONS: Readonly<Record<string, Coercion>> = {
  current: wholeNumberField,
  size: wholeNumberField,
};

/**
 * A copy of a request body with each listed field read by its coercion. A body
 * that is not a JSON object, and absent fields, are left as they are.
 */
export function coerceFields(coercions: Readonly<Record<string, Coercion>>, body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [field, coerce] of Object.entries(coercions))
    if (Object.hasOwn(copy, field)) copy[field] = coerce(copy[field]);
  return copy;
}
