import { apiClient } from "../config";
import { GROUP, type GroupState } from "../schema";
import { unwrapped, type Props } from "../state";
import { accountsToReset, HOPELESS, resetPasswords } from "./reset";

/**
 * `delete`: there is no delete endpoint, so the credentials are revoked by resetting
 * every password and discarding the results. A phone already gone (-24) has nothing
 * to revoke; any other failed reset fails the delete, so the resource stays in the
 * stack and `pulumi destroy` can try again.
 */
export async function deleteGroup(id: string, props: Props): Promise<void> {
  const state = unwrapped<GroupState>(props);
  const { appId, groupName } = GROUP.idParts(id, state);
  const client = apiClient(state.account);
  const accounts = await accountsToReset(client, state, appId, groupName);
  const { failures, why, hopeless } = await resetPasswords(client, appId, accounts, { skipMissing: true });
  if (failures.length > 0) {
    throw new Error(
      `SipPhoneGroup ${id}: could not revoke ${failures.length} of ${accounts.length} passwords (${why}). ` +
        "The old credentials may still work; " +
        (hopeless
          ? `${HOPELESS}. To let the stack forget the group without revoking, set \`retainOnDelete: true\` on it ` +
            "and run `pulumi up` before `pulumi destroy` (or remove it with `pulumi state delete`)."
          : "the resource stays in the stack so that `pulumi destroy` can try again."),
    );
  }
  console.log(
    `warning: SipPhoneGroup ${id}: the Itniotech API cannot delete phones. The ${accounts.length} phones, the group name ` +
      `'${groupName}' and the phone name '${state.phoneName ?? "?"}' stay on the platform and can never be reused; ` +
      "their passwords were reset and discarded, so the old credentials no longer work. " +
      "Set the resource option `retainOnDelete: true` to skip this revocation.",
  );
}
