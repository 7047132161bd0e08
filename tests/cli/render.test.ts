/**
 * The exported files for any group name the platform might hold: the vendor
 * documents no character set, so a group name may contain quotes, `#`, newlines,
 * U+2028 (which ends a `//` comment in JavaScript), controls or emoji. Whatever
 * it holds, the YAML must parse back to the same names through the example's own
 * validator, and the program must declare exactly the same groups when run.
 */
import fc from "fast-check";
import ts from "typescript";
import { parsePhoneGroups } from "../../examples/groups-from-yaml/phone-groups";
import { literal, type ExportEntry } from "../../cli/declarations";
import { logicalName } from "../../cli/names";
import { renderProgram, renderYaml } from "../../cli/render";

/** A name of 4-32 code points (any of them, lone surrogates included), not blank. */
const name = fc
  .string({ unit: "binary", minLength: 4, maxLength: 32 })
  .filter((s) => s.trim() !== "" && [...s].length >= 4);

function entries(groupName: string, skippedName: string): ExportEntry[] {
  return [
    {
      declaration: {
        name: logicalName(groupName),
        groupName,
        phoneName: groupName,
        quantity: 7,
        displayNum: "8610000000",
      },
    },
    {
      skipped: {
        groupName: skippedName,
        quantity: 2,
        reasons: [`its phones have 2 different phone names (${literal(skippedName)})`],
      },
    },
  ];
}

/** Runs a generated program with a stand-in SipPhoneGroup; resolves the declarations it made. */
function declarations(
  program: string,
): Array<{ name: string; args: Record<string, unknown>; opts: unknown }> {
  const { outputText, diagnostics } = ts.transpileModule(program, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  expect(diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  const made: Array<{ name: string; args: Record<string, unknown>; opts: unknown }> = [];
  class SipPhoneGroup {
    constructor(name: string, args: Record<string, unknown>, opts: unknown) {
      made.push({ name, args, opts });
    }
  }
  const module = { exports: {} };
  new Function("require", "module", "exports", outputText)(
    (id: string) => (id === "pulumi-itniotech" ? { SipPhoneGroup } : undefined),
    module,
    module.exports,
  );
  return made;
}

it("YAML: every name comes back exactly through the example's validator; skipped names stay comments", () => {
  fc.assert(
    fc.property(
      name,
      name,
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ""),
      (groupName, skipped, appId) => {
        const file = parsePhoneGroups(renderYaml(appId, entries(groupName, skipped)), "x.yaml");
        expect(file.appId).toBe(appId);
        expect(file.groups).toEqual([
          {
            name: logicalName(groupName),
            groupName,
            phoneName: groupName,
            quantity: 7,
            displayNum: "8610000000",
            adopt: true,
            retainOnDelete: true,
          },
        ]);
      },
    ),
    { numRuns: 200 },
  );
});

it("TypeScript: the program compiles and declares exactly the adoptable group, retained", () => {
  fc.assert(
    fc.property(name, name, (groupName, skipped) => {
      expect(declarations(renderProgram("app-1", entries(groupName, skipped)))).toEqual([
        {
          name: logicalName(groupName),
          args: {
            appId: "app-1",
            groupName,
            phoneName: groupName,
            quantity: 7,
            displayNum: "8610000000",
            adopt: true,
          },
          opts: { retainOnDelete: true },
        },
      ]);
    }),
    { numRuns: 60 }, // each run compiles a program (~25 ms),
  );
});

it.each([
  ["a line break", "evil\n  - name: injected"],
  ["U+2028, a JavaScript line terminator", "x\u2028new SipPhoneGroup('x');"],
  ["a YAML comment and quotes", 'a "quoted" # not a comment'],
  ["a byte-order mark and C1 controls", "\ufeffname\u0085\u009f"],
  ["an emoji", "📞 hotline"],
])("a group name with %s cannot change either file's shape", (_what, groupName) => {
  const yaml = parsePhoneGroups(renderYaml("app", entries(groupName, groupName)), "x.yaml");
  expect(yaml.groups.map((g) => g.groupName)).toEqual([groupName]);
  expect(
    declarations(renderProgram("app", entries(groupName, groupName))).map((d) => d.args["groupName"]),
  ).toEqual([groupName]);
});
