import type { PhoneRecord } from "../../protocol/types";
import { byAccount } from "../directory";
import { PartialFailure } from "../partial";
import { GROUP, type GroupInputs, type GroupOutputs, type GroupState } from "../schema";
import { unwrapped, type Props } from "../state";
import { groupPasswordsRecord } from "../storedPasswords";

/**
 * The state of a group: the inputs held by `from` (so nothing is lost) plus what
 * the platform holds. `passwords` is wrapped as a secret; the engine sends it back
 * bare (the host does not accept secrets), so every carry-over re-wraps it here.
 * With `storePasswords: false` the state holds `passwordFingerprints` instead.
 * `lastResetAt` defaults to the one `from` holds; `passwordsSetAt` is the one `from`
 * holds (each operation that sets passwords puts the time there).
 */
export function groupState(
  from: Props,
  records: readonly PhoneRecord[],
  lastResetAt?: unknown,
): GroupOutputs {
  const sorted = byAccount(records);
  return GROUP.state(from, {
    accounts: sorted.map((r) => r.account),
    ...groupPasswordsRecord(from, Object.fromEntries(sorted.map((r) => [r.account, r.password]))),
    lastResetAt: typeof lastResetAt === "string" ? lastResetAt : unwrapped<GroupState>(from).lastResetAt,
    passwordsSetAt: unwrapped<GroupState>(from).passwordsSetAt,
  });
}

/** The group's state, or a partial failure keeping it when the platform holds fewer phones than asked. */
export function requireWholeGroup(
  from: Props,
  inputs: GroupInputs,
  records: readonly PhoneRecord[],
  lastResetAt?: string,
): GroupOutputs {
  const outs = groupState(from, records, lastResetAt);
  const reason = shortfall(inputs, records.length);
  if (reason)
    throw new PartialFailure(`SipPhoneGroup ${GROUP.id(inputs)}: ${reason}`, GROUP.id(inputs), outs, [
      reason,
    ]);
  return outs;
}

/**
 * Why a group with `count` phones is not the group asked for, or undefined when it
 * is. Phones never come back, and the API cannot add phones to a group: a refresh
 * records the smaller quantity, and the next `up` replaces the group.
 */
export function shortfall(inputs: GroupInputs, count: number): string | undefined {
  if (count >= inputs.quantity) return undefined;
  return (
    `the platform holds ${count} of the ${inputs.quantity} phones asked for ` +
    "(run `pulumi refresh`; the next `pulumi up` then replaces the group)"
  );
}
