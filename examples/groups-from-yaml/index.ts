import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";
import { loadPhoneGroups } from "./phone-groups";

const config = new pulumi.Config();

// A bad file fails here, before any resource is declared: at preview, with every
// problem listed by file, line, entry and field. `phoneGroupsFile` picks another
// file (one per environment, say), relative to this folder.
const file = loadPhoneGroups(path.resolve(__dirname, config.get("phoneGroupsFile") ?? "phone-groups.yaml"));

const groups = file.groups.map(
  (spec) =>
    new SipPhoneGroup(
      spec.name,
      {
        appId: file.appId,
        quantity: spec.quantity,
        displayNum: spec.displayNum,
        ...(spec.groupName === undefined ? {} : { groupName: spec.groupName }),
        ...(spec.phoneName === undefined ? {} : { phoneName: spec.phoneName }),
        ...(spec.adopt === undefined ? {} : { adopt: spec.adopt }),
        // Any change of `rotation` (a bump) resets every password of the group.
        resetTriggers: [spec.rotation ?? 0],
      },
      // Removing a retained entry stops managing the group without revoking its passwords.
      spec.retainOnDelete === undefined ? {} : { retainOnDelete: spec.retainOnDelete },
    ),
);

/** Accounts per entry name. */
export const accounts = pulumi
  .all(groups.map((g) => g.accounts))
  .apply((lists) => Object.fromEntries(file.groups.map((spec, i) => [spec.name, lists[i]])));
/** Account → password across every group; a secret. */
export const passwords = pulumi
  .all(groups.map((g) => g.passwords))
  .apply((maps) => Object.assign({}, ...maps) as Record<string, string>);
