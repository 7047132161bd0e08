import type * as pulumi from "@pulumi/pulumi";
import { checkPassword } from "./check";
import { apiClient } from "./config";
import { diffPassword, triggersChanged } from "./diff";
import { directory } from "./directory";
import type { PasswordInputs, PasswordOutputs } from "./inputs";
import { withoutUndefined } from "./partial";
import { reveal, secret } from "./secrets";

type Props = Record<string, unknown>;

/** `<appId>/<account>`. */
export function passwordId(inputs: Pick<PasswordInputs, "appId" | "account">): string {
  return `${inputs.appId}/${inputs.account}`;
}

/**
 * SipPhonePassword: one account's password, reset on create and on every change of
 * `triggers`. The account itself belongs to a phone group; this resource never
 * creates or deletes phones.
 */
export const sipPhonePasswordProvider = {
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkPassword(olds, news);
  },

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return diffPassword(olds, news);
  },

  async create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = plain<PasswordInputs>(props);
    return { id: passwordId(inputs), outs: await reset(props, inputs) };
  },

  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const state = plain<Partial<PasswordOutputs>>(props);
    const slash = id.indexOf("/");
    const appId = state.appId ?? id.slice(0, slash);
    const account = state.account ?? id.slice(slash + 1);
    const phone = await directory.findPhone(apiClient(), appId, account);
    if (phone === undefined) return { id: "" };
    const inputs = inputsOf({ ...state, appId, account });
    return { id, props: outputs(props, inputs, phone.password), inputs };
  },

  async update(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = plain<PasswordInputs>(news);
    if (triggersChanged(plain(olds)["triggers"], inputs.triggers)) return { outs: await reset(news, inputs) };
    // Nothing to do remotely; carry the password over, wrapped again as a secret.
    return { outs: outputs(news, inputsOf(inputs), String(plain(olds)["password"] ?? "")) };
  },

  async delete(id: string): Promise<void> {
    console.log(
      `warning: SipPhonePassword ${id}: nothing was changed on the platform; the account keeps its current password. ` +
        "The phone belongs to its SipPhoneGroup (reset it there, or with a new SipPhonePassword, to revoke it).",
    );
  },
};

async function reset(props: Props, inputs: PasswordInputs): Promise<Props> {
  const client = apiClient();
  const { appId, account } = inputs;
  const { password } = await directory.write(client, appId, () => client.sipReset({ appId, account }));
  return outputs(props, inputsOf(inputs), password);
}

function outputs(props: Props, inputs: Props, password: string): Props {
  return withoutUndefined({ ...inputs, password: secret(password), __provider: props["__provider"] });
}

function inputsOf(props: Partial<PasswordInputs>): Props {
  const out: Props = {};
  for (const key of ["appId", "account", "triggers"] as const)
    if (props[key] !== undefined) out[key] = props[key];
  return out;
}

/** Props with every secret wrapper removed (the engine may send either form). */
function plain<T extends object = Props>(props: Props): T {
  return (reveal(props) ?? {}) as T;
}
