import type { PhoneRecord } from "../../protocol/types";
import type { VoiceClient } from "../client";
import { now } from "../clock";
import { directory } from "../directory";
import { PartialFailure } from "../partial";
import { GROUP, type GroupInputs, type GroupOutputs, type GroupState } from "../schema";
import { unwrapped, type Props, type Unwrapped } from "../state";
import { groupPasswordsRecord } from "../storedPasswords";
import { accountsToReset, HOPELESS, resetPasswords, type Resets } from "./reset";
import { groupState, requireWholeGroup, shortfall } from "./state";

/**
 * A rotation: reset every account, keeping every password the platform ends up
 * with. It ends one of three ways: every reset done (the new state); some failed
 * and the platform was read back (a partial state with what it holds); some failed
 * and the read failed too (a partial state with what the resets answered).
 */
export async function rotate(
  client: VoiceClient,
  id: string,
  olds: Props,
  news: Props,
): Promise<GroupOutputs> {
  const old = unwrapped<GroupState>(olds);
  const inputs = unwrapped<GroupInputs>(news);
  const accounts = await accountsToReset(client, old, inputs.appId, inputs.groupName);
  const resets = await resetPasswords(client, inputs.appId, accounts, { skipMissing: false });
  if (resets.failures.length === 0) return rotated(news, inputs, resets);

  // Some resets failed, and some of those may have happened anyway: the platform's
  // passwords are the truth. The state keeps the OLD triggers and the OLD
  // passwordsSetAt so that the next `up` still sees the trigger change (or the due
  // rotation) and finishes the rotation.
  const kept: Props = {
    ...news,
    resetTriggers: old.resetTriggers,
    lastResetAt: old.lastResetAt,
    passwordsSetAt: old.passwordsSetAt,
  };
  const reason = `${resets.failures.length} of ${accounts.length} password resets failed (${resets.why})`;
  let records: PhoneRecord[];
  try {
    records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  } catch (e) {
    throw partlyRotatedUnread(id, kept, old, resets, reason, e);
  }
  throw partlyRotated(id, kept, inputs, records, reason, resets.hopeless);
}

/**
 * Every reset done: the new passwords, the new triggers, the time of the rotation
 * (both times) — a partial failure all the same when the group has fewer phones than asked.
 */
function rotated(news: Props, inputs: GroupInputs, resets: Resets): GroupOutputs {
  const { groupName, phoneName, displayNum } = inputs;
  const records = resets.done.map(({ account, password }) => ({
    groupName,
    phoneName,
    displayNum,
    account,
    password,
  }));
  const at = now().toISOString();
  return requireWholeGroup({ ...news, passwordsSetAt: at }, inputs, records, at);
}

/** Some resets failed; the state holds every password the platform holds. */
function partlyRotated(
  id: string,
  kept: Props,
  inputs: GroupInputs,
  records: PhoneRecord[],
  reason: string,
  hopeless: boolean,
): PartialFailure {
  const missing = shortfall(inputs, records.length);
  const advice = hopeless ? HOPELESS : "run `pulumi up` again to finish the rotation";
  return new PartialFailure(
    [`SipPhoneGroup ${id}: ${reason}`, missing, advice].filter(Boolean).join("; "),
    id,
    groupState(kept, records),
    missing ? [reason, missing] : [reason],
  );
}

/**
 * Some resets failed and the platform could not be read: keep what is known, the
 * new passwords that came back and the old ones otherwise (or, with
 * `storePasswords: false`, the old fingerprints of the accounts not reset).
 */
function partlyRotatedUnread(
  id: string,
  kept: Props,
  old: Unwrapped<GroupState>,
  resets: Resets,
  reason: string,
  readError: unknown,
): PartialFailure {
  const known: Record<string, string> = { ...old.passwords };
  for (const { account, password } of resets.done) known[account] = password;
  const record = groupPasswordsRecord(kept, known);
  if (record.passwordFingerprints)
    record.passwordFingerprints = { ...old.passwordFingerprints, ...record.passwordFingerprints };
  const readReason = `reading the passwords back failed too: ${readError instanceof Error ? readError.message : String(readError)}`;
  return new PartialFailure(
    `SipPhoneGroup ${id}: ${reason}; ${readReason}`,
    id,
    GROUP.state(kept, {
      accounts: [...resets.accounts].sort(),
      ...record,
      lastResetAt: old.lastResetAt,
      passwordsSetAt: old.passwordsSetAt,
    }),
    [reason, readReason],
  );
}
