import * as pulumi from "@pulumi/pulumi";

/*
 * Read-only lookups of groups that already exist on the platform, for programs
 * (Terraform's data sources). They call the API from the program itself, with the
 * stack's `itniotech:` config (secrets included) or the ITNIOTECH_* environment
 * variables, like the resources' provider. The implementation is reached by
 * `require` of the package name, as the resources' provider shells reach theirs:
 * this folder imports nothing from provider/.
 */

/** The arguments of {@link getSipPhoneGroup} and {@link getSipPhoneGroupPasswords}. */
export interface GetSipPhoneGroupArgs {
  /** The voice application id. */
  appId: string;
  /** The group's name (4–32 characters). */
  groupName: string;
  /**
   * The Itniotech account to read: the name of an entry of the stack config
   * `itniotech:accounts`. Absent: the stack's default credentials. An unknown name
   * rejects, naming the known ones. Each account has its own scan per application.
   */
  account?: string;
}

/** The arguments of {@link listSipPhoneGroups}. */
export interface ListSipPhoneGroupsArgs {
  /** The voice application id. */
  appId: string;
  /** The Itniotech account to read (see {@link GetSipPhoneGroupArgs.account}). */
  account?: string;
}

/** A group as the platform holds it. */
export interface SipPhoneGroupSummary {
  groupName: string;
  /** The phone name (of the first account, should the group's phones differ). */
  phoneName: string;
  /** The caller ID (of the first account, should the group's phones differ). */
  displayNum: string;
  /** The number of phones. */
  quantity: number;
}

/** What {@link getSipPhoneGroup} resolves: a group and its accounts. */
export interface SipPhoneGroupInfo extends SipPhoneGroupSummary {
  appId: string;
  /** The phone accounts, sorted. */
  accounts: string[];
}

/** The shape of the implementation in `pulumi-itniotech/provider` (provider/lookups.ts). */
interface Implementation {
  lookupGroups(lookup: string, args: object, config: ConfigReader): Promise<PlatformGroup[]>;
  lookupGroup(lookup: string, args: object, config: ConfigReader): Promise<PlatformGroup>;
}
type ConfigReader = (key: string) => string | undefined;
interface PlatformGroup extends SipPhoneGroupSummary {
  accounts: string[];
  records: Array<{ account: string; password: string }>;
}

function implementation(): Implementation {
  return require("pulumi-itniotech/provider").lookups;
}

/** The program's stack config by namespaced key, secrets in plain (they never leave this process). */
const stackConfig: ConfigReader = (key) => pulumi.runtime.getConfig(key);

/**
 * A lookup's own failure (no such group, a bad argument) reads as a message, as
 * Pulumi shows a RunError, without a stack trace. API errors keep their class.
 */
async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Error && e.name === "LookupError") throw new pulumi.RunError(e.message);
    throw e;
  }
}

/**
 * An existing group: its phone name, caller ID, size and accounts. Rejects with a
 * clear message when the application has no such group.
 *
 * A read-only call to the API from the program: it runs in `pulumi preview` as in
 * `pulumi up`, and all lookups of one application in one program run share one
 * paged scan (so a group created by the same run is not visible to it: use that
 * resource's outputs). Credentials: the stack config `itniotech:apiKey`,
 * `itniotech:apiSecret` and `itniotech:baseUrl`, else `ITNIOTECH_API_KEY`,
 * `ITNIOTECH_API_SECRET` and `ITNIOTECH_BASE_URL`; with `account`, that entry of
 * `itniotech:accounts` (one scan per application and account).
 *
 * ```ts
 * const desk = await getSipPhoneGroup({ appId: "4luaKsL2", groupName: "front-desk" });
 * new SipPhonePassword("desk-1", { appId: desk.appId, account: desk.accounts[0]!, triggers: ["2026-01"] });
 * ```
 */
export function getSipPhoneGroup(args: GetSipPhoneGroupArgs): Promise<SipPhoneGroupInfo> {
  return run(async () => {
    const group = await implementation().lookupGroup("getSipPhoneGroup", args, stackConfig);
    const { groupName, phoneName, displayNum, quantity, accounts } = group;
    return { appId: args.appId, groupName, phoneName, displayNum, quantity, accounts: [...accounts] };
  });
}

/**
 * The current passwords of an existing group, account → password, as a secret
 * Output: Pulumi encrypts it wherever it goes (stack outputs, state, logs). Fails
 * like {@link getSipPhoneGroup} when the group does not exist. A read-only call that
 * also runs during preview, sharing the program run's one scan per application: a
 * password reset later in the same run is not seen (use the resource's outputs).
 */
export function getSipPhoneGroupPasswords(args: GetSipPhoneGroupArgs): pulumi.Output<Record<string, string>> {
  return pulumi.secret(
    run(async () => {
      const group = await implementation().lookupGroup("getSipPhoneGroupPasswords", args, stackConfig);
      return Object.fromEntries(group.records.map((r) => [r.account, r.password]));
    }),
  );
}

/**
 * Every group of an application, sorted by name. A read-only call that also runs
 * during preview, sharing the program run's one scan per application (see
 * {@link getSipPhoneGroup}).
 */
export function listSipPhoneGroups(args: ListSipPhoneGroupsArgs): Promise<SipPhoneGroupSummary[]> {
  return run(async () =>
    (await implementation().lookupGroups("listSipPhoneGroups", args, stackConfig)).map(
      ({ groupName, phoneName, displayNum, quantity }) => ({ groupName, phoneName, displayNum, quantity }),
    ),
  );
}
