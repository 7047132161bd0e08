/**
 * How `npm start` finds a Pulumi CLI and judges it (scripts/pulumiCli.ts), with
 * stand-in `pulumi` executables: where it looks and in which order, and a one-line
 * reason for every unusable answer (what was wrong with the output, or the version
 * that is too old).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findPulumi, pinnedCli, probePulumi, pulumiCandidates, pulumiEnv } from "../../scripts/pulumiCli";
import { MINIMUM_PULUMI } from "../../sdk/compat";
import { fakeCli, NODE_DIR, tempDir } from "../helpers/fakePulumi";

const ROOT = path.resolve(__dirname, "../..");

/** A cache holding a stand-in for the pinned build, where tools/pulumi-cli/build.sh puts it. */
function builtCache(body: string): { cache: string; command: string } {
  const cache = tempDir("cache");
  const { command } = pinnedCli({ ITNIOTECH_PULUMI_CACHE: cache });
  mkdirSync(path.dirname(command), { recursive: true });
  writeFileSync(command, `#!${process.execPath}\n${body}\n`);
  chmodSync(command, 0o755);
  return { cache, command };
}

it("prefers a pulumi on PATH, never one in node_modules/.bin (which npm run puts first), then the pinned build", () => {
  const onPath = fakeCli('console.log("v3.999.0")');
  const bin = path.join(ROOT, "node_modules", ".bin");
  const npmBin = fakeCli('console.log("v3.998.0")');
  const built = builtCache('console.log("v3.276.0")');
  const env = {
    PATH: [path.join(npmBin.dir, "node_modules", ".bin"), bin, onPath.dir].join(path.delimiter),
    ITNIOTECH_PULUMI_CACHE: built.cache,
  };
  expect(pulumiCandidates(env)).toEqual([
    { command: onPath.command, source: "path" },
    { command: built.command, source: "built" },
  ]);
  expect(pulumiCandidates({ PATH: NODE_DIR, ITNIOTECH_PULUMI_CACHE: built.cache })).toEqual([
    { command: built.command, source: "built" },
  ]);
});

it("the pinned build lives outside the repository, named for the version tools/pulumi-cli/go.mod pins", () => {
  const pinned = pinnedCli({ HOME: "/home/ops" });
  expect(pinned.version).toMatch(/^v3\.\d+\.\d+$/);
  expect(pinned.dir).toBe(`/home/ops/.cache/pulumi-itniotech/pulumi-${pinned.version}`);
  expect(pinnedCli({ HOME: "/home/ops", XDG_CACHE_HOME: "/var/cache" }).dir).toBe(
    `/var/cache/pulumi-itniotech/pulumi-${pinned.version}`,
  );
  expect(pinnedCli({ ITNIOTECH_PULUMI_CACHE: "/opt/p" }).command).toBe(
    `/opt/p/pulumi-${pinned.version}/pulumi`,
  );
});

it("runs Pulumi with the CLI's own folder first on PATH, no update check and no plugin download", () => {
  const env = pulumiEnv(
    { command: "/opt/p/pulumi", source: "built" },
    { PATH: "/usr/bin:/opt/p", HOME: "/h" },
  );
  expect(env).toEqual({
    PATH: ["/opt/p", "/usr/bin"].join(path.delimiter),
    HOME: "/h",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });
});

it("uses ITNIOTECH_PULUMI_CLI alone when it is set", () => {
  const chosen = fakeCli('console.log("v3.1.0")');
  expect(pulumiCandidates({ PATH: NODE_DIR, ITNIOTECH_PULUMI_CLI: chosen.command })).toEqual([
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
  const built = builtCache('console.log("v3.1.0")');
  const env = {
    PATH: [broken.dir, NODE_DIR].join(path.delimiter),
    ITNIOTECH_PULUMI_CLI: "",
    ITNIOTECH_PULUMI_CACHE: built.cache,
  };
  const result = findPulumi(env, { timeoutMs: 10_000 });
  expect(result).toEqual({
    problems: [
      `PATH (${broken.command}): 'pulumi version' exited with code 2: broken install`,
      `the pinned build (tools/pulumi-cli) (${built.command}): Pulumi v3.1.0 is older than ${MINIMUM_PULUMI}, the first whose engine hands a dynamic provider the stack config; upgrade it`,
    ],
  });
});

it("says how to build the pinned CLI when it is not built and building was not asked for", () => {
  const env = { PATH: NODE_DIR, ITNIOTECH_PULUMI_CACHE: tempDir("empty-cache") };
  expect(findPulumi(env)).toEqual({
    problems: [
      "PATH: no 'pulumi' found",
      "the pinned build (tools/pulumi-cli): not built (bash tools/pulumi-cli/build.sh builds it)",
    ],
  });
});

it("without Go, building the pinned CLI fails with one line that says what to install", () => {
  // PATH without go (node only); the build script stops before touching anything.
  const env = {
    PATH: [NODE_DIR, "/usr/bin", "/bin"].filter((d) => !existsSync(path.join(d, "go"))).join(path.delimiter),
    ITNIOTECH_PULUMI_CACHE: tempDir("nogo-cache"),
    HOME: tempDir("home"),
  };
  const result = findPulumi(env, { build: true, buildOutput: "pipe" });
  expect(result).toEqual({
    problems: [
      "PATH: no 'pulumi' found",
      "the pinned build (tools/pulumi-cli): no Go toolchain on PATH, so the Pulumi CLI cannot be built here; install Go 1.26 or later, or install the Pulumi CLI the usual way (https://www.pulumi.com/docs/install/) and put 'pulumi' on PATH",
    ],
  });
});

it("an old CLI chosen with ITNIOTECH_PULUMI_CLI is refused, not used", () => {
  const old = fakeCli('console.log("v3.100.0")');
  const result = findPulumi({ PATH: NODE_DIR, ITNIOTECH_PULUMI_CLI: old.command });
  expect(result).toEqual({
    problems: [
      `ITNIOTECH_PULUMI_CLI (${old.command}): Pulumi v3.100.0 is older than ${MINIMUM_PULUMI}, the first whose engine hands a dynamic provider the stack config; upgrade it`,
    ],
  });
});
