import { appIdRule, nameRule, type Rule } from "../protocol/rules";
import type { PhoneRecord } from "../protocol/types";
import { accountProblem } from "./accounts";
import { clientFor, readSettings } from "./config";
import { PhoneDirectory } from "./directory";
import { platformGroups, type PlatformGroup } from "./fleet";

/*
 * The implementation of the package root's lookups (getSipPhoneGroup,
 * getSipPhoneGroupPasswords, listSipPhoneGroups). They run in the user's PROGRAM,
 * not in the provider host: sdk/lookups.ts reaches this module by `require` of the
 * package name and hands it the program's stack config.
 */

/** A stack config reader: a namespaced key (`itniotech:apiKey`) to its value, secrets in plain. */
export type ConfigReader = (key: string) => string | undefined;

/**
 * Lookups see the platform as ONE scan per application and credentials (the
 * directory keeps its scans per client, and there is one client per account) for the
 * whole program run (a program is one process per `pulumi preview` or `up`): N
 * lookups in one application cost one paged scan, concurrent ones included. So a
 * group the same run creates is not visible to them; the resource's outputs are.
 * A failed scan is not kept: the next lookup tries again.
 */
const programDirectory = new PhoneDirectory(Number.POSITIVE_INFINITY);

/** The grouping of each scan, made once (the scan's array is the same for every lookup). */
const grouped = new WeakMap<PhoneRecord[], PlatformGroup[]>();

/** A lookup's failure that the program shows as a message, without a stack trace. */
export class LookupError extends Error {
  override readonly name = "LookupError";
}

/** Every group of an application, sorted by name. */
export async function lookupGroups(
  lookup: string,
  args: { appId?: unknown; account?: unknown },
  config: ConfigReader,
): Promise<PlatformGroup[]> {
  const appId = valid(lookup, "appId", appIdRule, args.appId);
  const settings = readSettings(config);
  if (args.account !== undefined) {
    // Check's words, with the known entries of the program's `itniotech:accounts`.
    const problem = accountProblem("account", args.account, {
      names: [...settings.accounts.keys()],
      problem: settings.problem,
    });
    if (problem !== undefined) throw new LookupError(`${lookup}: ${problem}`);
  }
  const client = clientFor(settings, args.account as string | undefined);
  const records = await programDirectory.phones(client, appId);
  let groups = grouped.get(records);
  if (!groups) grouped.set(records, (groups = platformGroups(records)));
  return groups;
}

/** One group; a LookupError naming the application when it does not exist. */
export async function lookupGroup(
  lookup: string,
  args: { appId?: unknown; groupName?: unknown; account?: unknown },
  config: ConfigReader,
): Promise<PlatformGroup> {
  const groupName = valid(lookup, "groupName", nameRule, args.groupName);
  const groups = await lookupGroups(lookup, args, config);
  const found = groups.find((g) => g.groupName === groupName);
  if (found) return found;
  throw new LookupError(
    `${lookup}: no group ${JSON.stringify(groupName)} in application ${JSON.stringify(args.appId)} ` +
      `(it has ${groups.length} group${groups.length === 1 ? "" : "s"}). Lookups read each application once per ` +
      "program run: a group the same run creates is not visible to them; use its SipPhoneGroup's outputs.",
  );
}

function valid(lookup: string, field: string, rule: Rule, value: unknown): string {
  const problem = rule(value);
  if (problem !== undefined) throw new LookupError(`${lookup}: ${field} ${problem}`);
  return value as string;
}
