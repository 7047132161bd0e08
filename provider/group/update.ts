import type { VoiceClient } from "../client";
import { now } from "../clock";
import { apiClient } from "../config";
import { triggersChanged } from "../diff";
import { directory } from "../directory";
import { announce, groupRotationDue, type DueRotation } from "../rotation";
import { differs } from "../values";
import { GROUP, type GroupInputs, type GroupOutputs, type GroupState } from "../schema";
import { secret } from "../secrets";
import { unwrapped, type Props, type Unwrapped } from "../state";
import { storesPasswords } from "../storedPasswords";
import { addGroup } from "./create";
import { rotate } from "./rotate";
import { requireWholeGroup } from "./state";

/** `update`: one branch per reason the engine calls it. */
export async function updateGroup(id: string, olds: Props, news: Props): Promise<{ outs: GroupOutputs }> {
  const old = unwrapped<GroupState>(olds);
  const next = unwrapped<GroupInputs>(news);
  const due = groupRotationDue(olds, news, now());
  switch (updateReason(old, next, due)) {
    case "rotate":
      announce("SipPhoneGroup", id, due, "resetting every password");
      return { outs: await rotate(apiClient(next.account), id, olds, news) };
    case "reschedule":
      return { outs: reschedule(olds, news) };
    case "converge":
      return { outs: await converge(apiClient(next.account), olds, news) };
  }
}

/**
 * Why the engine asks for an update. `diff` reports a change when the triggers
 * changed, when a scheduled rotation is due (both: one rotation) or when
 * `rotateAfter` or `storePasswords` changed; with none of them, the engine is retrying a
 * resource whose create or rotation failed part-way (ErrorResourceInitFailed). A
 * `storePasswords` switch reads the platform once (the passwords, or their
 * fingerprints, come from what it holds now) and resets nothing. A `rotateAfter`
 * change alone only reschedules — unless the state is not whole (such a retry that
 * also changed `rotateAfter`): then the platform is read as for any retry.
 */
function updateReason(
  old: Unwrapped<GroupState>,
  next: Unwrapped<GroupInputs>,
  due: DueRotation | undefined,
): "rotate" | "reschedule" | "converge" {
  if (triggersChanged(old.resetTriggers, next.resetTriggers) || due) return "rotate";
  if (storePasswordsSwitched(old, next)) return "converge";
  if (differs(old.rotateAfter, next.rotateAfter) && isWhole(old)) return "reschedule";
  return "converge";
}

/**
 * Whether the state holds the whole group: as many accounts as phones, each with a
 * password (or its fingerprint). A partial create leaves fewer (or none).
 */
function isWhole(old: Unwrapped<GroupState>): boolean {
  const accounts = old.accounts ?? [];
  const recorded: Record<string, unknown> = old.passwords ?? old.passwordFingerprints ?? {};
  return accounts.length === old.quantity && accounts.every((a) => typeof recorded[a] === "string");
}

/**
 * A new `rotateAfter` that is not due yet: the same passwords (or fingerprints),
 * set at the same time; no API call. `storePasswords` did not change (that converges).
 */
function reschedule(olds: Props, news: Props): GroupOutputs {
  const old = unwrapped<GroupState>(olds);
  // The setting did not change; it is asked again all the same, so that no path can
  // carry a password into a state that must not hold one.
  const stores = storesPasswords(news);
  return GROUP.state(news, {
    accounts: old.accounts ?? [],
    passwords: stores && old.passwords !== undefined ? secret(old.passwords) : undefined,
    passwordFingerprints: stores ? undefined : old.passwordFingerprints,
    lastResetAt: old.lastResetAt,
    passwordsSetAt: old.passwordsSetAt,
  });
}

function storePasswordsSwitched(old: Unwrapped<GroupState>, next: Unwrapped<GroupInputs>): boolean {
  return differs(old.storePasswords, next.storePasswords, true);
}

/** After a partial create or rotation: read the truth; create the group if it never came to be. */
async function converge(client: VoiceClient, olds: Props, news: Props): Promise<GroupOutputs> {
  const old = unwrapped<GroupState>(olds);
  const inputs = unwrapped<GroupInputs>(news);
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0 && !old.accounts?.length) return addGroup(client, news, inputs);
  return requireWholeGroup({ ...news, passwordsSetAt: old.passwordsSetAt }, inputs, records, old.lastResetAt);
}
