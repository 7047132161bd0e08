/**
 * `itniotech export` in-process against an emulator on port 0: what a team
 * onboarding an application's existing groups gets, judged by the groups-from-yaml
 * example's own validator, the platform's state and the emulator's request log.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";

// The modules themselves (not import's namespace copies), so a spy reaches the command's calls.
const fs = require("node:fs") as typeof import("node:fs");
const fsp = require("node:fs/promises") as typeof import("node:fs/promises");
import { tmpdir } from "node:os";
import path from "node:path";
import { parsePhoneGroups } from "../../examples/groups-from-yaml/phone-groups";
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorEnv, itniotech } from "../helpers/cli";
import { CanaryScan } from "../helpers/leaks";

const APP = "export-app";
const dir = mkdtempSync(path.join(tmpdir(), "itniotech-export-"));

/** Groups as a console or a script made them: spaces, non-ASCII, and sizes from 1 to 50. */
const SEEDED = [
  { groupName: "sales", phoneName: "salesphone", quantity: 10, displayNum: "8610000001" },
  { groupName: "Front Desk", phoneName: "front desk phone", quantity: 3, displayNum: "8610000002" },
  { groupName: "话机组一", phoneName: "话机一号", quantity: 50, displayNum: "8610000003" },
  { groupName: "Zürich Büro", phoneName: "zuerich", quantity: 1, displayNum: "41440000000" },
  { groupName: "front-desk", phoneName: "frontdesk2", quantity: 2, displayNum: "8610000004" },
];

let emulator: Emulator;

beforeAll(async () => {
  // Groups no sipAdd could make, as scripts or the console leave them: one with two
  // phone names, one with two caller IDs, one whose phone name is the vendor
  // sample's 3 characters. Written as the emulator's data file.
  const phone = (groupName: string, phoneName: string, n: number, displayNum: string) => ({
    appId: APP,
    groupName,
    phoneName,
    account: `${phoneName}_${String(n).padStart(3, "0")}`,
    password: `Pw${groupName.length}${phoneName}${n}x`.replace(/\s/g, ""),
    displayNum,
  });
  const dataFile = path.join(dir, "platform.json");
  writeFileSync(
    dataFile,
    JSON.stringify({
      version: 1,
      phones: [
        phone("mixed names", "mixa", 1, "8620000000"),
        phone("mixed names", "mixb", 1, "8620000000"),
        phone("two caller ids", "callers", 1, "8620000001"),
        phone("two caller ids", "callers", 2, "8620000002"),
        phone("vendor sample", "sip", 1, "8620000003"),
      ],
    }),
  );
  emulator = await startEmulator({ port: 0, dataFile });
  for (const group of SEEDED) emulator.seedGroup({ appId: APP, ...group });
});
afterAll(() => emulator.close());

const env = () => emulatorEnv(emulator);
const PLATFORM_PHONES = SEEDED.reduce((n, g) => n + g.quantity, 0) + 5;

it("writes one adoptable, retained declaration per group in the groups-from-yaml format, from one paged scan", async () => {
  emulator.resetCounters();
  const { code, stdout, stderr } = await itniotech(["export", "--app", APP], { env: env() });
  expect({ code, stderr }).toMatchObject({ code: 0 });

  const file = parsePhoneGroups(stdout, "phone-groups.yaml");
  expect(file.appId).toBe(APP);
  expect(
    file.groups.map(({ groupName, phoneName, quantity, displayNum }) => ({
      groupName,
      phoneName,
      quantity,
      displayNum,
    })),
  ).toEqual([...SEEDED].sort((a, b) => (a.groupName < b.groupName ? -1 : 1)));
  for (const group of file.groups) {
    expect(group).toMatchObject({ adopt: true, retainOnDelete: true });
    expect(Object.keys(group)).toEqual([
      "name",
      "groupName",
      "phoneName",
      "quantity",
      "displayNum",
      "adopt",
      "retainOnDelete",
    ]);
  }
  // The file says why it retains, and how to remove a group on purpose.
  expect(stdout).toMatch(/retainOnDelete: false.*pulumi up/s);
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: Math.ceil(PLATFORM_PHONES / 100), sipReset: 0 });
});

