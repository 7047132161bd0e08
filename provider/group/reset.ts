import { characterLength, LIMITS } from "../../protocol/rules";
import { Status } from "../../protocol/status";
import type { SipResetResult } from "../../protocol/types";
import {
  CIRCUIT_RETRIES,
  CircuitBreaker,
  VoiceApiError,
  VoiceCircuitOpenError,
  type VoiceClient,
} from "../client";
import { taskQueue } from "../concurrency";
import { directory } from "../directory";
import { MAX_GENERATED_PHONE_NAME } from "../naming";

/** What resetting a group's passwords came to. */
export interface Resets {
  /** The accounts asked for. */
  accounts: string[];
  /** The new passwords, of the resets that answered. */
  done: SipResetResult[];
  /** Why each failed reset failed, in the accounts' order. */
  failures: string[];
  /**
   * Why the resets failed, in one sentence for the user: the first thing the vendor
   * answered, and, when the circuit breaker stopped the rest, how many were not sent
   * and what to do.
   */
  why: string;
  /**
   * Whether some failure can never succeed: sipReset refused (-22) an account longer
   * than it accepts, which happens to every group whose phone name is longer than 28
   * characters (accounts are `<phoneName>_NNN`). Retrying cannot help.
   */
  hopeless: boolean;
}

/** What to tell the user when a reset can never succeed. */
export const HOPELESS =
  `retrying cannot help: the platform's account names are longer than the ${LIMITS.nameMax} characters ` +
  `sipReset accepts, because the phone name is longer than ${MAX_GENERATED_PHONE_NAME} characters`;

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
 * Resets every account's password with sipReset, through the account's task queue
 * (shared by every resource of the process, so a rotation of 500 groups holds a
 * few dozen resets at a time, not 25,000), and never stops at the first failure:
 * every reset that can happen, happens.
 * `skipMissing`: an account the platform no longer has (-24) is not a failure.
 */
export async function resetPasswords(
  client: VoiceClient,
  appId: string,
  accounts: string[],
  options: { skipMissing: boolean },
): Promise<Resets> {
  // While the API refuses everything, this operation's circuit breaker makes its resets
  // not started yet fail at once (VoiceCircuitOpenError) instead of each waiting out
  // its Retry-After: a storm ends the operation in seconds, not hours.
  const breaker = new CircuitBreaker();
  const results = await taskQueue(client.budget).settleAll(accounts, (account) =>
    directory
      .write(client, appId, () => client.sipReset({ appId, account }, breaker))
      .catch((e: unknown) => {
        if (options.skipMissing && e instanceof VoiceApiError && e.code === Status.NOT_FOUND)
          return undefined;
        throw e;
      }),
  );
  const done: SipResetResult[] = [];
  const failures: string[] = [];
  let hopeless = false;
  let stopped = 0;
  let answered: string | undefined;
  results.forEach((result, i) => {
    if (result.status === "fulfilled") {
      if (result.value) done.push(result.value);
      return;
    }
    const account = accounts[i] as string;
    const e = result.reason;
    const tooLong =
      e instanceof VoiceApiError && e.code === Status.PARAMETER && characterLength(account) > LIMITS.nameMax;
    hopeless ||= tooLong;
    const failure =
      (e instanceof Error ? e.message : String(e)) +
      (tooLong ? ` (account '${account}' has ${characterLength(account)} characters)` : "");
    failures.push(failure);
    if (e instanceof VoiceCircuitOpenError) stopped++;
    else answered ??= failure;
  });
  const why =
    (answered ?? failures[0] ?? "") +
    (stopped === 0
      ? ""
      : `; ${stopped} more ${stopped === 1 ? "was" : "were"} not sent: the API refused ${CIRCUIT_RETRIES} ` +
        "attempts in a row after their wait. Run the command again once the vendor accepts requests (what " +
        "succeeded is kept), or set itniotech:requestsPerSecond to the account's quota, or lower itniotech:concurrency");
  return { accounts, done, failures, why, hopeless };
}
