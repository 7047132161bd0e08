import type { PlatformGroup } from "../provider/fleet";
import { APP_OPTION, count, EXIT, plural, repeated, required, type Command } from "./command";
import { resolveClient } from "./credentials";
import { literal } from "./declarations";
import { jsonText, printable } from "./printable";
import { scanApplication } from "./scan";
import { managedGroups, readStateFile, type ManagedGroup } from "./stackState";

/** What `itniotech inventory --json` prints (exactly these keys). */
export interface Inventory {
  appId: string;
  /** On the platform, in no given state. */
  unmanaged: Array<{ groupName: string; phoneName: string; phones: number }>;
  /** In a state, not on the platform. */
  missing: Array<{ urn: string; groupName: string }>;
  /** In a state and on the platform, with another phone count or other accounts. */
  mismatched: Array<{ urn: string; groupName: string; state: GroupFacts; platform: GroupFacts }>;
}

/** What a state and the platform are compared on. `null` where a state's value is secret or absent. */
export interface GroupFacts {
  quantity: number | null;
  accounts: string[] | null;
}

/** Compares an application's groups on the platform with the SipPhoneGroups the states hold. */
export function compare(
  appId: string,
  platform: readonly PlatformGroup[],
  managed: readonly ManagedGroup[],
): Inventory {
  const inApp = managed.filter((m) => m.appId === appId);
  const onPlatform = new Map(platform.map((g) => [g.groupName, g]));
  const managedNames = new Set(inApp.map((m) => m.groupName));
  const inventory: Inventory = { appId, unmanaged: [], missing: [], mismatched: [] };
  for (const group of platform) {
    if (!managedNames.has(group.groupName))
      inventory.unmanaged.push({
        groupName: group.groupName,
        phoneName: group.phoneName,
        phones: group.quantity,
      });
  }
  for (const m of [...inApp].sort((a, b) => order(a.groupName, b.groupName) || order(a.urn, b.urn))) {
    const group = onPlatform.get(m.groupName);
    if (!group) {
      inventory.missing.push({ urn: m.urn, groupName: m.groupName });
      continue;
    }
    const quantityDiffers = m.quantity !== undefined && m.quantity !== group.quantity;
    const accountsDiffer = m.accounts !== undefined && m.accounts.join("\n") !== group.accounts.join("\n");
    if (quantityDiffers || accountsDiffer) {
      inventory.mismatched.push({
        urn: m.urn,
        groupName: m.groupName,
        state: { quantity: m.quantity ?? null, accounts: m.accounts ?? null },
        platform: { quantity: group.quantity, accounts: group.accounts },
      });
    }
  }
  return inventory;
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function differences(inventory: Inventory): number {
  return inventory.unmanaged.length + inventory.missing.length + inventory.mismatched.length;
}

export const inventoryCommand: Command = {
  name: "inventory",
  summary: "compare an application's groups with Pulumi states: unmanaged, missing, mismatched",
  usage: `Usage: itniotech inventory --app <appId> [--state <file>]... [--json]

Compares the groups of an application on the platform (one paged scan) with the
SipPhoneGroup resources of any number of \`pulumi stack export\` files:
  unmanaged   on the platform, in no given state
  missing     in a state, not on the platform
  mismatched  in both, with another phone count or other accounts
Only non-secret fields of the states are read (type token, id, groupName, accounts,
quantity): secrets may stay encrypted.

  --app <appId>    the voice application (required)
  --state <file>   a \`pulumi stack export\` file (or a file backend's checkpoint);
                   may repeat; - reads standard input
  --json           print { "appId", "unmanaged": [{ "groupName", "phoneName", "phones" }],
                   "missing": [{ "urn", "groupName" }], "mismatched": [{ "urn",
                   "groupName", "state", "platform" }] } (state/platform: { quantity, accounts })
  -h, --help       show this help

Credentials: ITNIOTECH_API_KEY, ITNIOTECH_API_SECRET, ITNIOTECH_BASE_URL (default
https://api.itniotech.com/voice).
Exit codes: 0 every group is managed and consistent; 3 differences found (a CI gate);
1 API, configuration or state file error; 2 usage error.`,
  options: {
    ...APP_OPTION,
    state: { type: "string", multiple: true },
    json: { type: "boolean" },
  },

  async run(values, io) {
    const appId = required(values, "app");
    const managed: ManagedGroup[] = [];
    const files = repeated(values, "state");
    // Files first: a typo in a path fails before the scan, not after it.
    for (const file of files) {
      const { text, name } = await readStateFile(file, io.cwd, io.stdin);
      managed.push(...managedGroups(text, name));
    }
    const scan = await scanApplication(resolveClient(io.env), appId, io.stderr);
    const inventory = compare(appId, scan.groups, managed);

    const inApp = managed.filter((m) => m.appId === appId);
    const shared = sharedGroups(inApp);
    for (const [groupName, urns] of shared) {
      io.stderr.write(
        `itniotech inventory: warning: ${literal(groupName)} is managed by ${urns.length} resources ` +
          `(${urns.map(printable).join(", ")}); each of them rotates and revokes its passwords\n`,
      );
    }
    if (values["json"] === true) io.stdout.write(`${jsonText(inventory)}\n`);
    else io.stdout.write(report(inventory, scan.phones, scan.groups.length, inApp.length, files.length));
    return differences(inventory) === 0 ? EXIT.ok : EXIT.differences;
  },
};

/** Groups that more than one resource manages (one stack given twice is one resource). */
function sharedGroups(managed: readonly ManagedGroup[]): Map<string, string[]> {
  const urns = new Map<string, Set<string>>();
  for (const m of managed) urns.set(m.groupName, (urns.get(m.groupName) ?? new Set()).add(m.urn));
  return new Map([...urns].filter(([, set]) => set.size > 1).map(([name, set]) => [name, [...set]]));
}

function report(
  inventory: Inventory,
  phones: number,
  groups: number,
  resources: number,
  files: number,
): string {
  const lines = [
    `Application ${literal(inventory.appId)}: ${plural(groups, "group")} (${plural(phones, "phone")}) on the platform; ` +
      `${plural(resources, "SipPhoneGroup resource")} for it in ${plural(files, "state file")}.`,
  ];
  const section = (title: string, n: number, what: string, rows: string[]) => {
    if (n === 0) return;
    lines.push("", `${title} (${count(n)}): ${what}`, ...rows.map((row) => `  ${row}`));
  };
  section(
    "Unmanaged",
    inventory.unmanaged.length,
    "on the platform, in no given state",
    inventory.unmanaged.map(
      (u) => `${literal(u.groupName)}  phoneName ${literal(u.phoneName)}  ${plural(u.phones, "phone")}`,
    ),
  );
  section(
    "Missing",
    inventory.missing.length,
    "in a state, not on the platform",
    inventory.missing.map((m) => `${literal(m.groupName)}  ${printable(m.urn)}`),
  );
  section(
    "Mismatched",
    inventory.mismatched.length,
    "the state and the platform differ",
    inventory.mismatched.map(
      (m) => `${literal(m.groupName)}  ${printable(m.urn)}: ${mismatch(m.state, m.platform)}`,
    ),
  );
  const n = differences(inventory);
  lines.push(
    "",
    n === 0
      ? `Every group is managed and consistent.`
      : `${plural(n, "difference")} (exit code ${EXIT.differences}).`,
  );
  return `${lines.join("\n")}\n`;
}

function mismatch(state: GroupFacts, platform: GroupFacts): string {
  const parts: string[] = [];
  if (state.quantity !== null && state.quantity !== platform.quantity)
    parts.push(
      `${plural(state.quantity, "phone")} in the state, ${count(platform.quantity ?? 0)} on the platform`,
    );
  if (state.accounts !== null) {
    const live = new Set(platform.accounts ?? []);
    const recorded = new Set(state.accounts);
    const gone = state.accounts.filter((a) => !live.has(a));
    const added = (platform.accounts ?? []).filter((a) => !recorded.has(a));
    if (gone.length > 0) parts.push(`gone from the platform: ${gone.map(literal).join(", ")}`);
    if (added.length > 0) parts.push(`not in the state: ${added.map(literal).join(", ")}`);
  }
  return parts.join("; ");
}
