import { createHmac, hkdfSync } from "node:crypto";

/*
 * Password fingerprints (`storePasswords: false`): what the state records instead of
 * a password, so that a refresh can tell a changed password without the password
 * ever being written down. The design, and what it costs an attacker who holds only
 * the state, is in the README ("Passwords in the state, or not").
 *
 *   key         = HKDF-SHA256(ikm = API secret, salt = FINGERPRINT_SALT,
 *                             info = FINGERPRINT_INFO + API key id, 32 bytes)
 *   key id      = base64url(first 6 bytes of HMAC-SHA256(key, KEY_ID_LABEL))
 *   fingerprint = "v1:" + key id + ":" + base64url(HMAC-SHA256(key, JSON [account, password]))
 *
 * The key is never stored anywhere: it is derived again, in the provider host, from
 * the credentials the resource uses. The key id says which key made a fingerprint,
 * so a state written with other credentials reads as "fingerprints unknown", never
 * as a changed password.
 */

/** The format's version, the first field of every fingerprint. */
export const FINGERPRINT_VERSION = "v1";
/** HKDF salt: fixed and versioned, so a future format derives an unrelated key. */
export const FINGERPRINT_SALT = "pulumi-itniotech/password-fingerprint/v1";
/** HKDF info: the purpose, then the API key id (two keys sharing a secret get unrelated keys). */
export const FINGERPRINT_INFO = "SIP phone password fingerprints for API key ";
/** What the key id is an HMAC of: a fixed label, so the id reveals nothing of the key. */
const KEY_ID_LABEL = "pulumi-itniotech/password-fingerprint/key-id";
/** 6 bytes = 8 base64url characters: enough to tell keys apart, too short to matter to an attacker. */
const KEY_ID_BYTES = 6;
const FORMAT = /^v1:([A-Za-z0-9_-]{8}):[A-Za-z0-9_-]{43}$/;

/** A fingerprint key: its id, and the fingerprint of an account's password under it. */
export class FingerprintKey {
  /** Private: no inspector or JSON serializer lists it. */
  readonly #key: Buffer;
  /** 8 base64url characters; the second field of every fingerprint this key makes. */
  readonly id: string;

  constructor(apiKey: string, apiSecret: string) {
    this.#key = Buffer.from(
      hkdfSync("sha256", apiSecret, FINGERPRINT_SALT, `${FINGERPRINT_INFO}${apiKey}`, 32),
    );
    this.id = this.#mac(KEY_ID_LABEL).subarray(0, KEY_ID_BYTES).toString("base64url");
  }

  /**
   * `v1:<key id>:<43 base64url characters>`. The account is part of the MAC's input,
   * so two accounts with the same password get different fingerprints.
   */
  fingerprint(account: string, password: string): string {
    const mac = this.#mac(JSON.stringify([account, password])).toString("base64url");
    return `${FINGERPRINT_VERSION}:${this.id}:${mac}`;
  }

  /** Account → fingerprint of each account → password. */
  fingerprints(passwords: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(passwords).map(([account, password]) => [account, this.fingerprint(account, password)]),
    );
  }

  toJSON(): string {
    return `[FingerprintKey ${this.id}]`;
  }

  #mac(data: string): Buffer {
    return createHmac("sha256", this.#key).update(data, "utf8").digest();
  }
}

/** The key id a fingerprint names; undefined when it is not a fingerprint of this format. */
export function keyIdOf(fingerprint: unknown): string | undefined {
  if (typeof fingerprint !== "string") return undefined;
  return FORMAT.exec(fingerprint)?.[1];
}

/** What a refresh learned by comparing recorded fingerprints with the platform's passwords. */
export interface FingerprintComparison {
  /** Accounts whose password differs from the one the state recorded. */
  changed: string[];
  /** The key ids of recorded fingerprints made with another key (or not readable): nothing can be told of them. */
  foreignKeyIds: string[];
}

/** Compares recorded fingerprints with fresh ones (by `key`), account by account present in both. */
export function compareFingerprints(
  recorded: Readonly<Record<string, unknown>> | undefined,
  fresh: Readonly<Record<string, string>>,
  key: FingerprintKey,
): FingerprintComparison {
  const changed: string[] = [];
  const foreign = new Set<string>();
  for (const [account, now] of Object.entries(fresh)) {
    const before = recorded?.[account];
    if (before === undefined) continue;
    const id = keyIdOf(before);
    if (id !== key.id) foreign.add(id ?? "unreadable");
    else if (before !== now) changed.push(account);
  }
  return { changed: changed.sort(), foreignKeyIds: [...foreign].sort() };
}

/**
 * The fingerprint key of the credentials `apiKey`/`apiSecret`: a function of the
 * credentials alone, so each account of a stack gets its own. Not cached: one HKDF
 * and one HMAC take microseconds.
 */
export function fingerprintKey(apiKey: string, apiSecret: string): FingerprintKey {
  return new FingerprintKey(apiKey, apiSecret);
}
