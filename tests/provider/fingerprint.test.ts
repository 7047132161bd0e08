/**
 * The password fingerprint (provider/fingerprint.ts): its format, what its key is a
 * function of, and that neither the key nor a password can be read out of it.
 */
import { inspect } from "node:util";
import { compareFingerprints, fingerprintKey, keyIdOf } from "../../provider/fingerprint";

const FORMAT = /^v1:[A-Za-z0-9_-]{8}:[A-Za-z0-9_-]{43}$/;

describe("fingerprintKey(apiKey, apiSecret)", () => {
  const key = fingerprintKey("key-1", "secret-1");

  it("makes `v1:<key id>:<base64url HMAC-SHA256>`, the same every time (a pinned vector)", () => {
    const fp = key.fingerprint("sip_001", "Zi6CsOka");
    expect(fp).toMatch(FORMAT);
    expect(fingerprintKey("key-1", "secret-1").fingerprint("sip_001", "Zi6CsOka")).toBe(fp);
    // Computed independently (RFC 5869 HKDF and HMAC-SHA256 with Python's hmac module,
    // salt/info/label as in the README). Pinned: a change of salt, info, label or
    // encoding would turn every stored fingerprint into "unknown": a new version, not an edit.
    expect(fp).toBe("v1:AM5nzZKH:AnTNQ7snIlt1c7aLr4IeMvL6U9j-EKmNcLHktk22eMk");
    expect(keyIdOf(fp)).toBe(key.id);
  });

  it.each([
    ["another API secret", fingerprintKey("key-1", "secret-2")],
    ["another API key with the same secret", fingerprintKey("key-2", "secret-1")],
  ])("%s: another key id and other fingerprints", (_name, other) => {
    expect(other.id).not.toBe(key.id);
    expect(other.fingerprint("sip_001", "Zi6CsOka")).not.toBe(key.fingerprint("sip_001", "Zi6CsOka"));
  });

  it("differs per account for the same password, and per password", () => {
    const a = key.fingerprint("sip_001", "Zi6CsOka");
    expect(key.fingerprint("sip_002", "Zi6CsOka")).not.toBe(a);
    expect(key.fingerprint("sip_001", "Zi6CsOkb")).not.toBe(a);
    // The input is JSON: ["a","b"] and ["a\",\"b"] cannot collide by concatenation.
    expect(key.fingerprint("x", "y,z")).not.toBe(key.fingerprint("x,y", "z"));
  });

  it("never shows the key: inspect and JSON give the key id only", () => {
    expect(inspect(key, { showHidden: true, getters: true })).not.toMatch(/secret-1|Buffer|<Buffer/);
    expect(JSON.stringify({ key })).toBe(`{"key":"[FingerprintKey ${key.id}]"}`);
  });
});

describe("compareFingerprints", () => {
  const key = fingerprintKey("key-1", "secret-1");
  const other = fingerprintKey("key-1", "rotated-secret");
  const fresh = key.fingerprints({ a_001: "p1", a_002: "p2" });

  it("names the accounts whose password changed; a new account is no change", () => {
    const recorded = key.fingerprints({ a_001: "p1", a_002: "old" });
    expect(compareFingerprints(recorded, { ...fresh, a_003: "x" }, key)).toEqual({
      changed: ["a_002"],
      foreignKeyIds: [],
    });
  });

  it("fingerprints made with another key (or unreadable) are unknown, never changed", () => {
    const recorded = { a_001: other.fingerprint("a_001", "old"), a_002: "garbage" };
    expect(compareFingerprints(recorded, fresh, key)).toEqual({
      changed: [],
      foreignKeyIds: [other.id, "unreadable"].sort(),
    });
  });
});
