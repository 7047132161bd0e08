import { sign } from "../../protocol/signing";
import type { Host } from "./host";
import { isSecret, outsideSecrets, reveal } from "./values";

/**
 * A secret canary scan: every way a value could leak into text (plain, base64,
 * base64url, hex, URL-encoded, JSON-escaped) for the API secret, every Sign value the
 * client could have sent in a time window, and every password the platform ever held.
 */
export class CanaryScan {
  readonly #needles = new Map<string, string>();

  add(label: string, value: string): void {
    if (value.length < 6) return; // too short to tell from noise
    for (const [how, text] of [
      ["plain", value],
      ["base64", Buffer.from(value).toString("base64")],
      ["base64url", Buffer.from(value).toString("base64url")],
      ["hex", Buffer.from(value).toString("hex")],
      ["url", encodeURIComponent(value)],
      ["JSON-escaped", JSON.stringify(value).slice(1, -1)],
    ] as const) {
      if (!this.#needles.has(text)) this.#needles.set(text, `${label} (${how})`);
    }
  }

  /** Every Sign value for timestamps in [fromSeconds, toSeconds]. */
  addSigns(apiKey: string, apiSecret: string, fromSeconds: number, toSeconds: number): void {
    for (let t = fromSeconds; t <= toSeconds; t++) this.add("Sign", sign(apiKey, apiSecret, String(t)));
  }

  /** The API secret and every Sign it makes for timestamps within `[from, to]` seconds. */
  addCredentials(
    credentials: { apiKey: string; apiSecret: string },
    fromSeconds: number,
    toSeconds: number,
  ): void {
    this.add("API secret", credentials.apiSecret);
    this.addSigns(credentials.apiKey, credentials.apiSecret, fromSeconds, toSeconds);
  }

  get size(): number {
    return this.#needles.size;
  }

  /** The canaries found in `text`, described. */
  find(text: string): string[] {
    const found: string[] = [];
    for (const [needle, label] of this.#needles) if (text.includes(needle)) found.push(label);
    return found;
  }
}

/** What `scanHosts` looked at and found. */
export interface HostScan {
  /** The host's output and every answer outside its secret wrappers. */
  texts: string[];
  /** Each canary found, described, with the start of the text it was in. */
  leaks: string[];
  /** Whether the passwords were seen in the raw answers (inside secrets): the scan can see them. */
  passwordsSeen: boolean;
}

/**
 * Scans everything Pulumi's provider hosts printed or answered for the credentials
 * (and every Sign from `fromSeconds` until now) and every password — the platform's,
 * added by the caller, and every one the hosts returned inside a secret, which may
 * have lived only between two commands. Secrets are allowed inside their wrappers
 * and nowhere else.
 */
export function scanHosts(
  scan: CanaryScan,
  hosts: readonly Host[],
  credentials: { apiKey: string; apiSecret: string },
  fromSeconds: number,
): HostScan {
  const parsed = hosts.flatMap((h) => h.transcript.map(tryParse));
  for (const password of parsed.flatMap((p) => secretStrings(p, []))) scan.add("password", password);
  scan.addCredentials(credentials, fromSeconds - 5, Math.floor(Date.now() / 1000) + 5);
  const texts = [...hosts.map((h) => h.output()), ...parsed.map((p) => outsideSecrets(p))];
  const leaks = texts.flatMap((t) => scan.find(t).map((what) => `${what}: ${t.slice(0, 200)}`));
  const passwordsSeen = hosts.some((h) =>
    h.transcript.some((t) => scan.find(t).some((w) => w.startsWith("password"))),
  );
  return { texts, leaks, passwordsSeen };
}

/**
 * With `storePasswords: false` no password may be anywhere: not even inside a secret
 * wrapper. Scans every host's output and every raw answer (states, partial states,
 * errors) for the credentials and every password added to `scan` (the caller adds
 * every password the platform held); `secretsReturned` counts the secret wrappers
 * the answers held at all, which must be 0 for such a resource.
 */
export function scanHostsStrict(
  scan: CanaryScan,
  hosts: readonly Host[],
  credentials: { apiKey: string; apiSecret: string },
  fromSeconds: number,
): { texts: string[]; leaks: string[]; secretsReturned: number } {
  scan.addCredentials(credentials, fromSeconds - 5, Math.floor(Date.now() / 1000) + 5);
  const answers = hosts.flatMap((h) => h.transcript);
  const texts = [...hosts.map((h) => h.output()), ...answers];
  const leaks = texts.flatMap((t) => scan.find(t).map((what) => `${what}: ${t.slice(0, 200)}`));
  const secretsReturned = answers.map(tryParse).flatMap((p) => secretStrings(p, [])).length;
  return { texts, leaks, secretsReturned };
}

/** Every string inside a secret sentinel: passwords the provider returned. */
function secretStrings(value: unknown, into: string[]): string[] {
  if (isSecret(value)) {
    const inner = reveal(value);
    if (typeof inner === "string") into.push(inner);
    else if (inner && typeof inner === "object") for (const v of Object.values(inner)) secretStrings(v, into);
  } else if (Array.isArray(value)) for (const v of value) secretStrings(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) secretStrings(v, into);
  return into;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
