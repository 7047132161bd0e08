import { currentSettings } from "./config";
import { compareFingerprints, fingerprintKey, type FingerprintKey } from "./fingerprint";
import { secret, type Secret } from "./secrets";
import { unwrapped, type Props } from "./state";

/*
 * `storePasswords`: whether a resource's state holds its passwords (a secret, the
 * default) or only their fingerprints (provider/fingerprint.ts). Every state the
 * provider returns records its passwords through this module, so no operation can
 * write a password into a state that must not hold one.
 */

/** Whether the resource whose inputs (or state) `props` holds keeps its passwords in the state. */
export function storesPasswords(props: Props): boolean {
  return unwrapped(props)["storePasswords"] !== false;
}

/**
 * The fingerprint key of the credentials the resource uses: those of `itniotechAccount`
 * (an entry of `itniotech:accounts`: a group's `account`, a SipPhonePassword's
 * `itniotechAccount`), or the default credentials when absent. The derivation is a
 * function of (API key, API secret) alone, so each account has its own key.
 */
export function currentFingerprintKey(itniotechAccount?: string): FingerprintKey {
  const { apiKey, apiSecret } = currentSettings(itniotechAccount);
  return fingerprintKey(apiKey ?? "", apiSecret ?? "");
}

/** The account whose credentials a group (`account`) or a SipPhonePassword (`itniotechAccount`) uses. */
function credentialsOf(props: Props, selector: "account" | "itniotechAccount"): string | undefined {
  const name = unwrapped(props)[selector];
  return typeof name === "string" ? name : undefined;
}

/** A group's outputs that record its passwords: the secret map, or (storePasswords false) their fingerprints. */
export function groupPasswordsRecord(
  from: Props,
  passwords: Readonly<Record<string, string>>,
): { passwords?: Secret<Record<string, string>>; passwordFingerprints?: Record<string, string> } {
  if (storesPasswords(from)) return { passwords: secret({ ...passwords }) };
  return {
    passwordFingerprints: currentFingerprintKey(credentialsOf(from, "account")).fingerprints(passwords),
  };
}

/** A SipPhonePassword's output that records its password: the secret, or (storePasswords false) its fingerprint. */
export function passwordRecord(
  from: Props,
  account: string,
  password: string,
): { password?: Secret<string>; passwordFingerprint?: string } {
  if (storesPasswords(from)) return { password: secret(password) };
  const key = currentFingerprintKey(credentialsOf(from, "itniotechAccount"));
  return { passwordFingerprint: key.fingerprint(account, password) };
}

/**
 * After a refresh: tells the user (console.log reaches them from the host) which
 * accounts' passwords changed since the state recorded their fingerprints, and when
 * the recorded fingerprints were made with other credentials (then nothing can be
 * told: they are made again with the current key, never read as a change).
 * Never names a password or a fingerprint.
 */
export function noticeFingerprintChanges(
  what: string,
  recorded: Readonly<Record<string, unknown>> | undefined,
  fresh: Readonly<Record<string, string>> | undefined,
  itniotechAccount?: string,
): void {
  if (recorded === undefined || fresh === undefined) return;
  const key = currentFingerprintKey(itniotechAccount);
  const { changed, foreignKeyIds } = compareFingerprints(recorded, fresh, key);
  if (foreignKeyIds.length > 0) {
    console.log(
      `${what}: password fingerprints unknown: the state's were made with another API key or secret ` +
        `(key id ${foreignKeyIds.join(", ")}; now ${key.id}), so whether the passwords changed cannot be told; ` +
        "they are recorded again with the current key.",
    );
  }
  if (changed.length > 0) {
    console.log(
      `${what}: the password of ${changed.length === 1 ? "account" : "accounts"} ${changed.join(", ")} ` +
        "changed since the state recorded it (reset outside this stack); the new fingerprint is recorded.",
    );
  }
}
