import type * as pulumi from "@pulumi/pulumi";
import { Status } from "../protocol/status";
import type { PhoneRecord, SipAddRequest } from "../protocol/types";
import { adoptionMismatches, describeMismatch } from "./adoption";
import { VoiceApiError, type VoiceClient } from "./client";
import { checkGroup } from "./check";
import { settleAll } from "./concurrency";
import { apiClient, currentSettings } from "./config";
import { diffGroup, triggersChanged } from "./diff";
import { byAccount, directory } from "./directory";
import type { GroupInputs, GroupOutputs } from "./inputs";
import { PartialFailure, withoutUndefined } from "./partial";
import { reveal, secret } from "./secrets";

const PROVIDER_KEY = "__provider";

/** The properties a SipPhoneGroup takes as inputs (everything else in its state is output). */
const INPUT_KEYS = [
  "appId",
  "groupName",
  "phoneName",
  "quantity",
  "displayNum",
  "namePrefix",
  "resetTriggers",
  "adopt",
] as const;

type Props = Record<string, unknown>;

/** `<appId>/<groupName>`: group names are unique within an application. */
export function groupId(inputs: Pick<GroupInputs, "appId" | "groupName">): string {
  return `${inputs.appId}/${inputs.groupName}`;
}

/**
 * SipPhoneGroup: a group of SIP phones created by one sipAdd. There is no update or
 * delete endpoint, so: every defining property forces a replacement, updates rotate
 * passwords, and delete revokes the credentials by resetting them.
 */
export const sipPhoneGroupProvider = {
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkGroup(olds, news);
  },

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return diffGroup(olds, news);
  },

  async create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = plain<GroupInputs>(props);
    const client = apiClient();
    const records = inputs.adopt === true ? await adoptable(client, inputs) : undefined;
    const outs = records ? outputs(props, records) : await addGroup(client, props, inputs);
    return { id: groupId(inputs), outs };
  },

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const state = plain<Partial<GroupOutputs>>(props);
    const { appId, groupName } = locate(id, state);
    const records = await directory.groupPhones(apiClient(), appId, groupName);
    if (records.length === 0) return { id: "" };
    const inputs = inputsOf({ ...props, appId, groupName });
    // Live values replace the recorded ones, so missing phones and changed passwords
    // show as drift; the inputs stay as declared, so a refresh invents no diff.
    const live = records[0] as PhoneRecord;
    const observed = {
      ...props,
      phoneName: live.phoneName,
      displayNum: live.displayNum,
      quantity: records.length,
    };
    return { id, props: outputs(observed, records, state.lastResetAt), inputs };
  },

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const old = plain<Partial<GroupOutputs>>(olds);
    const client = apiClient();
    if (!triggersChanged(old.resetTriggers, plain(news)["resetTriggers"])) {
      // Called without a trigger change: the engine retries a resource whose create
      // or rotation failed part-way (ErrorResourceInitFailed). Converge on the truth.
      return { outs: await converge(client, id, olds, news) };
    }
    return { outs: await rotate(client, id, olds, news) };
  },

  async delete(id: string, props: Props): Promise<void> {
    const state = plain<Partial<GroupOutputs>>(props);
    const { appId, groupName } = locate(id, state);
    const client = apiClient();
    const accounts: string[] = state.accounts?.length
      ? state.accounts
      : (await directory.groupPhones(client, appId, groupName)).map((r) => r.account);
    const results = await settleAll(accounts, currentSettings().concurrency, (account) =>
      directory
        .write(client, appId, () => client.sipReset({ appId, account }))
        .catch((e: unknown) => {
          // A phone that no longer exists has no credentials to revoke.
          if (e instanceof VoiceApiError && e.code === Status.NOT_FOUND) return undefined;
          throw e;
        }),
    );
    const failed = rejections(results);
    if (failed.length > 0) {
      throw new Error(
        `SipPhoneGroup ${id}: could not revoke ${failed.length} of ${accounts.length} passwords (${failed[0]}). ` +
          "The old credentials may still work; the resource stays in the stack so that `pulumi destroy` can try again.",
      );
    }
    console.log(
      `warning: SipPhoneGroup ${id}: the Itniotech API cannot delete phones. The ${accounts.length} phones, the group name ` +
        `'${groupName}' and the phone name '${state.phoneName ?? "?"}' stay on the platform and can never be reused; ` +
        "their passwords were reset and discarded, so the old credentials no longer work. " +
        "Set the resource option `retainOnDelete: true` to skip this revocation.",
    );
  },
};