it("writes the groups adoption cannot match as comments with the reason, and counts them on stderr", async () => {
  const { code, stdout, stderr } = await itniotech(["export", "--app", APP], { env: env() });
  expect(code).toBe(0);
  const comments = stdout.split("\n").filter((line) => /^\s*#/.test(line));
  expect(comments.join("\n")).toMatch(
    /Not exported: "mixed names" \(2 phones\) cannot be adopted:\n\s*#\s+- its phones have 2 different phone names \("mixa", "mixb"\)/,
  );
  expect(comments.join("\n")).toMatch(
    /"two caller ids" \(2 phones\).*\n.*2 different caller IDs \(displayNum\) \("8620000001", "8620000002"\)/,
  );
  expect(comments.join("\n")).toMatch(
    /"vendor sample" \(1 phones\).*\n.*phoneName must be 4-32 characters long \(got 3\): phoneName is "sip"/,
  );
  // Commented out, not declared: the validator sees only the adoptable groups.
  expect(parsePhoneGroups(stdout, "x.yaml").groups.map((g) => g.groupName)).not.toContain("mixed names");
  expect(stderr).toContain(`8 groups (${PLATFORM_PHONES} phones) on the platform`);
  expect(stderr).toContain("5 declarations written");
  expect(stderr).toContain("3 groups cannot be adopted, written as comments:");
  expect(stderr).toMatch(/"mixed names": its phones have 2 different phone names/);
});

it("never prints a password", async () => {
  const scan = new CanaryScan();
  for (const phone of emulator.phones(APP)) scan.add(`password of ${phone.account}`, phone.password);
  expect(scan.size).toBeGreaterThan(0);
  for (const format of ["yaml", "ts"]) {
    const { stdout, stderr } = await itniotech(["export", "--app", APP, "--format", format], { env: env() });
    expect(scan.find(stdout + stderr)).toEqual([]);
  }
});

it("gives valid, unique logical names that stay the same between runs and filters", async () => {
  const first = await itniotech(["export", "--app", APP], { env: env() });
  const second = await itniotech(["export", "--app", APP], { env: env() });
  // Byte for byte: a scheduled export shows only real changes in git.
  expect(second.stdout).toBe(first.stdout);
  const names = parsePhoneGroups(first.stdout, "x.yaml").groups.map((g) => [g.groupName, g.name]);
  expect(new Set(names.map(([, name]) => name)).size).toBe(names.length);
  expect(Object.fromEntries(names)).toMatchObject({
    sales: "sales",
    "front-desk": "front-desk",
    "Front Desk": expect.stringMatching(/^Front-Desk-[0-9a-f]{8}$/),
    "Zürich Büro": expect.stringMatching(/^Zurich-Buro-[0-9a-f]{8}$/),
    话机组一: expect.stringMatching(/^group-[0-9a-f]{8}$/),
  });
  const filtered = await itniotech(["export", "--app", APP, "--include", "^[^s]", "--exclude", "Zürich"], {
    env: env(),
  });
  const kept = parsePhoneGroups(filtered.stdout, "x.yaml").groups.map((g) => [g.groupName, g.name]);
  expect(kept.map(([groupName]) => groupName)).toEqual(["Front Desk", "front-desk", "话机组一"]);
  expect(kept).toEqual(names.filter(([groupName]) => kept.some(([g]) => g === groupName)));
  expect(filtered.stderr).toContain("2 groups left out by --include/--exclude.");
});

it("--format ts writes a Pulumi program with one SipPhoneGroup per adoptable group", async () => {
  const { code, stdout } = await itniotech(["export", "--app", APP, "--format", "ts"], { env: env() });
  expect(code).toBe(0);
  expect(stdout).toContain('import { SipPhoneGroup } from "pulumi-itniotech";');
  expect(stdout).toContain(`const appId = "${APP}";`);
  expect(stdout.match(/^new SipPhoneGroup\($/gm)).toHaveLength(SEEDED.length);
  expect(stdout.match(/^ {2}\{ retainOnDelete: true \},$/gm)).toHaveLength(SEEDED.length);
  expect(stdout.match(/^ {4}adopt: true,$/gm)).toHaveLength(SEEDED.length);
  expect(stdout).toContain('groupName: "话机组一",');
  expect(stdout).toMatch(/^\/\/ Not exported: "mixed names"/m);
  // What the program declares is checked by running it (tests/e2e/fleet-roundtrip.test.ts).
});

it("--out writes the file and leaves standard output empty", async () => {
  const out = path.join(dir, "phone-groups.yaml");
  const { code, stdout, stderr } = await itniotech(["export", "--app", APP, "--out", "phone-groups.yaml"], {
    env: env(),
    cwd: dir,
  });
  expect(code).toBe(0);
  expect(stdout).toBe("");
  expect(stderr).toContain("written (");
  expect(stderr).toContain("to phone-groups.yaml");
  expect(parsePhoneGroups(readFileSync(out, "utf8"), "phone-groups.yaml").groups).toHaveLength(SEEDED.length);
});

it("--out is atomic: a write that fails part-way (EFBIG) leaves the previous file whole and no temporary file", async () => {
  const out = path.join(dir, "kept.yaml");
  const previous = "# the previous export: 60 groups\nappId: export-app\ngroups: []\n";
  writeFileSync(out, previous);
  // Whatever primitive the command writes with fails after half of the text, as a
  // file-size limit or a full disk does.
  const efbig = () => Object.assign(new Error("EFBIG: file too large, write"), { code: "EFBIG" });
  const realWrite = fs.writeFileSync;
  const sync = jest.spyOn(fs, "writeFileSync").mockImplementation((file, data, options) => {
    realWrite(file, String(data).slice(0, String(data).length / 2), options);
    throw efbig();
  });
  const realOpen = fsp.open;
  const opened = jest.spyOn(fsp, "open").mockImplementation(async (file, flags, mode) => {
    const handle = await realOpen(file, flags, mode);
    if (flags !== "w") return handle;
    return Object.assign(Object.create(handle) as typeof handle, {
      writeFile: async (data: string) => {
        await handle.writeFile(data.slice(0, data.length / 2));
        throw efbig();
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    });
  });
  try {
    const { code, stderr } = await itniotech(["export", "--app", APP, "--out", "kept.yaml"], {
      env: env(),
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot write --out ${out}: EFBIG`);
  } finally {
    sync.mockRestore();
    opened.mockRestore();
  }
  expect(readFileSync(out, "utf8")).toBe(previous);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith("kept.yaml"))).toEqual(["kept.yaml"]);
});

it("a platform name longer than the vendor documents is never matched against a user's pattern, and is reported", async () => {
  // 'office.*desk' backtracks quadratically over a long name without "desk": 200,000
  // characters took 7 s, and a listing can hold thousands of such pages.
  const app = "long-names-app";
  const long = `office ${"x".repeat(20_000)}`;
  emulator.seedGroup({
    appId: app,
    groupName: long,
    phoneName: "longname",
    quantity: 1,
    displayNum: "8610000000",
  });
  emulator.seedGroup({
    appId: app,
    groupName: "office front desk",
    phoneName: "frontdesk9",
    quantity: 1,
    displayNum: "8610000000",
  });
  const tested: number[] = [];
  const test = RegExp.prototype.test;
  const spy = jest.spyOn(RegExp.prototype, "test").mockImplementation(function (this: RegExp, text: string) {
    if (this.source === "office.*desk") tested.push(text.length);
    return test.call(this, text);
  });
  try {
    const { code, stdout, stderr } = await itniotech(["export", "--app", app, "--include", "office.*desk"], {
      env: env(),
    });
    expect(code).toBe(0);
    expect(tested).toEqual(["office front desk".length]);
    expect(parsePhoneGroups(stdout, "x.yaml").groups.map((g) => g.groupName)).toEqual(["office front desk"]);
    expect(stderr).toContain(
      "1 group left out unmatched: its name has more than 32 characters (the vendor documents 4–32); export without --include/--exclude to see it as comments.",
    );
  } finally {
    spy.mockRestore();
  }
});

it("an empty application gives a valid file with no groups", async () => {
  const { code, stdout, stderr } = await itniotech(["export", "--app", "no-such-app"], { env: env() });
  expect(code).toBe(0);
  expect(parsePhoneGroups(stdout, "x.yaml")).toEqual({ appId: "no-such-app", groups: [] });
  expect(stderr).toContain("0 groups (0 phones) on the platform");
});

it("shows progress on stderr only when it is a terminal", async () => {
  const quiet = await itniotech(["export", "--app", APP], { env: env() });
  expect(quiet.stderr).not.toContain("\r");
  const shown = await itniotech(["export", "--app", APP], { env: env(), tty: true });
  const redraw = "\r\x1b[K"; // back to the line's start, then erase it
  expect(shown.stderr.startsWith(`${redraw}Reading application "export-app": `)).toBe(true);
  expect(shown.stderr).toMatch(/Reading application "export-app": \d+ phones/);
  // The line is cleared before the summary.
  expect(shown.stderr).toContain(`${redraw}itniotech export:`);
  expect(shown.stdout).toBe(quiet.stdout);
});

it("the progress line moves while a slow page is awaited, at most every 100 ms", async () => {
  emulator.inject({ kind: "latency", ms: 450, endpoint: "sipQuery", times: 1 });
  const { stderr } = await itniotech(["export", "--app", APP], { env: env(), tty: true });
  const draws = stderr.match(/Reading application "export-app": [\d,]+ phones \((\d+\.\d) s\)/g) ?? [];
  expect(draws.length).toBeGreaterThanOrEqual(2);
  expect(draws.length).toBeLessThanOrEqual(8);
  expect(draws.at(-1)).not.toBe(draws[0]);
});
