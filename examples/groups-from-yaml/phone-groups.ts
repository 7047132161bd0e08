import { readFileSync } from "node:fs";
import path from "node:path";
import { rules } from "pulumi-itniotech/provider";
import { parseDocument } from "yaml";

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
}

export interface PhoneGroupsFile {
  appId: string;
  groups: PhoneGroupSpec[];
}

/** Every problem in the file at once, each naming the file, the entry and the field. */
export class PhoneGroupsError extends Error {
  override readonly name = "PhoneGroupsError";
  constructor(readonly problems: string[]) {
    super(
      `${problems.length === 1 ? "a problem" : `${problems.length} problems`} in the phone groups file:\n  ${problems.join("\n  ")}`,
    );
  }
}

const FIELDS: Record<string, rules.Rule> = {
  name: (v) =>
    typeof v === "string" && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(v)
      ? undefined
      : "must be letters, digits and dashes (it names the Pulumi resource)",
  quantity: rules.quantityRule,
  displayNum: rules.displayNumRule,
  groupName: (v) => (v === undefined ? undefined : rules.nameRule(v)),
  phoneName: (v) => (v === undefined ? undefined : rules.nameRule(v)),
  rotation: (v) => (v === undefined || Number.isInteger(v) ? undefined : "must be a whole number"),
  adopt: (v) => (v === undefined || typeof v === "boolean" ? undefined : "must be true or false"),
};

/** Parses and validates phone-groups.yaml text; `file` only names it in messages. */
export function parsePhoneGroups(text: string, file: string): PhoneGroupsFile {
  const where = path.basename(file);
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new PhoneGroupsError(
      document.errors.map((e) => `${where}: not valid YAML: ${e.message.split("\n")[0]}`),
    );
  }
  const root = document.toJS() as unknown;
  const problems: string[] = [];
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new PhoneGroupsError([`${where}: expected a mapping with 'appId' and 'groups'`]);
  }
  const { appId, groups, ...extra } = root as Record<string, unknown>;
  for (const key of Object.keys(extra))
    problems.push(`${where}: unknown top-level field '${key}' (expected appId, groups)`);
  const appIdProblem = rules.appIdRule(appId);
  if (appIdProblem) problems.push(`${where}: appId ${appIdProblem}`);
  if (!Array.isArray(groups)) {
    problems.push(`${where}: groups must be a list of phone groups`);
    throw new PhoneGroupsError(problems);
  }
  const seen = new Map<string, number>();
  groups.forEach((entry: unknown, index) => {
    const label = `${where}: groups[${index}]${typeof (entry as { name?: unknown })?.name === "string" ? ` (${(entry as { name: string }).name})` : ""}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${label}: must be a mapping of fields`);
      return;
    }
    const fields = entry as Record<string, unknown>;
    for (const [field, rule] of Object.entries(FIELDS)) {
      const reason = rule(fields[field]);
      if (reason) problems.push(`${label}: ${field} ${reason}`);
    }
    for (const key of Object.keys(fields)) {
      if (!(key in FIELDS))
        problems.push(`${label}: unknown field '${key}' (expected one of ${Object.keys(FIELDS).join(", ")})`);
    }
    if (typeof fields["name"] === "string") {
      const first = seen.get(fields["name"]);
      if (first !== undefined) problems.push(`${label}: name duplicates groups[${first}]`);
      else seen.set(fields["name"], index);
    }
  });
  if (problems.length > 0) throw new PhoneGroupsError(problems);
  return { appId: appId as string, groups: groups as PhoneGroupSpec[] };
}

export function loadPhoneGroups(file: string): PhoneGroupsFile {
  return parsePhoneGroups(readFileSync(file, "utf8"), file);
}
