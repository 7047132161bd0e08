/**
 * `itniotech export`'s YAML read by a second, strict parser: PyYAML, which refuses a
 * whole file holding one character YAML does not allow (U+FFFE, U+FFFF, C0/C1
 * controls, lone surrogates), where the `yaml` package of the example's validator
 * (tests/cli/render.test.ts) is lenient. Every generated hostile group name must come
 * back exactly. Skipped, with the reason in the title, where python3 has no PyYAML.
 */
import { spawn, spawnSync } from "node:child_process";
import fc from "fast-check";
import type { ExportEntry } from "../../cli/declarations";
import { logicalName } from "../../cli/names";
import { renderYaml } from "../../cli/render";

const pyyaml = spawnSync("python3", ["-c", "import yaml; print(yaml.__version__)"], { encoding: "utf8" });
const available = pyyaml.status === 0;

/** What PyYAML reads back: the appId and each group's groupName, as JSON (surrogates escaped). */
function readBack(text: string): Promise<{ appId: string; groupNames: string[] }> {
  const script =
    "import json, sys, yaml\n" +
    "doc = yaml.safe_load(sys.stdin.buffer.read().decode('utf-8', 'surrogatepass'))\n" +
    "print(json.dumps({'appId': doc['appId'], 'groupNames': [g['groupName'] for g in doc['groups']]}))\n";
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.once("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { appId: string; groupNames: string[] })
        : reject(new Error(err)),
    );
    child.stdin.end(Buffer.from(text, "utf8"));
  });
}

/** Names YAML forbids raw, or that end lines somewhere, beside generated ones of any code point. */
const HOSTILE = [
  "desk\ufffe",
  "desk\uffff",
  "\ufeffbom desk",
  "c1 \u0085 next line",
  "del \u007f",
  "nul \u0000 and bell \u0007",
  "lone \ud800 high",
  "lone \udc00 low",
  "ls \u2028 ps \u2029",
  'quote " and \\ backslash',
  "# not a comment",
  "- not a list",
  "tab\tand\rcr\nlf",
  "📞 Hotline",
];

(available ? it : it.skip)(
  available
    ? `PyYAML ${pyyaml.stdout.trim()} reads every hostile group name back exactly from one exported file`
    : "PyYAML reads every hostile group name back exactly (skipped here: python3 has no PyYAML; pip install pyyaml)",
  async () => {
    const generated = fc.sample(
      fc.string({ unit: "binary", minLength: 4, maxLength: 32 }).filter((s) => s.trim() !== ""),
      { numRuns: 300, seed: 7 },
    );
    const names = [...new Set([...HOSTILE, ...generated])];
    const entries: ExportEntry[] = names.map((groupName, i) => ({
      declaration: {
        name: `${logicalName(groupName)}-${i}`,
        groupName,
        phoneName: groupName,
        quantity: 1,
        displayNum: "8610000000",
      },
    }));
    const back = await readBack(renderYaml("app\ufffe", entries));
    expect(back.appId).toBe("app\ufffe");
    expect(back.groupNames).toEqual(names);
  },
);
