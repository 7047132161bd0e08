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

// One compromised phone: `pulumi config set compromisedEpoch 2 && pulumi up` resets
// just this account. The group shows the new password after `pulumi refresh`.
const deskPhone = new SipPhonePassword("support-desk", {
  appId,
  account: config.get("compromisedAccount") ?? support.accounts.apply((accounts) => accounts[0] as string),
  triggers: [config.getNumber("compromisedEpoch") ?? 1],
  rotateAfter: "90d",
});

export const accounts = support.accounts;
export const lastRotation = support.lastResetAt;
export const passwordsSetAt = support.passwordsSetAt;
export const passwords = support.passwords;
export const deskAccount = deskPhone.account;
export const deskPassword = deskPhone.password;
