import { now as clockNow } from "./clock";
import { groupRotationDue, passwordRotationDue } from "./rotation";
import { GROUP_REPLACE_KEYS, PASSWORD_REPLACE_KEYS } from "./schema";
import type { Props } from "./state";
import { differs } from "./values";

export interface Diff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: false;
}

/**
 * SipPhoneGroup's `diff`, with no API call: the defining properties replace (the
 * platform cannot change them), `resetTriggers` updates (a rotation), and so does
 * a scheduled rotation that is due at `now` or a change of `rotateAfter` or
 * `storePasswords` (absent = true; the switch reads the platform, resets nothing). Everything
 * else — `__provider`, `adopt`, `namePrefix`, outputs — changes nothing. New names
 * come with a replacement, so the new group is created before the old one's
 * credentials are revoked.
 */
export function diffGroup(olds: Props, news: Props, now: Date = clockNow()): Diff {
  const due = groupRotationDue(olds, news, now) !== undefined;
  return diff(olds, news, GROUP_REPLACE_KEYS, "resetTriggers", due);
}

/**
 * SipPhonePassword's `diff`: appId and account replace; `triggers`, `rotateAfter`,
 * `storePasswords` and a due rotation update.
 */
export function diffPassword(olds: Props, news: Props, now: Date = clockNow()): Diff {
  const due = passwordRotationDue(olds, news, now) !== undefined;
  return diff(olds, news, PASSWORD_REPLACE_KEYS, "triggers", due);
}

/**
 * Whether a trigger list changed. Absent equals `[]`, so adding an empty list does
 * not rotate every password; anything still unknown in a preview counts as changed,
 * and so does a value beyond the bounds `check` enforces (it equals nothing).
 */
export function triggersChanged(before: unknown, after: unknown): boolean {
  return differs(before, after, []);
}

function diff(
  olds: Props,
  news: Props,
  replaceKeys: readonly string[],
  triggerKey: string,
  rotationIsDue: boolean,
): Diff {
  const replaces = replaceKeys.filter((key) => differs(olds[key], news[key]));
  const changes =
    replaces.length > 0 ||
    triggersChanged(olds[triggerKey], news[triggerKey]) ||
    differs(olds["rotateAfter"], news["rotateAfter"]) ||
    differs(olds["storePasswords"], news["storePasswords"], true) ||
    rotationIsDue;
  return { changes, replaces, deleteBeforeReplace: false };
}
