import type { PhoneRecord } from "../../protocol/types";
import type { VoiceApiError, VoiceClient } from "../client";
import { directory } from "../directory";
import { GROUP, type GroupInputs } from "../schema";

/** -20 from sipAdd: say which name is taken, and how to proceed. */
export async function explainNameTaken(
  client: VoiceClient,
  inputs: GroupInputs,
  cause: VoiceApiError,
): Promise<Error> {
  const id = GROUP.id(inputs);
  const where = `in application '${inputs.appId}'`;
  const never = "Names can never be freed on this platform (there is no delete API).";
  let phones: PhoneRecord[];
  try {
    phones = await directory.phones(client, inputs.appId);
  } catch {
    return new Error(
      `SipPhoneGroup ${id}: ${cause.message}. The group name or phone name is already used ${where}. ${never} ` +
        "Set `adopt: true` to take over an existing matching group, or choose new names (or omit them to auto-name).",
    );
  }
  const group = phones.filter((r) => r.groupName === inputs.groupName);
  if (group.length > 0) {
    return new Error(
      `SipPhoneGroup ${id}: a group named '${inputs.groupName}' already exists ${where} (${group.length} phones). ` +
        `${never} Set \`adopt: true\` to take it over (phoneName, quantity and displayNum must match), ` +
        "or choose another groupName (or omit it to auto-name).",
    );
  }
  const owner = phones.find((r) => r.phoneName === inputs.phoneName);
  return new Error(
    `SipPhoneGroup ${id}: the phone name '${inputs.phoneName}' is already used ${where}` +
      `${owner ? ` by group '${owner.groupName}'` : ""}. ${never} Choose another phoneName (or omit it to auto-name).`,
  );
}
