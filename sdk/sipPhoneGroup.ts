import * as pulumi from "@pulumi/pulumi";
import { assertSupportedSdk } from "./compat";
import { sipPhoneGroupProvider } from "./providers";

/** The inputs of a {@link SipPhoneGroup}. */
export interface SipPhoneGroupArgs {
  /** The Itniotech voice application id the phones belong to. Changing it replaces the group. */
  appId: pulumi.Input<string>;
  /** Number of phones in the group, 1–50. The platform cannot resize a group: changing it replaces the group. */
  quantity: pulumi.Input<number>;
  /** Caller ID shown by the phones: 7–13 digits. Changing it replaces the group. */
  displayNum: pulumi.Input<string>;
  /**
   * Group name, 4–32 characters, unique within the application and never reusable.
   * Generated as `<namePrefix>-<random>` when absent (recommended: a replacement then
   * gets fresh names). Changing it replaces the group.
   */
  groupName?: pulumi.Input<string>;
  /**
   * Phone name, 4–28 characters, unique within the application and never reusable.
   * The platform names the accounts after it, `<phoneName>_001`, `<phoneName>_002`, …,
   * and accounts may be at most 32 characters: a longer name fails at preview, as its
   * passwords could never be reset. Generated when absent. Changing it replaces the group.
   */
  phoneName?: pulumi.Input<string>;
  /**
   * Prefix of generated names. Defaults to the resource's logical name. Changing it
   * alone changes nothing: existing names are kept.
   */
  namePrefix?: pulumi.Input<string>;
  /**
   * Any JSON values; any change resets every password in the group (a rotation).
   * Absent and `[]` are the same. At most 32 levels deep, 1,000 values and 64 KiB as
   * JSON (checked at preview).
   */
  resetTriggers?: pulumi.Input<unknown[]>;
  /**
   * Take over an existing group with this `groupName` instead of failing (the
   * import path: `pulumi import` cannot work for dynamic resources). Its
   * `phoneName`, `quantity` and `displayNum` must match. When no such group exists
   * it is created. Changing it changes nothing.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Scheduled rotation: a whole number and a unit, `s`, `m`, `h` or `d` (`"90d"`,
   * `"12h"`), from 1 s to 3,650 d. When this much time has passed since the
   * passwords were set (`passwordsSetAt`), a preview shows the group as an update
   * (never a replacement) and `pulumi up` resets every password, exactly as a
   * `resetTriggers` change does. Due means now ≥ `passwordsSetAt` + `rotateAfter`.
   * Changing it alone resets nothing unless the new period is already over.
   *
   * @example Rotate every 90 days, at the first update after they are due
   * ```ts
   * new SipPhoneGroup("office", { appId, quantity: 10, displayNum, rotateAfter: "90d" });
   * ```
   */
  rotateAfter?: pulumi.Input<string>;
  /**
   * Whether the state holds the passwords (as a Pulumi secret). `false`: it never
   * does — not after create, refresh, rotation or a failure part-way —, and holds
   * `passwordFingerprints` instead, which tell when a password changes; read the
   * passwords when needed with `getSipPhoneGroupPasswords` or
   * `itniotech passwords --app <appId> --group <groupName>`. Switching it either way
   * is an update that reads the group once and resets nothing.
   *
   * @default true
   * @example Passwords never in the state, rotated every 30 days
   * ```ts
   * new SipPhoneGroup("office", { appId, quantity: 10, displayNum, rotateAfter: "30d", storePasswords: false });
   * ```
   */
  storePasswords?: pulumi.Input<boolean>;
  /**
   * The Itniotech account to work in: the name of an entry of the stack config
   * `itniotech:accounts` (`{ apiKey, apiSecret, baseUrl? }`). Absent: the default
   * credentials (`itniotech:apiKey`, `itniotech:apiSecret`, `itniotech:baseUrl`). An
   * unknown name fails at preview, naming the known ones. Changing it replaces the
   * group: the new one is created in the other account (explicit names may stay,
   * since each account's applications are its own) and the old one is revoked with
   * its own account's credentials.
   *
   * @example A group in a second account
   * ```ts
   * // pulumi config set --path itniotech:accounts.emea.apiKey <key>
   * // pulumi config set --path --secret itniotech:accounts.emea.apiSecret <secret>
   * new SipPhoneGroup("emea-office", { appId: "emeaApp1", quantity: 5, displayNum, account: "emea" });
   * ```
   */
  account?: pulumi.Input<string>;
}

