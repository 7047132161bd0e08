import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";

const config = new pulumi.Config();

// The state (and every backup, export or CI checkpoint of it) never holds these
// phones' passwords: only their fingerprints, keyed from the API secret. Every
// `pulumi up` once 30 days have passed since the passwords were set rotates them;
// ./deliver.sh then hands the new ones to the secret manager.
const office = new SipPhoneGroup("office", {
  appId: config.get("appId") ?? "demo-app",
  quantity: 3,
  displayNum: config.get("displayNum") ?? "8610000000",
  rotateAfter: config.get("rotateAfter") ?? "30d",
  storePasswords: false,
});

/** What ./deliver.sh needs: the group to read the passwords of. */
export const groupName = office.groupName;
export const accounts = office.accounts;
/** Not secret: they change exactly when the passwords change, so a changed output means "deliver again". */
export const passwordFingerprints = office.passwordFingerprints;
/** `rotateAfter` counts from it. */
export const passwordsSetAt = office.passwordsSetAt;
