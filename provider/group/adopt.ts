import type { PhoneRecord } from "../../protocol/types";
import { adoptionMismatches, describeMismatch } from "../adoption";
import type { VoiceClient } from "../client";
import { directory } from "../directory";
import { GROUP, type GroupInputs } from "../schema";

/**
 * `adopt: true`: the existing group with the same name, to be taken over without
 * sipAdd when it matches the program (the rule in provider/adoption.ts, which
 * `itniotech export` shares); undefined when there is none (create it).
 */
export async function groupToAdopt(
  client: VoiceClient,
  inputs: GroupInputs,
): Promise<PhoneRecord[] | undefined> {
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0) return undefined;
  const differences = adoptionMismatches(inputs, records).map(describeMismatch);
  if (differences.length > 0) {
    throw new Error(
      `SipPhoneGroup ${GROUP.id(inputs)}: cannot adopt the existing group, it does not match the program: ` +
        `${differences.join("; ")}. Change the program to match the platform, or choose another groupName.`,
    );
  }
  return records;
}
