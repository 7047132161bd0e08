import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup, SipPhonePassword } from "pulumi-itniotech";

const config = new pulumi.Config();
const appId = config.get("appId") ?? "demo-app";

// `pulumi config set passwordEpoch 2 && pulumi up` resets every password of the group.
const support = new SipPhoneGroup("support", {
  appId,
  quantity: 5,
  displayNum: config.get("displayNum") ?? "8610000000",
  resetTriggers: [config.getNumber("passwordEpoch") ?? 1],
});

// One compromised phone: `pulumi config set compromisedEpoch 2 && pulumi up` resets
// just this account. The group shows the new password after `pulumi refresh`.
const deskPhone = new SipPhonePassword("support-desk", {
  appId,
  account: config.get("compromisedAccount") ?? support.accounts.apply((accounts) => accounts[0] as string),
  triggers: [config.getNumber("compromisedEpoch") ?? 1],
});

export const accounts = support.accounts;
export const lastRotation = support.lastResetAt;
export const passwords = support.passwords;
export const deskAccount = deskPhone.account;
export const deskPassword = deskPhone.password;
