import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";

const config = new pulumi.Config();

// A group someone created by hand in the vendor's console. `pulumi import` cannot
// work for dynamic resources (pulumi/pulumi#16175); `adopt: true` is the import
// path: the provider finds the group, checks that phoneName, quantity and
// displayNum match, and takes it over without creating anything.
const frontDesk = new SipPhoneGroup(
  "front-desk",
  {
    appId: config.get("appId") ?? "demo-app",
    groupName: config.get("groupName") ?? "front-desk-console",
    phoneName: config.get("phoneName") ?? "frontdesk",
    quantity: config.getNumber("quantity") ?? 4,
    displayNum: config.get("displayNum") ?? "8610000000",
    adopt: true,
  },
  // Keep the adopted phones' credentials working if this stack is ever destroyed.
  { retainOnDelete: true },
);

export const accounts = frontDesk.accounts;
export const passwords = frontDesk.passwords;
