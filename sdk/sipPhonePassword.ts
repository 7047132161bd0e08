import * as pulumi from "@pulumi/pulumi";
import { assertSupportedSdk } from "./compat";
import { sipPhonePasswordProvider, withSecretOutputs } from "./providers";

/** The inputs of a {@link SipPhonePassword}. */
export interface SipPhonePasswordArgs {
  /** The voice application id. Changing it replaces the resource. */
  appId: pulumi.Input<string>;
  /** The phone account (4–32 characters), e.g. one of a `SipPhoneGroup`'s `accounts`. Changing it replaces the resource. */
  account: pulumi.Input<string>;
  /** Any JSON values; any change resets the password again. Absent and `[]` are the same. */
  triggers?: pulumi.Input<unknown[]>;
}

/**
 * One phone account's password, reset with `sipReset` on create and on every
 * change of `triggers` — for rotating a single compromised account. Destroying it
 * changes nothing on the platform. If the account belongs to a `SipPhoneGroup` in
 * the same stack, that group's `passwords` show the change after a refresh.
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
  /** The password set by the last reset. Always a Pulumi secret; a refresh shows a reset made elsewhere. */
  declare readonly password: pulumi.Output<string>;

  constructor(name: string, args: SipPhonePasswordArgs, opts?: pulumi.CustomResourceOptions) {
    assertSupportedSdk();
    super(
      sipPhonePasswordProvider,
      name,
      { triggers: undefined, ...args, password: undefined },
      withSecretOutputs(opts, ["password"]),
      "itniotech",
      "SipPhonePassword",
    );
  }
}
