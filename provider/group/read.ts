import type { PhoneRecord } from "../../protocol/types";
import { apiClient } from "../config";
import { directory } from "../directory";
import { GROUP, type GroupInputs, type GroupOutputs, type GroupState } from "../schema";
import { unwrapped, type Props } from "../state";
import { noticeFingerprintChanges } from "../storedPasswords";
import { groupState } from "./state";

/**
 * `read` (refresh): the live phones and passwords replace the recorded ones; a
 * vanished group reads as gone (empty id). The inputs stay as declared, so a
 * refresh invents no diff — and so the engine, which shows a refresh's changes by
 * comparing these outputs with the inputs, lists missing phones (a smaller
 * `quantity`) but not a password reset elsewhere, although the state stores it
 * (with `storePasswords: false`, its new fingerprint; the provider logs which accounts changed).
 */
export async function readGroup(
  id: string,
  props: Props = {},
): Promise<{ id: string; props?: GroupOutputs; inputs?: GroupInputs }> {
  const state = unwrapped<GroupState>(props);
  const { appId, groupName } = GROUP.idParts(id, state);
  const records = await directory.groupPhones(apiClient(state.account), appId, groupName);
  if (records.length === 0) return { id: "" };
  const declared = { ...props, appId, groupName };
  const live = records[0] as PhoneRecord;
  const observed = {
    ...declared,
    phoneName: live.phoneName,
    displayNum: live.displayNum,
    quantity: records.length,
  };
  const outs = groupState(observed, records, state.lastResetAt);
  noticeFingerprintChanges(
    `SipPhoneGroup ${id}`,
    state.passwordFingerprints,
    outs.passwordFingerprints,
    state.account,
  );
  return { id, props: outs, inputs: GROUP.inputsOf(declared) };
}
