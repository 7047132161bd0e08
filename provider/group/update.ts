import type { VoiceClient } from "../client";
import { apiClient } from "../config";
import { triggersChanged } from "../diff";
import { directory } from "../directory";
import type { GroupInputs, GroupOutputs, GroupState } from "../schema";
import { unwrapped, type Props, type Unwrapped } from "../state";
import { addGroup } from "./create";
import { rotate } from "./rotate";
import { requireWholeGroup } from "./state";

/** `update`: one branch per reason the engine calls it. */
export async function updateGroup(id: string, olds: Props, news: Props): Promise<{ outs: GroupOutputs }> {
  const client = apiClient();
  switch (updateReason(unwrapped<GroupState>(olds), unwrapped<GroupInputs>(news))) {
    case "rotate":
      return { outs: await rotate(client, id, olds, news) };
    case "converge":
      return { outs: await converge(client, olds, news) };
  }
}

/**
 * Why the engine asks for an update: `diff` reports a change only when the triggers
 * changed; otherwise the engine retries a resource whose create or rotation failed
 * part-way (ErrorResourceInitFailed).
 */
function updateReason(old: Unwrapped<GroupState>, next: Unwrapped<GroupInputs>): "rotate" | "converge" {
  if (triggersChanged(old.resetTriggers, next.resetTriggers)) return "rotate";
  return "converge";
}

/** After a partial create or rotation: read the truth; create the group if it never came to be. */
async function converge(client: VoiceClient, olds: Props, news: Props): Promise<GroupOutputs> {
  const old = unwrapped<GroupState>(olds);
  const inputs = unwrapped<GroupInputs>(news);
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0 && !old.accounts?.length) return addGroup(client, news, inputs);
  return requireWholeGroup(news, inputs, records, old.lastResetAt);
}
