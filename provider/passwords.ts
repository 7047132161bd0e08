import type * as pulumi from "@pulumi/pulumi";
import { checkPassword } from "./check";
import { now } from "./clock";
import { apiClient } from "./config";
import { diffPassword, triggersChanged } from "./diff";
import { directory } from "./directory";
import { announce, noticingDue, passwordRotationDue } from "./rotation";
import { PASSWORD, type PasswordInputs, type PasswordOutputs, type PasswordState } from "./schema";
import { secret } from "./secrets";
import { unwrapped, type Props } from "./state";
import { noticeFingerprintChanges, passwordRecord, storesPasswords } from "./storedPasswords";
import { differs } from "./values";

/**
 * SipPhonePassword: one account's password, reset on create, on every change of
 * `triggers` and when its `rotateAfter` is due. The account itself belongs to a
 * phone group; this resource never creates or deletes phones.
 */
export const sipPhonePasswordProvider = {
  check: async (olds: Props, news: Props) => checkPassword(olds, news),

  diff: noticingDue("SipPhonePassword", diffPassword, passwordRotationDue, "`pulumi up` resets the password"),

  async create(props: Props): Promise<{ id: string; outs: PasswordOutputs }> {
    return { id: PASSWORD.id(unwrapped<PasswordInputs>(props)), outs: await resetPassword(props) };
  },

  async read(
    id: string,
    props: Props = {},
  ): Promise<{ id: string; props?: PasswordOutputs; inputs?: PasswordInputs }> {
    const state = unwrapped<PasswordState>(props);
    const { appId, account } = PASSWORD.idParts(id, state);
    const phone = await directory.findPhone(apiClient(state.itniotechAccount), appId, account);
    if (phone === undefined) return { id: "" };
    const declared = { ...props, appId, account };
    const outs = passwordState(declared, phone.password, state.passwordSetAt);
    if (outs.passwordFingerprint !== undefined && state.passwordFingerprint !== undefined)
      noticeFingerprintChanges(
        `SipPhonePassword ${id}`,
        { [account]: state.passwordFingerprint },
        { [account]: outs.passwordFingerprint },
        state.itniotechAccount,
      );
    return { id, props: outs, inputs: PASSWORD.inputsOf(declared) };
  },

  async update(id: string, olds: Props, news: Props): Promise<{ outs: PasswordOutputs }> {
    const old = unwrapped<PasswordState>(olds);
    const due = passwordRotationDue(olds, news, now());
    if (due || triggersChanged(old.triggers, unwrapped<PasswordInputs>(news).triggers)) {
      announce("SipPhonePassword", id, due, "resetting the password");
      return { outs: await resetPassword(news) };
    }
    if (differs(old.storePasswords, unwrapped<PasswordInputs>(news).storePasswords, true)) {
      // `storePasswords` switched: the password (or its fingerprint) as the platform
      // holds it now, from one read; no reset.
      const { appId, account, itniotechAccount } = unwrapped<PasswordInputs>(news);
      const phone = await directory.findPhone(apiClient(itniotechAccount), appId, account);
      if (phone === undefined)
        throw new Error(
          `SipPhonePassword ${id}: the account is not on the platform (run \`pulumi refresh\`).`,
        );
      return { outs: passwordState(news, phone.password, old.passwordSetAt) };
    }
    // Nothing to do remotely (a new rotateAfter that is not due yet): carry the
    // password (wrapped again as a secret) or its fingerprint over, with the time it was set.
    const stores = storesPasswords(news);
    return {
      outs: PASSWORD.state(news, {
        password: stores && old.password !== undefined ? secret(old.password) : undefined,
        passwordFingerprint: stores ? undefined : old.passwordFingerprint,
        passwordSetAt: old.passwordSetAt,
      }),
    };
  },

  async delete(id: string): Promise<void> {
    console.log(
      `warning: SipPhonePassword ${id}: nothing was changed on the platform; the account keeps its current password. ` +
        "The phone belongs to its SipPhoneGroup (reset it there, or with a new SipPhonePassword, to revoke it).",
    );
  },
} satisfies pulumi.dynamic.ResourceProvider<Partial<PasswordInputs>, PasswordState>;

/** sipReset on the account; the new password becomes the state's, set now. */
async function resetPassword(props: Props): Promise<PasswordOutputs> {
  const { appId, account, itniotechAccount } = unwrapped<PasswordInputs>(props);
  const client = apiClient(itniotechAccount);
  const at = now().toISOString();
  const { password } = await directory.write(client, appId, () => client.sipReset({ appId, account }));
  return passwordState(props, password, at);
}

function passwordState(from: Props, password: string, setAt: string | undefined): PasswordOutputs {
  const { account } = unwrapped<PasswordInputs>(from);
  return PASSWORD.state(from, { ...passwordRecord(from, account, password), passwordSetAt: setAt });
}
