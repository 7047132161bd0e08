import type { PhoneRecord } from "../../protocol/types";
import type { VoiceClient } from "../client";
import { directory } from "../directory";
import { GROUP, type GroupInputs } from "../schema";

/**
 * `adopt: true`: the existing group with the same name, to be taken over without
 * sipAdd when it matches the program; undefined when there is none (create it).
 */
export async function groupToAdopt(
  client: VoiceClient,
  inputs: GroupInputs,
): Promise<PhoneRecord[] | undefined> {
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0) return undefined;
  const differences = adoptionMismatches(inputs, records);
  if (differences.length > 0) {
    throw new Error(
      `SipPhoneGroup ${GROUP.id(inputs)}: cannot adopt the existing group, it does not match the program: ` +
        `${differences.join("; ")}. Change the program to match the platform, or choose another groupName.`,
    );
  }
  return records;
}

/** Where the platform's group differs from the program, in words. */
function adoptionMismatches(inputs: GroupInputs, records: PhoneRecord[]): string[] {
  const out: string[] = [];
  const phoneNames = [...new Set(records.map((r) => r.phoneName))];
  const displayNums = [...new Set(records.map((r) => r.displayNum))];
  if (phoneNames.length !== 1 || phoneNames[0] !== inputs.phoneName) {
    out.push(`phoneName is ${quoteAll(phoneNames)} on the platform but '${inputs.phoneName}' in the program`);
  }
  if (records.length !== inputs.quantity) {
    out.push(`quantity is ${records.length} on the platform but ${inputs.quantity} in the program`);
  }
  if (displayNums.length !== 1 || displayNums[0] !== inputs.displayNum) {
    out.push(
      `displayNum is ${quoteAll(displayNums)} on the platform but '${inputs.displayNum}' in the program`,
    );
  }
  return out;
}

function quoteAll(values: string[]): string {
  return values.map((v) => `'${v}'`).join(", ") || "(none)";
}
