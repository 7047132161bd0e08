/**
 * Text from outside (a state file, the vendor's replies) made inert before it reaches
 * a terminal: control characters (ESC starts a terminal command, BEL rings, a C1 CSI
 * acts like ESC [ on some terminals), line and paragraph separators (a forged line
 * such as "Every group is managed and consistent.") and the bidirectional overrides
 * (text that displays in another order than it reads) are written as `\uXXXX`.
 */
/* eslint-disable no-control-regex -- matching control characters is the point */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEPING_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

const escaped = (c: string): string => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`;

/** One line of inert text: every unsafe character, line breaks included, as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** A whole message: as {@link printable}, but its own line breaks and tabs kept. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escaped);
}

/** JSON for standard output: the same value, with every unsafe character escaped. */
export function jsonText(value: unknown): string {
  // JSON.stringify escapes C0 controls inside strings; outside them are only its own
  // line breaks and spaces, kept. C1, separators and overrides are valid JSON either way.
  return JSON.stringify(value, null, 2).replace(UNSAFE_KEEPING_LINES, escaped);
}
