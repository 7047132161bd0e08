import type { PhoneRecord } from "../protocol/types";
import { byAccount } from "./directory";

/**
 * One group as the platform holds it, built from a scan of its application. The
 * API knows only phones; a group is the phones that share a `groupName`.
 */
export interface PlatformGroup {
  groupName: string;
  /** The first account's phone name (all of them, when the group was made by one sipAdd). */
  phoneName: string;
  /** The first account's caller ID. */
  displayNum: string;
  /** The number of phones. */
  quantity: number;
  /** Sorted, as the resource's `accounts` output. */
  accounts: string[];
  /** The phones, sorted by account (passwords included: never print them). */
  records: PhoneRecord[];
}

/**
 * An application's phones as groups, sorted by group name (code-point order, so the
 * order does not depend on a locale). Phones a shifting page boundary repeated are
 * counted once.
 */
export function platformGroups(records: readonly PhoneRecord[]): PlatformGroup[] {
  const byGroup = new Map<string, PhoneRecord[]>();
  for (const record of records) {
    const phones = byGroup.get(record.groupName);
    if (phones) phones.push(record);
    else byGroup.set(record.groupName, [record]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([groupName, phones]) => {
      const sorted = byAccount(phones);
      const first = sorted[0] as PhoneRecord;
      return {
        groupName,
        phoneName: first.phoneName,
        displayNum: first.displayNum,
        quantity: sorted.length,
        accounts: sorted.map((r) => r.account),
        records: sorted,
      };
    });
}
