import { Status } from "../../protocol/status";
import type { PhoneRecord, SipAddRequest } from "../../protocol/types";
import { VoiceApiError, type VoiceClient } from "../client";
import { now } from "../clock";
import { apiClient } from "../config";
import { directory } from "../directory";
import { PartialFailure } from "../partial";
import { GROUP, type GroupInputs, type GroupOutputs } from "../schema";
import { unwrapped, type Props } from "../state";
import { groupToAdopt } from "./adopt";
import { explainNameTaken } from "./nameTaken";
import { groupState, requireWholeGroup } from "./state";

/**
 * `create`: take over a matching group when `adopt` asks for it, otherwise add one.
 * Either way the passwords it now holds count as set now (`passwordsSetAt`): an
 * adopted group's real age is unknown to the provider.
 */
export async function createGroup(props: Props): Promise<{ id: string; outs: GroupOutputs }> {
  const inputs = unwrapped<GroupInputs>(props);
  const client = apiClient(inputs.account);
  const existing = inputs.adopt === true ? await groupToAdopt(client, inputs) : undefined;
  const outs = existing ? groupState(stamped(props), existing) : await addGroup(client, props, inputs);
  return { id: GROUP.id(inputs), outs };
}

/**
 * Creates the group with sipAdd and reads it back; never resends sipAdd after an
 * ambiguous failure. Every state it returns, partial ones too, records the time of
 * the sipAdd as `passwordsSetAt`: the passwords on the platform were set then.
 */
export async function addGroup(
  client: VoiceClient,
  given: Props,
  inputs: GroupInputs,
): Promise<GroupOutputs> {
  const props = stamped(given);
  const request: SipAddRequest = {
    groupName: inputs.groupName,
    phoneName: inputs.phoneName,
    quantity: inputs.quantity,
    displayNum: inputs.displayNum,
    appId: inputs.appId,
  };
  try {
    // An add: read-backs of other creates of the application wait for it (provider/directory.ts).
    await directory.write(client, inputs.appId, () => client.sipAdd(request), { adds: true });
  } catch (e) {
    if (!(e instanceof VoiceApiError)) throw e;
    if (e.code === Status.ALREADY_EXISTS) throw await explainNameTaken(client, inputs, e);
    if (!e.ambiguous) throw e;
    // The add may have happened. The API has no idempotency key, so read instead of resending.
    const found = await readCreatedGroup(client, props, inputs, `sipAdd failed ambiguously (${e.message})`);
    if (found.length === 0) {
      throw new Error(
        `SipPhoneGroup ${GROUP.id(inputs)} was not created: ${e.message}. The group does not exist on the platform, ` +
          "so nothing was created; run `pulumi up` again.",
        { cause: e },
      );
    }
    return requireWholeGroup(props, inputs, found);
  }
  const created = await readCreatedGroup(
    client,
    props,
    inputs,
    "the group was created but could not be read back",
  );
  return requireWholeGroup(props, inputs, created);
}

/** Reads a group back after sipAdd; a failure keeps the created group in the stack as a partial result. */
async function readCreatedGroup(
  client: VoiceClient,
  props: Props,
  inputs: GroupInputs,
  context: string,
): Promise<PhoneRecord[]> {
  try {
    return await directory.groupPhones(client, inputs.appId, inputs.groupName);
  } catch (e) {
    const reason = `${context}; reading it failed: ${e instanceof Error ? e.message : String(e)}`;
    const id = GROUP.id(inputs);
    throw new PartialFailure(`SipPhoneGroup ${id}: ${reason}`, id, groupState(props, []), [reason]);
  }
}

/** `props` with `passwordsSetAt` = now: the passwords the state is about to hold were set now. */
function stamped(props: Props): Props {
  return { ...props, passwordsSetAt: now().toISOString() };
}
