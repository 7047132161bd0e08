/**
 * The package as a user gets it, outside this repository.
 *
 * The repository's sources (what a clean clone holds: tracked and new files, nothing
 * git ignores, so no dist/) are copied to a temporary folder and packed there with
 * `npm pack`, whose prepack builds dist/. The tarball is then installed with npm into
 * projects in the system's temporary folder, outside the repository: the README's
 * "Use it in your own project" files, and every example folder copied verbatim. Each
 * runs as `pulumi up` runs it (tests/helpers/engine.ts: Pulumi's language runtime and
 * the dynamic-provider host of the project's OWN installed @pulumi/pulumi, only the Go
 * CLI replaced) against the emulator of the installed package.
 *
 * npm installs use the local npm cache first (`--prefer-offline`); the registry is
 * asked only for what the cache lacks.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import path from "node:path";
import { CanaryScan } from "../helpers/leaks";
import { isSecret, reveal } from "../helpers/values";
import { pulumiUp, type UpResult } from "../helpers/engine";
import { tempDir } from "../helpers/fakePulumi";
import type * as emulatorModule from "../../emulator";
import { seedConsoleGroup } from "../helpers/consoleGroup";
import { npm, npmEnv, packCleanCheckout } from "../helpers/pack";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const PASSWORD = "pulumi-nodejs:dynamic/itniotech:SipPhonePassword";
/** Packing builds the whole project; an install may fetch from the registry. */
const SLOW = 600_000;

/** The fenced code block after each `<!-- file: NAME -->` marker in README.md, by NAME. */
function readmeFiles(): Record<string, string> {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const files: Record<string, string> = {};
  for (const match of readme.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)) {
    files[match[1] as string] = match[2] as string;
  }
  return files;
}

let work: string;
let tarball: string;
let packed: string[];
/** What the run saw, printed at the end: the figures a reviewer asks for (issue 12). */
const report: string[] = [];

beforeAll(() => {
  work = realpathSync(tempDir("package"));
  const pack = packCleanCheckout(work);
  tarball = pack.tarball;
  packed = pack.files;
  report.push(
    `npm pack of a clean checkout: ${pack.filename} — ${packed.length} files, ${(pack.size / 1000).toFixed(1)} kB`,
    `  ${[...new Set(packed.map((f) => f.split("/").slice(0, 2).join("/")))].join(", ")}`,
    "| project (outside the repository) | npm install s | up exit | resources | sipAdd | sipQuery | sipReset | outputs |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
  );
}, SLOW);