/** Creates the group with sipAdd and reads it back; never resends sipAdd after an ambiguous failure. */
async function addGroup(client: VoiceClient, props: Props, inputs: GroupInputs): Promise<Props> {
  const request: SipAddRequest = {
    groupName: inputs.groupName,
    phoneName: inputs.phoneName,
    quantity: inputs.quantity,
    displayNum: inputs.displayNum,
    appId: inputs.appId,
  };
  try {
    await directory.write(client, inputs.appId, () => client.sipAdd(request));
  } catch (e) {
    if (!(e instanceof VoiceApiError)) throw e;
    if (e.code === Status.ALREADY_EXISTS) throw await nameTakenError(client, inputs, e);
    if (!e.ambiguous) throw e;
    // The add may have happened. The API has no idempotency key, so read instead of resending.
    const found = await readBack(client, props, inputs, `sipAdd failed ambiguously (${e.message})`);
    if (found.length === 0) {
      throw new Error(
        `SipPhoneGroup ${groupId(inputs)} was not created: ${e.message}. The group does not exist on the platform, ` +
          "so nothing was created; run `pulumi up` again.",
        { cause: e },
      );
    }
    return complete(props, inputs, found);
  }
  return complete(
    props,
    inputs,
    await readBack(client, props, inputs, "the group was created but could not be read back"),
  );
}

/** Reads a group back; a failure keeps the created group in the stack as a partial result. */
async function readBack(
  client: VoiceClient,
  props: Props,
  inputs: GroupInputs,
  context: string,
): Promise<PhoneRecord[]> {
  try {
    return await directory.groupPhones(client, inputs.appId, inputs.groupName);
  } catch (e) {
    const reason = `${context}; reading it failed: ${e instanceof Error ? e.message : String(e)}`;
    throw new PartialFailure(
      `SipPhoneGroup ${groupId(inputs)}: ${reason}`,
      groupId(inputs),
      outputs(props, []),
      [reason],
    );
  }
}

/** The group's outputs, or a partial failure when the platform holds fewer phones than asked. */
function complete(props: Props, inputs: GroupInputs, records: PhoneRecord[], lastResetAt?: string): Props {
  const outs = outputs(props, records, lastResetAt);
  if (records.length < inputs.quantity) {
    const reason = `the platform holds ${records.length} of the ${inputs.quantity} phones asked for`;
    throw new PartialFailure(`SipPhoneGroup ${groupId(inputs)}: ${reason}`, groupId(inputs), outs, [reason]);
  }
  return outs;
}

/**
 * `adopt: true`: an existing group with the same name is taken over if it matches,
 * without calling sipAdd. Returns undefined when there is none (create normally).
 */
async function adoptable(client: VoiceClient, inputs: GroupInputs): Promise<PhoneRecord[] | undefined> {
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0) return undefined;
  const differences = adoptionMismatches(inputs, records).map(describeMismatch);
  if (differences.length > 0) {
    throw new Error(
      `SipPhoneGroup ${groupId(inputs)}: cannot adopt the existing group, it does not match the program: ` +
        `${differences.join("; ")}. Change the program to match the platform, or choose another groupName.`,
    );
  }
  return records;
}

/** -20 from sipAdd: say which name is taken, and how to proceed. */
async function nameTakenError(
  client: VoiceClient,
  inputs: GroupInputs,
  cause: VoiceApiError,
): Promise<Error> {
  const where = `in application '${inputs.appId}'`;
  const never = "Names can never be freed on this platform (there is no delete API).";
  let phones: PhoneRecord[];
  try {
    phones = await directory.phones(client, inputs.appId);
  } catch {
    return new Error(
      `SipPhoneGroup ${groupId(inputs)}: ${cause.message}. The group name or phone name is already used ${where}. ${never} ` +
        "Set `adopt: true` to take over an existing matching group, or choose new names (or omit them to auto-name).",
    );
  }
  const group = phones.filter((r) => r.groupName === inputs.groupName);
  if (group.length > 0) {
    return new Error(
      `SipPhoneGroup ${groupId(inputs)}: a group named '${inputs.groupName}' already exists ${where} (${group.length} phones). ` +
        `${never} Set \`adopt: true\` to take it over (phoneName, quantity and displayNum must match), ` +
        "or choose another groupName (or omit it to auto-name).",
    );
  }
  const owner = phones.find((r) => r.phoneName === inputs.phoneName);
  return new Error(
    `SipPhoneGroup ${groupId(inputs)}: the phone name '${inputs.phoneName}' is already used ${where}` +
      `${owner ? ` by group '${owner.groupName}'` : ""}. ${never} Choose another phoneName (or omit it to auto-name).`,
  );
}

