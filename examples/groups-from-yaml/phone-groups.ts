/**
 * phone-groups.yaml: parsed and validated before any resource is declared, so a bad
 * file fails `pulumi preview` on the pull request that broke it, with no API call.
 * The field rules are the vendor's own (`rules` from pulumi-itniotech/provider, the
 * same words the provider's check and the emulator use), not a copy of them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { rules } from "pulumi-itniotech/provider";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/** One group as a GitOps team declares it in phone-groups.yaml. */
export interface PhoneGroupSpec {
  /** The resource's logical name; also the prefix of generated names. */
  name: string;
  quantity: number;
  displayNum: string;
  groupName?: string;
  phoneName?: string;
  /** Bump to rotate every password of this group. */
  rotation?: number;
  adopt?: boolean;
  /**
   * The resource option: removing the entry (or `pulumi destroy`) then only stops
   * managing the group, without revoking its passwords. `itniotech export` sets it.
   */
  retainOnDelete?: boolean;
}

export interface PhoneGroupsFile {
  appId: string;
  groups: PhoneGroupSpec[];
}

/**
 * Every problem in the file at once, one per line as `file:line: entry: field reason`.
 * A `RunError`, so Pulumi prints the message alone, without a stack trace.
 */
export class PhoneGroupsError extends pulumi.RunError {
  override readonly name = "PhoneGroupsError";
  constructor(readonly problems: string[]) {
    super(
      `${problems.length === 1 ? "1 problem" : `${problems.length} problems`} in the phone groups file:\n  ${problems.join("\n  ")}`,
    );
  }
}

const optional =
  (rule: rules.Rule): rules.Rule =>
  (value) =>
    value === undefined ? undefined : rule(value);

const boolean: rules.Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");

const FIELDS: Record<string, rules.Rule> = {
  // Not a vendor field: the Pulumi resource name, which must stay stable and readable.
  name: (v) =>
    typeof v === "string" && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(v)
      ? undefined
      : "must be letters, digits and dashes (it names the Pulumi resource)",
  quantity: rules.quantityRule,
  displayNum: (v) => {
    const problem = rules.displayNumRule(v);
    // YAML reads 8610000000 as a number; the vendor wants the digits as a string.
    return problem && typeof v === "number" ? `${problem}: quote it, displayNum: "${v}"` : problem;
  },
  groupName: optional(rules.nameRule),
  phoneName: optional(rules.nameRule),
  rotation: (v) => (v === undefined || Number.isInteger(v) ? undefined : "must be a whole number"),
  adopt: optional(boolean),
  retainOnDelete: optional(boolean),
};
const TOP_LEVEL = ["appId", "groups"];

/**
 * Parses and validates phone-groups.yaml text. `file` is the name messages show.
 * Throws a {@link PhoneGroupsError} listing every problem.
 */
export function parsePhoneGroups(text: string, file: string): PhoneGroupsFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const at = (node: Node | null | undefined | unknown, fallback = 1): string => {
    const range = (node as Node | undefined)?.range;
    return `${file}:${range ? lines.linePos(range[0]).line : fallback}`;
  };
  if (document.errors.length > 0) {
    throw new PhoneGroupsError(
      document.errors.map(
        (e) => `${file}:${e.linePos?.[0].line ?? 1}: not valid YAML: ${e.message.split("\n")[0]}`,
      ),
    );
  }
  const root = document.contents;
  if (!isMap(root)) throw new PhoneGroupsError([`${at(root)}: expected a mapping with appId and groups`]);
  const problems: string[] = [];
  const keyNode = (map: { items: Array<{ key: unknown }> }, key: string) =>
    map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key;

  const { appId, groups } = document.toJS() as { appId?: unknown; groups?: unknown };
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!TOP_LEVEL.includes(key))
      problems.push(`${at(pair.key)}: unknown top-level field '${key}' (expected appId, groups)`);
  }
  const appIdProblem = rules.appIdRule(appId);
  if (appIdProblem) problems.push(`${at(root.get("appId", true) ?? root)}: appId ${appIdProblem}`);
  const list = root.get("groups", true);
  if (!isSeq(list)) {
    problems.push(`${at(list ?? root)}: groups must be a list of phone groups`);
    throw new PhoneGroupsError(problems);
  }

  const seen = new Map<string, number>();
  (groups as unknown[]).forEach((entry, index) => {
    const node = list.items[index];
    const fields = entry as Record<string, unknown>;
    const label = `groups[${index}]${typeof fields?.["name"] === "string" ? ` (${fields["name"]})` : ""}`;
    if (!isMap(node)) {
      problems.push(`${at(node)}: ${label}: must be a mapping of fields (name, quantity, displayNum, ...)`);
      return;
    }
    const entryLine = node.range ? lines.linePos(node.range[0]).line : 1;
    for (const [field, rule] of Object.entries(FIELDS)) {
      const reason = rule(fields[field]);
      if (reason) problems.push(`${at(node.get(field, true), entryLine)}: ${label}: ${field} ${reason}`);
    }
    for (const key of Object.keys(fields)) {
      if (!(key in FIELDS)) {
        problems.push(
          `${at(keyNode(node, key), entryLine)}: ${label}: unknown field '${key}' (expected one of ${Object.keys(FIELDS).join(", ")})`,
        );
      }
    }
    if (typeof fields["name"] === "string") {
      const first = seen.get(fields["name"]);
      if (first !== undefined)
        problems.push(`${at(node.get("name", true), entryLine)}: ${label}: name duplicates groups[${first}]`);
      else seen.set(fields["name"], index);
    }
  });
  if (problems.length > 0) throw new PhoneGroupsError(problems);
  return { appId: appId as string, groups: groups as PhoneGroupSpec[] };
}

/**
 * Reads and validates a phone groups file. Messages name it relative to the working
 * directory (Pulumi runs the program in its folder: `phone-groups.yaml:9: ...`).
 */
export function loadPhoneGroups(file: string): PhoneGroupsFile {
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PhoneGroupsError([
      `${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    ]);
  }
  return parsePhoneGroups(text, shown);
}
