import { Status } from "../../protocol/status";
import type { SipResetResult } from "../../protocol/types";
import { VoiceApiError, type VoiceClient } from "../client";
import { settleAll } from "../concurrency";
import { currentSettings } from "../config";
import { directory } from "../directory";

/** What resetting a group's passwords came to. */
export interface Resets {
  /** The accounts asked for. */
  accounts: string[];
  /** The new passwords, of the resets that answered. */
  done: SipResetResult[];
  /** Why each failed reset failed, in the accounts' order. */
  failures: string[];
}

/**
 * The accounts to reset: the state's, or what the platform holds when the state has
 * none (a create that failed part-way leaves `accounts` empty).
 */
export async function accountsToReset(
  client: VoiceClient,
  state: { accounts?: string[] | undefined },
  appId: string,
  groupName: string,
): Promise<string[]> {
  if (state.accounts?.length) return state.accounts;
  return (await directory.groupPhones(client, appId, groupName)).map((r) => r.account);
}

/**
 * Resets every account's password with sipReset, `itniotech:concurrency` at a time,
 * and never stops at the first failure: every reset that can happen, happens.
 * `skipMissing`: an account the platform no longer has (-24) is not a failure.
 */
export async function resetPasswords(
  client: VoiceClient,
  appId: string,
  accounts: string[],
  options: { skipMissing: boolean },
): Promise<Resets> {
  const results = await settleAll(accounts, currentSettings().concurrency, (account) =>
    directory
      .write(client, appId, () => client.sipReset({ appId, account }))
      .catch((e: unknown) => {
        if (options.skipMissing && e instanceof VoiceApiError && e.code === Status.NOT_FOUND)
          return undefined;
        throw e;
      }),
  );
  const done: SipResetResult[] = [];
  const failures: string[] = [];
  for (const result of results) {
    if (result.status === "rejected") failures.push(messageOf(result.reason));
    else if (result.value) done.push(result.value);
  }
  return { accounts, done, failures };
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