/** A rotation: reset every account, keeping every password the platform ends up with. */
async function rotate(client: VoiceClient, id: string, olds: Props, news: Props): Promise<Props> {
  const old = plain<Partial<GroupOutputs>>(olds);
  const inputs = plain<GroupInputs>(news);
  const accounts: string[] = old.accounts?.length
    ? old.accounts
    : (await directory.groupPhones(client, inputs.appId, inputs.groupName)).map((r) => r.account);
  const results = await settleAll(accounts, currentSettings().concurrency, (account) =>
    directory.write(client, inputs.appId, () => client.sipReset({ appId: inputs.appId, account })),
  );
  const failed = rejections(results);
  if (failed.length === 0) {
    const rotated = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const records = rotated.map(({ account, password }) => ({ ...inputs, account, password }));
    return outputs(news, records, new Date().toISOString());
  }
  // Some resets failed, and some of those may have happened anyway: the platform's
  // passwords are the truth. The state keeps the OLD triggers so that the next `up`
  // still sees the trigger change and finishes the rotation.
  const reason = `${failed.length} of ${accounts.length} password resets failed (${failed[0]})`;
  const stateProps: Props = { ...news, resetTriggers: old.resetTriggers, lastResetAt: old.lastResetAt };
  let records: PhoneRecord[];
  try {
    records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  } catch (e) {
    // Without a read, keep what is known: the new passwords that came back, the old ones otherwise.
    const known = { ...(reveal(old.passwords) ?? {}) } as Record<string, string>;
    for (const result of results)
      if (result.status === "fulfilled") known[result.value.account] = result.value.password;
    const readReason = `reading the passwords back failed too: ${e instanceof Error ? e.message : String(e)}`;
    throw new PartialFailure(
      `SipPhoneGroup ${id}: ${reason}; ${readReason}`,
      id,
      { ...stateProps, accounts: [...accounts].sort(), passwords: secret(known) },
      [reason, readReason],
    );
  }
  throw new PartialFailure(
    `SipPhoneGroup ${id}: ${reason}; run \`pulumi up\` again to finish the rotation`,
    id,
    outputs(stateProps, records, old.lastResetAt),
    [reason],
  );
}

/** After a partial create or rotation: read the truth; create the group if it never came to be. */
async function converge(client: VoiceClient, id: string, olds: Props, news: Props): Promise<Props> {
  const old = plain<Partial<GroupOutputs>>(olds);
  const inputs = plain<GroupInputs>(news);
  const records = await directory.groupPhones(client, inputs.appId, inputs.groupName);
  if (records.length === 0 && !old.accounts?.length) return addGroup(client, news, inputs);
  return complete(news, inputs, records, old.lastResetAt);
}

/**
 * The state of a group: its inputs as declared (so nothing is lost) plus what the
 * platform holds. `passwords` is wrapped as a secret; the engine sends it back plain
 * (the host does not accept secrets), so every carry-over re-wraps it here.
 */
function outputs(props: Props, records: PhoneRecord[], lastResetAt?: unknown): Props {
  const sorted = byAccount(records);
  const passwords: Record<string, string> = {};
  for (const r of sorted) passwords[r.account] = r.password;
  return withoutUndefined({
    ...inputsOf(props),
    accounts: sorted.map((r) => r.account),
    passwords: secret(passwords),
    lastResetAt:
      typeof lastResetAt === "string" ? lastResetAt : (plain(props)["lastResetAt"] as string | undefined),
    [PROVIDER_KEY]: props[PROVIDER_KEY],
  });
}

/** The input properties of a state or input bag, revealed, without undefined keys. */
function inputsOf(props: Props): Props {
  const bag = plain(props);
  const out: Props = {};
  for (const key of INPUT_KEYS) if (bag[key] !== undefined) out[key] = bag[key];
  return out;
}

/** Props with every secret wrapper removed (the engine may send either form). */
function plain<T extends object = Props>(props: Props): T {
  return (reveal(props) ?? {}) as T;
}

/** appId and groupName from the state, or from the id `<appId>/<groupName>`. */
function locate(id: string, state: Partial<GroupOutputs>): { appId: string; groupName: string } {
  const slash = id.indexOf("/");
  return {
    appId: state.appId ?? id.slice(0, slash),
    groupName: state.groupName ?? id.slice(slash + 1),
  };
}

function rejections(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) =>
    r.status === "rejected" ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : [],
  );
}
