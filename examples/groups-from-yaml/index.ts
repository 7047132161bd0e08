import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup } from "pulumi-itniotech";
import { loadPhoneGroups } from "./phone-groups";

// A bad file fails here, at preview, with every problem listed by entry and field.
const file = loadPhoneGroups(path.join(__dirname, "phone-groups.yaml"));

const groups = file.groups.map(
  (spec) =>
    new SipPhoneGroup(spec.name, {
      appId: file.appId,
      quantity: spec.quantity,
      displayNum: spec.displayNum,
      ...(spec.groupName === undefined ? {} : { groupName: spec.groupName }),
      ...(spec.phoneName === undefined ? {} : { phoneName: spec.phoneName }),
      ...(spec.adopt === undefined ? {} : { adopt: spec.adopt }),
      resetTriggers: [spec.rotation ?? 0],
    }),
);

export const accounts = pulumi
  .all(groups.map((g) => g.accounts))
  .apply((lists) => Object.fromEntries(file.groups.map((spec, i) => [spec.name, lists[i]])));
export const passwords = pulumi
  .all(groups.map((g) => g.passwords))
  .apply((maps) => Object.assign({}, ...maps) as Record<string, string>);
