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

// No `passwords` output, on purpose: this is the program a GitOps pipeline runs, and
// pulumi/actions turns every stack output into a step output (secrets decrypted).
// Hand each group's `passwords` (a secret Output) to the resource that provisions the
// phones instead, inside this program, e.g. a Kubernetes Secret or a Vault entry:
//   new k8s.core.v1.Secret("sales-sip", { stringData: groups[0].passwords });
