import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup, SipPhonePassword } from "pulumi-itniotech";

const config = new pulumi.Config();
const appId = config.get("appId") ?? "demo-app";

// `pulumi config set passwordEpoch 2 && pulumi up` resets every password of the group;
// so does any `pulumi up` once 90 days have passed since they were set (a preview
// shows the group as an update when that is due).
const support = new SipPhoneGroup("support", {
  appId,
  quantity: 5,
  displayNum: config.get("displayNum") ?? "8610000000",
  resetTriggers: [config.getNumber("passwordEpoch") ?? 1],
  rotateAfter: "90d",
});

const lastRotation = support.lastResetAt.apply((at) => at ?? "never");

// One compromised phone: `pulumi config set compromisedEpoch 2 && pulumi up` resets
// just this account. A rotation of the whole group resets it again afterwards (the
// time the group's passwords were set is a trigger), so this resource always holds
// the account's latest password. The trigger is `passwordsSetAt`, not `lastResetAt`:
// an output absent from the state (lastResetAt, before the first rotation) is
// unknown in every preview, so a trigger made of it would show as a change in each.
const deskPhone = new SipPhonePassword("support-desk", {
  appId,
  account: config.get("compromisedAccount") ?? support.accounts.apply((accounts) => accounts[0] as string),
  triggers: [config.getNumber("compromisedEpoch") ?? 1, support.passwordsSetAt],
  rotateAfter: "90d",
});

export const accounts = support.accounts;
/** When the group's passwords were last rotated (a `passwordEpoch` change or a due `rotateAfter`); "never" until then. */
export { lastRotation };
/** When the group's passwords were set (created or rotated): `rotateAfter` counts from it. */
export const passwordsSetAt = support.passwordsSetAt;
/**
 * Every account's current password (a secret). The desk phone's password is reset
 * after the group's were read, so the group's `passwords` hold that account's old one
 * (until a refresh): the desk phone's own resource has the current one.
 */
export const passwords = pulumi
  .all([support.passwords, deskPhone.account, deskPhone.password])
  .apply(([group, account, password]) => ({ ...group, [account]: password }));
export const deskAccount = deskPhone.account;
export const deskPassword = deskPhone.password;
