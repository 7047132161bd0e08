/**
 * Pulumi's RPC secret sentinel. A dynamic provider cannot return `pulumi.secret(x)`
 * (it fails with "Unexpected struct type", pulumi/pulumi#3012); returning this
 * object instead makes the engine store `value` as a secret.
 */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** The preview placeholder for values not known yet; never validated. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Secret<T> {
  [SECRET_SIG_KEY]: typeof SECRET_SIG_VALUE;
  value: T;
}

export function secret<T>(value: T): Secret<T> {
  return { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value };
}

export function isSecret(value: unknown): value is Secret<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
  );
}

/**
 * The plain value, with every secret wrapper removed at any depth. The host tells
 * the engine it does not accept secrets, so values usually arrive plain; tests and
 * other callers may still pass wrapped ones.
 */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    // defineProperty, not `out[key] =`: a key "__proto__" (JSON.parse makes it an own
    // property) would otherwise call the setter and become the copy's prototype,
    // hiding the key from every check and lending its fields to the copy.
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(out, key, {
        value: reveal(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/** Whether a value is, or contains, the preview's unknown placeholder. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
