import { adoptionMismatches } from "../provider/adoption";
import { checkGroup } from "../provider/check";
import type { PlatformGroup } from "../provider/fleet";
import { logicalNames } from "./names";

/** One group as `itniotech export` declares it: every field the provider's adoption compares. */
export interface Declaration {
  /** The Pulumi logical name. */
  name: string;
  groupName: string;
  phoneName: string;
  quantity: number;
  displayNum: string;
}

/** A group no declaration can adopt, and why (in words safe to print: values are JSON-quoted). */
export interface Skipped {
  groupName: string;
  quantity: number;
  reasons: string[];
}

/** What to write, in group-name order: a declaration or a skipped group per group. */
export type ExportEntry = { declaration: Declaration } | { skipped: Skipped };

/**
 * The declarations of an application's groups. A group is declared only when the
 * provider will accept the declaration: its own preview-time `check` passes (names
 * 4–32 characters, 1–50 phones, a caller ID of 7–13 digits) and its adoption rule
 * matches (every phone has the group's phone name and caller ID). Anything else is
 * skipped with the reasons, rather than written as a declaration that fails at
 * preview or, worse, at `up`.
 *
 * `everyGroupName` is every group of the application, filtered or not, so that the
 * logical names do not depend on the filters.
 */
export function exportEntries(
  appId: string,
  groups: readonly PlatformGroup[],
  everyGroupName: readonly string[],
): ExportEntry[] {
  const names = logicalNames(everyGroupName);
  return groups.map((group) => {
    const declaration: Declaration = {
      name: names.get(group.groupName) ?? group.groupName,
      groupName: group.groupName,
      phoneName: group.phoneName,
      quantity: group.quantity,
      displayNum: group.displayNum,
    };
    // What the declaration will send to the provider's check at preview.
    const inputs = { ...declaration, appId, adopt: true, namePrefix: declaration.name };
    const reasons = [
      ...adoptionMismatches(declaration, group.records).map(({ property, platform }) =>
        Array.isArray(platform)
          ? `its phones have ${platform.length} different ${LABEL[property]} (${platform.map(literal).join(", ")}), ` +
            "and adoption needs one for the whole group"
          : `it has ${platform} phones`,
      ),
      ...checkGroup({}, inputs).failures.map(
        (f) => `${f.reason}: ${f.property} is ${literal(String(inputs[f.property as keyof typeof inputs]))}`,
      ),
    ];
    return reasons.length === 0
      ? { declaration }
      : { skipped: { groupName: group.groupName, quantity: group.quantity, reasons } };
  });
}

const LABEL = { phoneName: "phone names", displayNum: "caller IDs (displayNum)", quantity: "sizes" } as const;

/**
 * A string as a double-quoted literal that is valid, and means the same, in JSON,
 * YAML 1.2 and TypeScript — and stays on one line inside a comment: every line
 * terminator of any of them (U+2028/2029 end a `//` comment in JavaScript, U+0085 a
 * YAML 1.1 line), every character YAML does not allow unescaped (C1 controls, DEL,
 * a byte-order mark, the noncharacters U+FFFE and U+FFFF, which a strict parser such
 * as PyYAML refuses in the whole file), the bidirectional overrides (a name that
 * displays in another order than it reads, in a terminal or a review) and every lone
 * surrogate is written as `\uXXXX`.
 */
export function literal(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]/gu,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
}