/**
 * A group of Itniotech Voice SIP phones, created by one `sipAdd`.
 *
 * The platform has no update or delete API: every defining property replaces the
 * group (new names are generated when names are auto-named), `resetTriggers`
 * rotates every password, and destroy revokes the credentials by resetting every
 * password — the phones and their names stay on the platform. Use
 * `retainOnDelete: true` to skip the revocation.
 *
 * Id: `<appId>/<groupName>`.
 *
 * @example A new group, auto-named, rotated by changing its reset triggers
 * ```ts
 * import { SipPhoneGroup } from "pulumi-itniotech";
 *
 * const office = new SipPhoneGroup("office", {
 *   appId: "4luaKsL2",
 *   quantity: 10,
 *   displayNum: "8610000000",
 *   resetTriggers: ["2026-11"], // change it to reset every password
 * });
 * export const accounts = office.accounts;
 * export const passwords = office.passwords; // a secret: `pulumi stack output --show-secrets`
 * ```
 *
 * @example Taking over a group made in the vendor's console (the import path for dynamic resources)
 * ```ts
 * const front = new SipPhoneGroup(
 *   "front-desk",
 *   {
 *     appId: "4luaKsL2",
 *     groupName: "front-desk",
 *     phoneName: "frontdesk", // phoneName, quantity and displayNum must match the platform
 *     quantity: 4,
 *     displayNum: "8610000000",
 *     adopt: true,
 *   },
 *   { retainOnDelete: true }, // destroy leaves its passwords as they are
 * );
 * ```
 */
export class SipPhoneGroup extends pulumi.dynamic.Resource {
  /** The voice application id (input). A change replaces the group. */
  declare readonly appId: pulumi.Output<string>;
  /**
   * Number of phones, 1–50 (input). After a refresh: the number the platform holds,
   * so `pulumi refresh` lists missing phones as a change and the next preview
   * replaces the group. A change replaces the group.
   */
  declare readonly quantity: pulumi.Output<number>;
  /** Caller ID shown by the phones, 7–13 digits (input). A change replaces the group. */
  declare readonly displayNum: pulumi.Output<string>;
  /** The group name, given or generated, 4–32 characters. A change replaces the group. */
  declare readonly groupName: pulumi.Output<string>;
  /**
   * The phone name, given or generated, at most 28 characters (the accounts are
   * `<phoneName>_NNN`). A change replaces the group.
   */
  declare readonly phoneName: pulumi.Output<string>;
  /** The prefix for generated names (input; the logical name by default). A change alone does nothing. */
  declare readonly namePrefix: pulumi.Output<string>;
  /**
   * The triggers of the last rotation (input); a change resets every password.
   * Absent when never set.
   */
  declare readonly resetTriggers: pulumi.Output<unknown[] | undefined>;
  /** Whether an existing group could be taken over at create (input). A change alone does nothing. */
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  /**
   * The phone accounts of the group, sorted, as the platform names them (read back
   * with sipQuery, never derived from the phone name).
   */
  declare readonly accounts: pulumi.Output<string[]>;
  /**
   * Account → password, as set by the last create or rotation, or read by the last
   * refresh. Always a Pulumi secret. A refresh stores a password reset outside this
   * program, but `pulumi refresh` does not list it as a change: Pulumi compares the
   * refreshed outputs with the inputs, which hold no passwords. A `resetTriggers`
   * change resets them all. Undefined with `storePasswords: false`.
   */
  declare readonly passwords: pulumi.Output<Record<string, string>>;
  /**
   * With `storePasswords: false`: account → fingerprint of its password,
   * `v1:<key id>:<HMAC-SHA256>`, keyed with a key derived from the API secret (which is
   * never in the state), so the state alone cannot be used to guess a password. Not
   * secret. A refresh records a password reset elsewhere as a new fingerprint. Absent
   * when the passwords are stored.
   */
  declare readonly passwordFingerprints: pulumi.Output<Record<string, string> | undefined>;
  /** Whether the state holds the passwords (input; absent means true). */
  declare readonly storePasswords: pulumi.Output<boolean | undefined>;
  /** ISO 8601 time of the last rotation; absent until the first one. */
  declare readonly lastResetAt: pulumi.Output<string | undefined>;
  /** The rotation schedule (input), e.g. `"90d"`. Absent when never set. */
  declare readonly rotateAfter: pulumi.Output<string | undefined>;
  /** The entry of `itniotech:accounts` the group lives in (input); absent: the default credentials. A change replaces the group. */
  declare readonly account: pulumi.Output<string | undefined>;
  /**
   * ISO 8601 time at which the provider last set the passwords it holds: creation,
   * adoption, or the last completed rotation (a rotation that failed part-way keeps
   * the previous time). `rotateAfter` counts from it. Absent in states written by
   * versions before it existed.
   */
  declare readonly passwordsSetAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: SipPhoneGroupArgs, opts?: pulumi.CustomResourceOptions) {
    assertSupportedSdk();
    super(
      sipPhoneGroupProvider,
      name,
      {
        // Every declared output must be a key here (undefined is fine), or Pulumi
        // creates no Output for it: auto-names, triggers and adopt may be absent.
        groupName: undefined,
        phoneName: undefined,
        resetTriggers: undefined,
        adopt: undefined,
        rotateAfter: undefined,
        storePasswords: undefined,
        account: undefined,
        ...args,
        // check() never sees the URN, so the logical name travels as an input.
        namePrefix: args.namePrefix ?? name,
        accounts: undefined,
        passwords: undefined,
        passwordFingerprints: undefined,
        lastResetAt: undefined,
        passwordsSetAt: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["passwords"] }),
      "itniotech",
      "SipPhoneGroup",
    );
  }
}
