/**
 * How `npm start` finds a Pulumi CLI and judges it (scripts/pulumiCli.ts), with
 * stand-in `pulumi` executables: where it looks and in which order, and a one-line
 * reason for every unusable answer (what was wrong with the output, or the version
 * that is too old).
 */
import path from "node:path";
import { findPulumi, probePulumi, pulumiCandidates } from "../../scripts/pulumiCli";
import { MINIMUM_PULUMI } from "../../sdk/compat";
import { fakeCli, NODE_DIR, tempDir } from "../helpers/fakePulumi";

const ROOT = path.resolve(__dirname, "../..");

it("prefers a pulumi on PATH over node_modules/.bin (which npm run puts first), then the npm package", () => {
  const onPath = fakeCli('console.log("v3.999.0")');
  const bin = path.join(ROOT, "node_modules", ".bin");
  const candidates = pulumiCandidates(ROOT, { PATH: [bin, onPath.dir].join(path.delimiter) });
  expect(candidates).toEqual([
    { command: onPath.command, source: "path" },
    { command: path.join(bin, "pulumi"), source: "npm" },
  ]);
});

it("uses ITNIOTECH_PULUMI_CLI alone when it is set", () => {
  const chosen = fakeCli('console.log("v3.1.0")');
  expect(pulumiCandidates(ROOT, { PATH: NODE_DIR, ITNIOTECH_PULUMI_CLI: chosen.command })).toEqual([
    { command: chosen.command, source: "env" },
  ]);
});

it.each([
  ["answers its version", 'console.log("v3.265.0")', { version: "v3.265.0" }],
  ["answers the minimum version", `console.log("v${MINIMUM_PULUMI}")`, { version: `v${MINIMUM_PULUMI}` }],
  ["answers a pre-release version", 'console.log("v3.266.0-alpha.x1")', { version: "v3.266.0-alpha.x1" }],
  [
    "fails, with its last stderr line",
    'console.error("pulumi: fetch failed"); process.exit(1)',
    { problem: "'pulumi version' exited with code 1: pulumi: fetch failed" },
  ],
  ["fails silently", "process.exit(4)", { problem: "'pulumi version' exited with code 4" }],
  [
    "prints something that is not a version",
    'console.log("hello")',
    { problem: "'pulumi version' printed \"hello\", which is not a version such as v3.139.0" },
  ],
  ["prints nothing", "", { problem: "'pulumi version' printed nothing" }],
  [
    "is older than the minimum",
    'console.log("v3.138.0")',
    {
      problem: `Pulumi v3.138.0 is older than ${MINIMUM_PULUMI}, the first whose engine hands a dynamic provider the stack config; upgrade it`,
    },
  ],
  ["never answers", "setTimeout(() => {}, 60000)", { problem: "no answer to 'pulumi version' within 1 s" }],
])("a CLI that %s", (_what, body, expected) => {
  const cli = fakeCli(body);
  expect(probePulumi({ command: cli.command, source: "path" }, { PATH: NODE_DIR }, 1000)).toEqual(expected);
});

it("skips unusable CLIs and says what each place answered, named for the user", () => {
  const broken = fakeCli('console.error("broken install"); process.exit(2)');
  const env = { PATH: [broken.dir, NODE_DIR].join(path.delimiter), ITNIOTECH_PULUMI_CLI: "" };
  const result = findPulumi(tempDir("root"), env, { timeoutMs: 10_000 });
  expect(result).toEqual({
    problems: [`PATH (${broken.command}): 'pulumi version' exited with code 2: broken install`],
  });
});

it("an old CLI chosen with ITNIOTECH_PULUMI_CLI is refused, not used", () => {
  const old = fakeCli('console.log("v3.100.0")');
  const result = findPulumi(tempDir("root"), { PATH: NODE_DIR, ITNIOTECH_PULUMI_CLI: old.command });
  expect(result).toEqual({
    problems: [
      `ITNIOTECH_PULUMI_CLI (${old.command}): Pulumi v3.100.0 is older than ${MINIMUM_PULUMI}, the first whose engine hands a dynamic provider the stack config; upgrade it`,
    ],
  });
});
