import * as pulumi from "@pulumi/pulumi";
import { listSipPhoneGroups, SipPhoneGroup, SipPhonePassword } from "pulumi-itniotech";

const config = new pulumi.Config();
const hqAppId = config.get("hqAppId") ?? "demo-app";
const emeaAppId = config.get("emeaAppId") ?? "emea-app";

// The head office, in the stack's default account (itniotech:apiKey, itniotech:apiSecret).
const hq = new SipPhoneGroup("hq", { appId: hqAppId, quantity: 3, displayNum: "8610000000" });

// The European office, in a second Itniotech account: the entry "emea" of the stack
// config itniotech:accounts. Changing `account` would replace the group (another
// account is another platform).
const emea = new SipPhoneGroup("emea", {
  appId: emeaAppId,
  quantity: 2,
  displayNum: "4420000000",
  account: "emea",
});

// One phone of the emea group with its own rotation. On SipPhonePassword, `account`
// is the phone account; the Itniotech account is `itniotechAccount`.
const emeaDesk = new SipPhonePassword("emea-desk", {
  appId: emea.appId,
  account: emea.accounts[0]!,
  itniotechAccount: "emea",
  rotateAfter: "30d",
});

export const hqAccounts = hq.accounts;
export const emeaAccounts = emea.accounts;
/** Secrets: `pulumi stack output --show-secrets` reveals them. */
export const hqPasswords = hq.passwords;
export const emeaDeskPassword = emeaDesk.password;
/**
 * A lookup in the second account: the groups its application already held when
 * this run began (lookups read once per run, so not the group this run creates).
 */
export const emeaGroupsBefore = listSipPhoneGroups({ appId: emeaAppId, account: "emea" }).then((groups) =>
  groups.map((g) => g.groupName),
);
