import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";

const config = new pulumi.Config();

// Three phones, auto-named "office-<random>": a later change of quantity or
// displayNum replaces the group with freshly named phones.
const office = new SipPhoneGroup("office", {
  appId: config.get("appId") ?? "demo-app",
  quantity: config.getNumber("quantity") ?? 3,
  displayNum: config.get("displayNum") ?? "8610000000",
});

export const groupName = office.groupName;
export const accounts = office.accounts;
/** A secret: `pulumi stack output passwords --show-secrets` reveals it. */
export const passwords = office.passwords;
