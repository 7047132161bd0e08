import { count } from "./command";
import { literal, type Declaration, type ExportEntry, type Skipped } from "./declarations";

export const FORMATS = ["yaml", "ts"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * The exported file. It holds no time, host or count that changes between runs: an
 * export of an unchanged platform is byte for byte the same, so a scheduled export
 * committed to git shows only real changes.
 */
export function render(format: Format, appId: string, entries: readonly ExportEntry[]): string {
  return format === "yaml" ? renderYaml(appId, entries) : renderProgram(appId, entries);
}

/** Why every declaration adopts and is retained, and how to undo that on purpose. */
function header(appId: string, comment: string, code: (text: string) => string): string {
  return [
    `Phone groups of the Itniotech application ${literal(appId)}, written by \`itniotech export\`.`,
    "",
    `Every group has ${code("adopt: true")}: the first \`pulumi up\` takes the existing group`,
    "over without creating anything (no sipAdd). Review the pull request's preview: it",
    "must show only creates (adoptions), no replacements.",
    "",
    `Every group has ${code("retainOnDelete: true")}: removing its declaration, or \`pulumi destroy\`,`,
    "only stops managing it; its phones and passwords keep working. To revoke a group's",
    `passwords deliberately, set its ${code("retainOnDelete: false")} and run \`pulumi up\`, then remove`,
    "the declaration and run `pulumi up` again.",
  ]
    .map((line) => (line ? `${comment} ${line}` : comment))
    .concat("")
    .join("\n");
}

function skippedLines(skipped: Skipped, comment: string, indent: string): string[] {
  return [
    `${indent}${comment} Not exported: ${literal(skipped.groupName)} (${count(skipped.quantity)} phones) cannot be adopted:`,
    ...skipped.reasons.map((reason) => `${indent}${comment}   - ${oneLine(reason)}`),
  ];
}

/**
 * The groups-from-yaml example's `phone-groups.yaml` format: `appId`, `groups: [{ name,
 * groupName, phoneName, quantity, displayNum, adopt, retainOnDelete }]`. Every string
 * is double-quoted (see `literal`), so no group name can change the document's shape.
 */
export function renderYaml(appId: string, entries: readonly ExportEntry[]): string {
  const lines = [header(appId, "#", (text) => text), `appId: ${literal(appId)}`];
  const declared = entries.some((e) => "declaration" in e);
  lines.push(declared ? "groups:" : "groups: []");
  for (const entry of entries) {
    if ("skipped" in entry) {
      lines.push(...skippedLines(entry.skipped, "#", "  "));
      continue;
    }
    const d: Declaration = entry.declaration;
    lines.push(
      `  - name: ${literal(d.name)}`,
      `    groupName: ${literal(d.groupName)}`,
      `    phoneName: ${literal(d.phoneName)}`,
      `    quantity: ${d.quantity}`,
      `    displayNum: ${literal(d.displayNum)}`,
      "    adopt: true",
      "    retainOnDelete: true",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A Pulumi program (`index.ts`) declaring one `SipPhoneGroup` per group. */
export function renderProgram(appId: string, entries: readonly ExportEntry[]): string {
  const lines = [
    header(appId, "//", (text) => `\`${text}\``),
    'import { SipPhoneGroup } from "pulumi-itniotech";',
    "",
    `const appId = ${literal(appId)};`,
  ];
  for (const entry of entries) {
    lines.push("");
    if ("skipped" in entry) {
      lines.push(...skippedLines(entry.skipped, "//", ""));
      continue;
    }
    const d: Declaration = entry.declaration;
    lines.push(
      "new SipPhoneGroup(",
      `  ${literal(d.name)},`,
      "  {",
      "    appId,",
      `    groupName: ${literal(d.groupName)},`,
      `    phoneName: ${literal(d.phoneName)},`,
      `    quantity: ${d.quantity},`,
      `    displayNum: ${literal(d.displayNum)},`,
      "    adopt: true,",
      "  },",
      "  { retainOnDelete: true },",
      ");",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Text for a comment line: line breaks of YAML, TypeScript and JavaScript become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]+/g, " ");
}
