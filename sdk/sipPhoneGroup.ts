import * as pulumi from "@pulumi/pulumi";
import { assertSupportedSdk } from "./compat";
import { sipPhoneGroupProvider, withSecretOutputs } from "./providers";

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
   * Phone name, 4–32 characters, unique within the application and never reusable;
   * the platform names the accounts after it. Generated when absent (at most 28
   * characters, leaving room for the account suffix). Changing it replaces the group.
   */
  phoneName?: pulumi.Input<string>;
  /**
   * Prefix of generated names. Defaults to the resource's logical name. Changing it
   * alone changes nothing: existing names are kept.
   */
  namePrefix?: pulumi.Input<string>;
  /**
   * Any JSON values; any change resets every password in the group (a rotation).
   * Absent and `[]` are the same.
   */
  resetTriggers?: pulumi.Input<unknown[]>;
  /**
   * Take over an existing group with this `groupName` instead of failing (the
   * import path: `pulumi import` cannot work for dynamic resources). Its
   * `phoneName`, `quantity` and `displayNum` must match. When no such group exists
   * it is created. Changing it changes nothing.
   */
  adopt?: pulumi.Input<boolean>;
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
 */
export class SipPhoneGroup extends pulumi.dynamic.Resource {
  /** The voice application id (input). A change replaces the group. */
  declare readonly appId: pulumi.Output<string>;
  /**
   * Number of phones, 1–50 (input). After a refresh: the number the platform holds,
   * so missing phones show as drift. A change replaces the group.
   */
  declare readonly quantity: pulumi.Output<number>;
  /** Caller ID shown by the phones, 7–13 digits (input). A change replaces the group. */
  declare readonly displayNum: pulumi.Output<string>;
  /** The group name, given or generated, 4–32 characters. A change replaces the group. */
  declare readonly groupName: pulumi.Output<string>;
  /**
   * The phone name, given or generated (generated ones are at most 28 characters).
   * A change replaces the group.
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
   * Account → current password. Always a Pulumi secret. A refresh shows passwords
   * reset outside this program as drift; a `resetTriggers` change replaces them all.
   */
  declare readonly passwords: pulumi.Output<Record<string, string>>;
  /** ISO 8601 time of the last rotation; absent until the first one. */
  declare readonly lastResetAt: pulumi.Output<string | undefined>;

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
        ...args,
        // check() never sees the URN, so the logical name travels as an input.
        namePrefix: args.namePrefix ?? name,
        accounts: undefined,
        passwords: undefined,
        lastResetAt: undefined,
      },
      withSecretOutputs(opts, ["passwords"]),
      "itniotech",
      "SipPhoneGroup",
    );
  }
}