afterAll(() => {
  if (report.length > 0) console.log(report.join("\n"));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Seconds each project's `npm install <tarball>` took, by folder. */
const installSeconds = new Map<string, number>();

describe("npm pack of a clean checkout", () => {
  it("builds the library and packs what users need", () => {
    expect(existsSync(tarball)).toBe(true);
    for (const file of [
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      "docs/voice-api.md",
      "bin/itniotech-emulator.js",
      "bin/itniotech.js",
      "dist/cli/index.js",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/provider/index.js",
      "dist/emulator/index.js",
      "dist/emulator/cli.js",
      "dist/protocol/index.js",
    ])
      expect(packed).toContain(file);
  });

  it("and nothing users do not need: no tests, sources, maps, scripts, benchmarks or repository tooling", () => {
    const allowed = [
      /^(package\.json|README\.md|CHANGELOG\.md|CONTRIBUTING\.md|LICENSE)$/,
      /^bin\/[\w-]+\.js$/,
      /^dist\/(sdk|provider|emulator|protocol|policy|cli)\/.+\.(js|d\.ts)$/,
      /^policy-pack\//,
      /^docs\/[\w-]+\.md$/,
      /^emulator\/README\.md$/,
      /^examples\//,
    ];
    expect(packed.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
    expect(packed.filter((file) => /\.map$|^tests\/|^dist\/(scripts|bench)\//.test(file))).toEqual([]);
  });

  it("every relative link in the README points at a file in the package", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(links.length).toBeGreaterThan(5);
    const broken = links.filter(
      (target) => !packed.some((file) => file === target || file.startsWith(`${target.replace(/\/$/, "")}/`)),
    );
    expect(broken).toEqual([]);
  });
});

/** A project folder in the system's temporary folder, with the packed package installed. */
function install(name: string, files: Record<string, string> | string): string {
  const dir = path.join(work, name);
  if (typeof files === "string") cpSync(files, dir, { recursive: true });
  else {
    mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  }
  expect(path.relative(ROOT, dir).startsWith("..")).toBe(true);
  const started = Date.now();
  npm(dir, ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball]);
  installSeconds.set(dir, (Date.now() - started) / 1000);
  // The package came from the tarball, not from a link back into the repository.
  const installed = realpathSync(path.join(dir, "node_modules", "pulumi-itniotech"));
  expect(installed).toBe(path.join(dir, "node_modules", "pulumi-itniotech"));
  return dir;
}

/**
 * The emulator of the installed package, its `pulumi-itniotech/emulator` export, as
 * the project's own code would require it. (A plain require.resolve from this file
 * would find the repository itself first: Node resolves a package's own name through
 * its "exports" before looking in node_modules.)
 */
function installedEmulator(dir: string): typeof emulatorModule {
  const fromProject = createRequire(path.join(dir, "package.json"));
  const file = fromProject.resolve("pulumi-itniotech/emulator");
  expect(file).toBe(path.join(dir, "node_modules", "pulumi-itniotech", "dist", "emulator", "index.js"));
  return fromProject(file) as typeof emulatorModule;
}

async function upAgainstEmulator(
  dir: string,
  config: (baseUrl: string) => Record<string, string>,
  prepare: (emulator: emulatorModule.Emulator) => void = () => undefined,
  /** More API keys the emulator accepts (other accounts), and more secret config keys. */
  more: { credentials?: emulatorModule.Credential[]; secretKeys?: string[] } = {},
): Promise<{ result: UpResult; emulator: emulatorModule.Emulator }> {
  const { startEmulator, DEMO_CREDENTIALS } = installedEmulator(dir);
  const emulator = await startEmulator({
    port: 0,
    credentials: [DEMO_CREDENTIALS, ...(more.credentials ?? [])],
  });
  prepare(emulator);
  try {
    const result = await pulumiUp(path.join(dir, "Pulumi.yaml"), {
      config: {
        "itniotech:apiKey": DEMO_CREDENTIALS.apiKey,
        "itniotech:apiSecret": DEMO_CREDENTIALS.apiSecret,
        "itniotech:baseUrl": emulator.baseUrl,
        ...config(emulator.baseUrl),
      },
      secretKeys: ["itniotech:apiSecret", ...(more.secretKeys ?? [])],
      timeoutMs: 240_000,
    });
    const errors = result.logs.filter((l) => l.severity === "error").map((l) => l.message);
    const calls = emulator.counters();
    report.push(
      `| ${path.basename(dir)} | ${installSeconds.get(dir)?.toFixed(1) ?? "?"} | ${result.code} | ${result.resources.length} | ` +
        `${calls.sipAdd} | ${calls.sipQuery} | ${calls.sipReset} | ${Object.keys(result.outputs).sort().join(", ")} |`,
    );
    expect({ code: result.code, errors }).toEqual({ code: 0, errors: [] });
    // No stack output may be undefined (it would show as nothing, or vanish).
    expect(
      Object.entries(result.outputs).filter(([, value]) => value === undefined || value === null),
    ).toEqual([]);
    return { result, emulator };
  } catch (e) {
    await emulator.close();
    throw e;
  }
}

const currentPasswords = (emulator: emulatorModule.Emulator, appId: string) =>
  Object.fromEntries(emulator.phones(appId).map((p) => [p.account, p.password]));

it(
  "the README's own project, installed from the tarball outside the repository, runs pulumi up against the emulator",
  async () => {
    const files = readmeFiles();
    expect(Object.keys(files).sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const dir = install("my-phones", files);
    // The emulator's command, linked by npm from the package's bin.
    const help = spawnSync(path.join(dir, "node_modules", ".bin", "itniotech-emulator"), ["--help"], {
      encoding: "utf8",
    });
    expect(help.stdout).toMatch(/^Usage: itniotech-emulator/);
    // And the fleet command (`npx itniotech`).
    const fleet = spawnSync(path.join(dir, "node_modules", ".bin", "itniotech"), ["--help"], {
      encoding: "utf8",
    });
    expect(fleet.stdout).toMatch(/^Usage: itniotech <command>/);
    const { result, emulator } = await upAgainstEmulator(dir, () => ({ "phones:appId": "team-app" }));
    try {
      expect(result.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual(["office"]);
      const accounts = result.outputs["accounts"] as string[];
      expect(accounts).toHaveLength(10);
      expect(isSecret(result.outputs["passwords"])).toBe(true);
      expect(reveal(result.outputs["passwords"])).toEqual(currentPasswords(emulator, "team-app"));
    } finally {
      await emulator.close();
    }
  },
  SLOW,
);

const EXAMPLES = readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(path.join(ROOT, "examples", entry.name, "Pulumi.yaml")),
  )
  .map((entry) => entry.name)
  .sort();

it("every example folder is a complete project of its own", () => {
  expect(EXAMPLES).toEqual([
    "adopt",
    "groups-from-yaml",
    "multi-account",
    "no-passwords-in-state",
    "quickstart",
    "rotation",
    "testing",
  ]);
  for (const name of EXAMPLES) {
    const dir = path.join(ROOT, "examples", name);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["pulumi-itniotech"]).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(existsSync(path.join(dir, "tsconfig.json"))).toBe(true);
    // Nothing reaches outside the folder: no ../ in its project files or imports.
    for (const file of readdirSync(dir).filter((f) => /\.(ts|json|ya?ml)$/.test(f))) {
      expect({ file, outside: /["'`(\s]\.\.\//.test(readFileSync(path.join(dir, file), "utf8")) }).toEqual({
        file,
        outside: false,
      });
    }
  }
});

describe.each(EXAMPLES)("examples/%s, copied verbatim outside the repository", (name) => {
  let dir: string;
  beforeAll(() => {
    dir = install(`example-${name}`, path.join(ROOT, "examples", name));
  }, SLOW);

  const checks: Record<string, () => Promise<void>> = {
    quickstart: async () => {
      const { result, emulator } = await upAgainstEmulator(dir, () => ({}));
      try {
        expect((result.outputs["accounts"] as string[]).length).toBe(3);
        expect(reveal(result.outputs["passwords"])).toEqual(currentPasswords(emulator, "demo-app"));
      } finally {
        await emulator.close();
      }
    },
    rotation: async () => {
      const { result, emulator } = await upAgainstEmulator(dir, () => ({}));
      try {
        expect(result.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack")).toEqual([
          GROUP,
          PASSWORD,
        ]);
        expect(Object.keys(result.outputs).sort()).toEqual(
          ["accounts", "deskAccount", "deskPassword", "lastRotation", "passwords", "passwordsSetAt"].sort(),
        );
        expect(result.outputs["lastRotation"]).toBe("never");
        // rotateAfter: "90d" counts from the create.
        expect(typeof result.outputs["passwordsSetAt"]).toBe("string");
        // After the first up, every password in the output is the one the platform
        // holds, the desk phone's (reset after the group was read) included.
        expect(isSecret(result.outputs["passwords"])).toBe(true);
        expect(reveal(result.outputs["passwords"])).toEqual(currentPasswords(emulator, "demo-app"));
        expect(emulator.counters().sipReset).toBe(1);
      } finally {
        await emulator.close();
      }
    },
    "no-passwords-in-state": async () => {
      const { result, emulator } = await upAgainstEmulator(dir, () => ({}));
      try {
        expect(Object.keys(result.outputs).sort()).toEqual(
          ["accounts", "groupName", "passwordFingerprints", "passwordsSetAt"].sort(),
        );
        const group = result.resources.find((r) => r.type === GROUP);
        expect(group?.outputs).not.toHaveProperty("passwords");
        const fingerprints = result.outputs["passwordFingerprints"] as Record<string, string>;
        expect(isSecret(fingerprints)).toBe(false);
        expect(Object.keys(fingerprints)).toEqual(result.outputs["accounts"]);
        for (const fp of Object.values(fingerprints)) expect(fp).toMatch(/^v1:[\w-]{8}:[\w-]{43}$/);
        const passwords = currentPasswords(emulator, "demo-app");
        // No password in any encoding in what the up produced: state, outputs, logs, output.
        const scan = new CanaryScan();
        for (const password of Object.values(passwords)) scan.add("password", password);
        expect(scan.find(JSON.stringify(result))).toEqual([]);

        // ./deliver.sh, verbatim: the installed `itniotech passwords` into a file only its owner reads.
        const { DEMO_CREDENTIALS } = installedEmulator(dir);
        // Asynchronously: the emulator answering it runs in this process (spawnSync would block it).
        const delivered = await execFileAsync("sh", ["deliver.sh", result.outputs["groupName"] as string], {
          cwd: dir,
          env: {
            ...npmEnv(),
            ITNIOTECH_API_KEY: DEMO_CREDENTIALS.apiKey,
            ITNIOTECH_API_SECRET: DEMO_CREDENTIALS.apiSecret,
            ITNIOTECH_BASE_URL: emulator.baseUrl,
          },
          encoding: "utf8",
          timeout: SLOW,
        });
        expect({ stdout: delivered.stdout, stderr: delivered.stderr }).toEqual({
          stdout: "",
          stderr: `delivered the passwords of ${result.outputs["groupName"] as string} to secrets/office.json\n`,
        });
        const file = path.join(dir, "secrets", "office.json");
        expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(passwords);
        expect(statSync(file).mode & 0o777).toBe(0o600);
      } finally {
        await emulator.close();
      }
    },
    "groups-from-yaml": async () => {
      const { result, emulator } = await upAgainstEmulator(dir, () => ({}));
      try {
        expect(result.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual([
          "sales",
          "support",
        ]);
        expect(emulator.phones("demo-app")).toHaveLength(15);
        // The GitOps program exports no passwords (pulumi/actions makes outputs step outputs).
        expect(Object.keys(result.outputs)).toEqual(["accounts"]);
      } finally {
        await emulator.close();
      }
    },
    adopt: async () => {
      let seeded: Array<{ account: string; password: string }> = [];
      const { result, emulator } = await upAgainstEmulator(
        dir,
        () => ({}),
        (e) => {
          seeded = seedConsoleGroup(e);
        },
      );
      try {
        expect(reveal(result.outputs["passwords"])).toEqual(
          Object.fromEntries(seeded.map((p) => [p.account, p.password])),
        );
        expect(emulator.counters().sipAdd).toBe(0);
      } finally {
        await emulator.close();
      }
    },
    "multi-account": async () => {
      // A second account that owns its application, as the example's README runs it.
      const emea = { apiKey: "emea-key", apiSecret: "emea-secret-change-me" };
      const { result, emulator } = await upAgainstEmulator(
        dir,
        () => ({ "itniotech:accounts": JSON.stringify({ emea }) }),
        undefined,
        { credentials: [{ ...emea, appIds: ["emea-app"] }], secretKeys: ["itniotech:accounts"] },
      );
      try {
        expect(result.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack")).toEqual([
          GROUP,
          GROUP,
          PASSWORD,
        ]);
        expect(result.outputs["hqAccounts"]).toEqual(
          emulator
            .phones("demo-app")
            .map((p) => p.account)
            .sort(),
        );
        expect(result.outputs["emeaAccounts"]).toEqual(
          emulator
            .phones("emea-app")
            .map((p) => p.account)
            .sort(),
        );
        expect(isSecret(result.outputs["emeaDeskPassword"])).toBe(true);
        expect(result.outputs["emeaGroupsBefore"]).toEqual([]);
        // Each account's calls with its own key.
        const keys = new Set(
          emulator.requests().map((l) => `${l.apiKey} ${l.subject?.startsWith("emea") ?? false}`),
        );
        expect(keys).toEqual(new Set(["demo-key false", "emea-key true"]));
      } finally {
        await emulator.close();
      }
    },
    testing: async () => {
      // Its own unit tests (npm test: setMocks, rules, the provider's check)...
      const tests = spawnSync("npm", ["test"], { cwd: dir, env: npmEnv(), encoding: "utf8", timeout: SLOW });
      expect({ status: tests.status, summary: /# pass \d+\n# fail \d+/.exec(tests.stdout)?.[0] }).toEqual({
        status: 0,
        summary: "# pass 4\n# fail 0",
      });
      // ...and the program itself.
      const { result, emulator } = await upAgainstEmulator(dir, () => ({}));
      try {
        expect(reveal(result.outputs["accounts"])).toEqual({
          sales: expect.any(Array),
          support: expect.any(Array),
        });
        expect(emulator.phones("demo-app")).toHaveLength(15);
      } finally {
        await emulator.close();
      }
    },
  };

  it(
    "installs the packed package and runs as pulumi up runs it",
    async () => {
      const check = checks[name];
      expect(check).toBeDefined();
      await check?.();
    },
    SLOW,
  );
});
