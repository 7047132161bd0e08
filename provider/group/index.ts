import type * as pulumi from "@pulumi/pulumi";
import { checkGroup } from "../check";
import { diffGroup } from "../diff";
import { noticingDue, groupRotationDue } from "../rotation";
import type { GroupInputs, GroupState } from "../schema";
import type { Props } from "../state";
import { createGroup } from "./create";
import { deleteGroup } from "./delete";
import { readGroup } from "./read";
import { updateGroup } from "./update";

/**
 * SipPhoneGroup: a group of SIP phones created by one sipAdd. There is no update or
 * delete endpoint, so: every defining property forces a replacement, updates rotate
 * passwords, and delete revokes the credentials by resetting them. One file per
 * operation; check and diff make no API call.
 */
export const sipPhoneGroupProvider = {
  check: async (olds: Props, news: Props) => checkGroup(olds, news),
  diff: noticingDue("SipPhoneGroup", diffGroup, groupRotationDue, "`pulumi up` resets every password"),
  create: createGroup,
  read: readGroup,
  update: updateGroup,
  delete: deleteGroup,
} satisfies pulumi.dynamic.ResourceProvider<Partial<GroupInputs>, GroupState>;
