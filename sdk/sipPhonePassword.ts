import * as pulumi from "@pulumi/pulumi";
import { assertSupportedSdk } from "./compat";
import { sipPhonePasswordProvider } from "./providers";

/** The inputs of a {@link SipPhonePassword}. */
export interface SipPhonePasswordArgs {
  /** The voice application id. Changing it replaces the resource. */
  appId: pulumi.Input<string>;
  /** The phone account (4–32 characters), e.g. one of a `SipPhoneGroup`'s `accounts`. Changing it replaces the resource. */
  account: pulumi.Input<string>;
  /**
   * Any JSON values; any change resets the password again. Absent and `[]` are the
   * same. At most 32 levels deep, 1,000 values and 64 KiB as JSON (checked at preview).
   */
  triggers?: pulumi.Input<unknown[]>;
  /**
   * Scheduled rotation: a whole number and a unit, `s`, `m`, `h` or `d` (`"30d"`),
   * from 1 s to 3,650 d. When this much time has passed since the password was set
   * (`passwordSetAt`), a preview shows an update and `pulumi up` resets it, as a
   * `triggers` change does. Due means now ≥ `passwordSetAt` + `rotateAfter`.
   * Changing it alone resets nothing unless the new period is already over.
   *
   * @example A shared front-desk phone, rotated monthly
   * ```ts
   * new SipPhonePassword("front-desk", { appId, account: "frontdesk_001", rotateAfter: "30d" });
   * ```
   */
  rotateAfter?: pulumi.Input<string>;
  /**
   * Whether the state holds the password (as a Pulumi secret). `false`: it holds
   * `passwordFingerprint` instead (see `SipPhoneGroupArgs.storePasswords`).
   * Switching it is an update that reads the account once and resets nothing.
   *
   * @default true
   */
  storePasswords?: pulumi.Input<boolean>;
  /**
   * The Itniotech account to work in: the name of an entry of the stack config
   * `itniotech:accounts`, as `account` is on `SipPhoneGroup` and the lookups. Absent:
   * the default credentials. An unknown name fails at preview, naming the known
   * ones; changing it replaces the resource.
   *
   * Named `itniotechAccount` here, not `account` as elsewhere: this resource's
   * `account` has always been the phone account (`<phoneName>_001`, part of its id),
   * and renaming that would break every existing program and state.
   *
   * @example Rotating a phone of a group in a second account
   * ```ts
   * new SipPhonePassword("emea-desk", { appId: "emeaApp1", account: "emeadesk_001", itniotechAccount: "emea" });
   * ```
   */
  itniotechAccount?: pulumi.Input<string>;
}

/**
 * One phone account's password, reset with `sipReset` on create and on every
 * change of `triggers` — for rotating a single compromised account. Destroying it
 * changes nothing on the platform. If the account belongs to a `SipPhoneGroup` in
 * the same stack, that group's `passwords` hold the new password after a refresh.
 *
 * Id: `<appId>/<account>`.
 */
export class SipPhonePassword extends pulumi.dynamic.Resource {
  /** The voice application id (input). A change replaces the resource. */
  declare readonly appId: pulumi.Output<string>;
  /** The phone account, 4–32 characters (input). A change replaces the resource. */
  declare readonly account: pulumi.Output<string>;
  /** The triggers of the last reset (input); a change resets the password again. Absent when never set. */
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /**
   * The password set by the last reset, or read by the last refresh. Always a Pulumi
   * secret. A refresh stores a reset made elsewhere, but `pulumi refresh` does not
   * list it as a change (Pulumi compares the refreshed outputs with the inputs).
   * Undefined with `storePasswords: false`.
   */
  declare readonly password: pulumi.Output<string>;
  /**
   * With `storePasswords: false`: the keyed fingerprint of the password (as a
   * group's `passwordFingerprints`). Not secret. Absent when the password is stored.
   */
  declare readonly passwordFingerprint: pulumi.Output<string | undefined>;
  /** Whether the state holds the password (input; absent means true). */
  declare readonly storePasswords: pulumi.Output<boolean | undefined>;
  /** The rotation schedule (input), e.g. `"30d"`. Absent when never set. */
  declare readonly rotateAfter: pulumi.Output<string | undefined>;
  /** The entry of `itniotech:accounts` used (input); absent: the default credentials. A change replaces the resource. */
  declare readonly itniotechAccount: pulumi.Output<string | undefined>;
  /**
   * ISO 8601 time of the reset that set `password` (create, a trigger change or a due
   * rotation); `rotateAfter` counts from it. Absent in states written by versions
   * before it existed.
   */
  declare readonly passwordSetAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: SipPhonePasswordArgs, opts?: pulumi.CustomResourceOptions) {
    assertSupportedSdk();
    super(
      sipPhonePasswordProvider,
      name,
      {
        triggers: undefined,
        rotateAfter: undefined,
        storePasswords: undefined,
        itniotechAccount: undefined,
        ...args,
        password: undefined,
        passwordFingerprint: undefined,
        passwordSetAt: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }),
      "itniotech",
      "SipPhonePassword",
    );
  }
}
