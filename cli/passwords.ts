import { APP_OPTION, CommandError, EXIT, optional, required, UsageError, type Command } from "./command";
import { resolveClient } from "./credentials";
import { literal } from "./declarations";
import { jsonText } from "./printable";
import { scanApplication } from "./scan";

/**
 * `itniotech passwords`: a group's current passwords as JSON on standard output, for
 * piping into a secret manager — the way to deliver passwords that a stack with
 * `storePasswords: false` never holds. It refuses to print to a terminal unless
 * `--show` is given, so they do not end up in a scrollback or a screen share.
 */
export const passwordsCommand: Command = {
  name: "passwords",
  summary: "print a group's current passwords as JSON, for piping into a secret manager",
  usage: `Usage: itniotech passwords --app <appId> --group <groupName> [--account <name>] [--show]

Prints the current passwords of a group's phones, read from the platform (one paged
scan of the application), as one JSON object on standard output:
  { "<account>": "<password>", ... }
For stacks whose SipPhoneGroup has \`storePasswords: false\` (their state holds no
password), or any other group. Standard error carries messages only.

  --app <appId>         the voice application (required)
  --group <groupName>   the group (required)
  --account <name>      only this SIP phone account's password
  --show                print even when standard output is a terminal (otherwise
                        refused: pipe it into a file or a secret manager)
  -h, --help            show this help

Example: itniotech passwords --app 4luaKsL2 --group office | vault kv put secret/office -

Credentials: ITNIOTECH_API_KEY, ITNIOTECH_API_SECRET, ITNIOTECH_BASE_URL (default
https://api.itniotech.com/voice).
Exit codes: 0 printed; 1 API or configuration error, or no such group or account;
2 usage error, or standard output is a terminal and --show is not given.`,
  options: {
    ...APP_OPTION,
    group: { type: "string" },
    account: { type: "string" },
    show: { type: "boolean" },
  },

  async run(values, io) {
    const appId = required(values, "app");
    const groupName = required(values, "group");
    const account = optional(values, "account");
    // Before any API call: nothing is read that would not be printed.
    if (io.stdout.isTTY && values["show"] !== true) {
      throw new UsageError(
        "refusing to print passwords to a terminal: pipe the output into a file or a secret manager, " +
          "or add --show to print them here",
      );
    }
    const { groups } = await scanApplication(resolveClient(io.env), appId, io.stderr);
    const group = groups.find((g) => g.groupName === groupName);
    if (!group) {
      throw new CommandError(
        `no group ${literal(groupName)} in application ${literal(appId)} (it has ${groups.length} ` +
          `group${groups.length === 1 ? "" : "s"}; \`itniotech inventory --app ${appId}\` lists them)`,
      );
    }
    const records =
      account === undefined ? group.records : group.records.filter((r) => r.account === account);
    if (records.length === 0) {
      throw new CommandError(
        `group ${literal(groupName)} has no account ${literal(account ?? "")} ` +
          `(its accounts: ${group.accounts.map(literal).join(", ")})`,
      );
    }
    io.stdout.write(`${jsonText(Object.fromEntries(records.map((r) => [r.account, r.password])))}\n`);
    return EXIT.ok;
  },
};
