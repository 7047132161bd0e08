import type { VoiceClient } from "../client";
import { now } from "../clock";
import { apiClient } from "../config";
import { triggersChanged } from "../diff";
import { directory } from "../directory";
import { announce, groupRotationDue, type DueRotation } from "../rotation";
import { differs } from "../values";
import type { GroupInputs, GroupOutputs, GroupState } from "../schema";
import { unwrapped, type Props, type Unwrapped } from "../state";
import { addGroup } from "./create";
import { rotate } from "./rotate";
import { groupState, requireWholeGroup } from "./state";

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
 * `rotateAfter` changed; with none of them, the engine is retrying a resource whose
 * create or rotation failed part-way (ErrorResourceInitFailed). A `rotateAfter`
 * change alone only reschedules — unless the state is not whole (such a retry that
 * also changed `rotateAfter`): then the platform is read as for any retry.
 */
function updateReason(
  old: Unwrapped<GroupState>,
  next: Unwrapped<GroupInputs>,
  due: DueRotation | undefined,
): "rotate" | "reschedule" | "converge" {
  if (triggersChanged(old.resetTriggers, next.resetTriggers) || due) return "rotate";
  if (differs(old.rotateAfter, next.rotateAfter) && isWhole(old)) return "reschedule";
  return "converge";
}

/**
 * Whether the state holds the whole group: as many accounts as phones, each with a
 * password. A partial create leaves fewer (or none).
 */
function isWhole(old: Unwrapped<GroupState>): boolean {
  const accounts = old.accounts ?? [];
  const passwords = old.passwords ?? {};
  return accounts.length === old.quantity && accounts.every((a) => typeof passwords[a] === "string");
}

/** A new `rotateAfter` that is not due yet: the same passwords, set at the same time; no API call. */
function reschedule(olds: Props, news: Props): GroupOutputs {
  const old = unwrapped<GroupState>(olds);
  const passwords = old.passwords ?? {};
  const records = (old.accounts ?? []).map((account) => ({
    groupName: old.groupName,
    phoneName: old.phoneName,
    displayNum: old.displayNum,
    account,
    password: passwords[account] as string,
  }));
  return groupState({ ...news, passwordsSetAt: old.passwordsSetAt }, records, old.lastResetAt);
}

/** After a partial create or rotation: read the truth; create the group if it never came to be. */
async function converge(client: VoiceClient, olds: Props, news: Props): Promise<GroupOutputs> {
  const old = unwrapped<GroupState>(olds);
  const inputs = unwrapped<GroupInputs>(news);
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0 && !old.accounts?.length) return addGroup(client, news, inputs);
  return requireWholeGroup({ ...news, passwordsSetAt: old.passwordsSetAt }, inputs, records, old.lastResetAt);
}
