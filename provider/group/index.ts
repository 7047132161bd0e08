import type * as pulumi from "@pulumi/pulumi";
import { checkGroup } from "../check";
import { now } from "../clock";
import { diffGroup } from "../diff";
import { groupRotationDue, noticeDue } from "../rotation";
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
  diff: async (id: string, olds: Props, news: Props) => {
    const at = now();
    const due = groupRotationDue(olds, news, at);
    return noticeDue(
      "SipPhoneGroup",
      id,
      diffGroup(olds, news, at),
      due,
      "`pulumi up` resets every password",
    );
  },
  create: createGroup,
  read: readGroup,
  update: updateGroup,
  delete: deleteGroup,
} satisfies pulumi.dynamic.ResourceProvider<Partial<GroupInputs>, GroupState>;
