import path from "node:path";
import { writeFileAtomic } from "../emulator/files";
import { characterLength, LIMITS } from "../protocol/rules";
import {
  APP_OPTION,
  CommandError,
  count,
  EXIT,
  optional,
  plural,
  repeated,
  required,
  UsageError,
  type Command,
} from "./command";
import { resolveClient } from "./credentials";
import { exportEntries, literal } from "./declarations";
import { FORMATS, render, type Format } from "./render";
import { scanApplication } from "./scan";

export const exportCommand: Command = {
  name: "export",
  summary: "write declarations (adopt: true, retainOnDelete: true) for an application's existing groups",
  usage: `Usage: itniotech export --app <appId> [--format yaml|ts] [--include <regex>] [--exclude <regex>] [--out <file>]

Reads every phone of the application in one paged scan and writes a declaration for
each existing group, with adopt: true (the first \`pulumi up\` takes the group over,
no sipAdd) and retainOnDelete: true (removing it or \`pulumi destroy\` never revokes
working phones; the file says how to remove a group deliberately).

  --app <appId>      the voice application (required)
  --format yaml      (default) the phone-groups.yaml file of the groups-from-yaml example:
                     appId, groups: [{ name, groupName, phoneName, quantity, displayNum,
                     adopt, retainOnDelete }]
  --format ts        a Pulumi program (index.ts) with one SipPhoneGroup per group
  --include <regex>  only groups whose name matches (JavaScript syntax; may repeat)
  --exclude <regex>  leave out groups whose name matches (may repeat; wins over --include)
  --out <file>       write there instead of to standard output
  -h, --help         show this help

Logical names come from the group names: valid, unique, and the same on every run.
A group that adoption cannot match (its phones have different phone names or caller
IDs) or that the provider would reject is written as a comment with the reason and
counted in the summary on standard error. No password is ever printed.

Credentials: ITNIOTECH_API_KEY, ITNIOTECH_API_SECRET, ITNIOTECH_BASE_URL (default
https://api.itniotech.com/voice).
Exit codes: 0 written; 1 API or configuration error; 2 usage error.`,
  options: {
    ...APP_OPTION,
    format: { type: "string" },
    include: { type: "string", multiple: true },
    exclude: { type: "string", multiple: true },
    out: { type: "string" },
  },

  async run(values, io) {
    const appId = required(values, "app");
    const format = optional(values, "format") ?? "yaml";
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be ${FORMATS.join(" or ")} (got ${literal(format)})`);
    const include = repeated(values, "include").map((p) => pattern("include", p));
    const exclude = repeated(values, "exclude").map((p) => pattern("exclude", p));
    const out = optional(values, "out");

    const scan = await scanApplication(resolveClient(io.env), appId, io.stderr);
    // A name longer than the vendor documents (4–32) is an anomaly, and a user's
    // pattern can take quadratic time on it ('office.*desk' over 200,000 characters:
    // 7 s, and a listing may hold thousands): with a filter, such groups are left out
    // unmatched and reported; without one they are exported as comments (no adoption).
    const filtering = include.length > 0 || exclude.length > 0;
    const overlong = filtering
      ? scan.groups.filter((g) => characterLength(g.groupName) > LIMITS.nameMax)
      : [];
    const selected = scan.groups.filter(
      (g) =>
        !overlong.includes(g) &&
        (include.length === 0 || include.some((re) => re.test(g.groupName))) &&
        !exclude.some((re) => re.test(g.groupName)),
    );
    const entries = exportEntries(
      appId,
      selected,
      scan.groups.map((g) => g.groupName),
    );
    const text = render(format as Format, appId, entries);
    if (out === undefined) io.stdout.write(text);
    else {
      const file = path.resolve(io.cwd, out);
      // Atomically: a write that fails part-way (a full disk, EFBIG) leaves the previous
      // file whole, never a valid-looking YAML with some of the groups.
      try {
        await writeFileAtomic(file, text);
      } catch (e) {
        throw new CommandError(
          `cannot write --out ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        );
      }
    }

    const declared = entries.flatMap((e) => ("declaration" in e ? [e.declaration] : []));
    const skipped = entries.flatMap((e) => ("skipped" in e ? [e.skipped] : []));
    const summary = [
      `itniotech export: application ${literal(appId)}: ${plural(scan.groups.length, "group")} ` +
        `(${plural(scan.phones, "phone")}) on the platform.`,
      `  ${plural(declared.length, "declaration")} written (${count(declared.reduce((n, d) => n + d.quantity, 0))} ` +
        `phones, adopt: true, retainOnDelete: true)${out === undefined ? "" : ` to ${out}`}.`,
    ];
    const filtered = scan.groups.length - selected.length - overlong.length;
    if (filtered > 0) summary.push(`  ${plural(filtered, "group")} left out by --include/--exclude.`);
    if (overlong.length > 0)
      summary.push(
        `  ${plural(overlong.length, "group")} left out unmatched: ${overlong.length === 1 ? "its name has" : "their names have"} ` +
          `more than ${LIMITS.nameMax} characters (the vendor documents ${LIMITS.nameMin}–${LIMITS.nameMax}); ` +
          `export without --include/--exclude to see ${overlong.length === 1 ? "it" : "them"} as comments.`,
      );
    if (skipped.length > 0) {
      summary.push(`  ${plural(skipped.length, "group")} cannot be adopted, written as comments:`);
      for (const s of skipped) summary.push(`    ${literal(s.groupName)}: ${s.reasons.join("; ")}`);
    }
    io.stderr.write(`${summary.join("\n")}\n`);
    return EXIT.ok;
  },
};

function pattern(option: string, source: string): RegExp {
  try {
    return new RegExp(source, "u");
  } catch (e) {
    throw new UsageError(
      `--${option} ${literal(source)} is not a valid regular expression: ${(e as Error).message}`,
    );
  }
}
