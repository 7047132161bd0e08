/**
 * The vendor's own PHP samples, taken from its sipAdd and sipReset pages at test
 * time, filled in as a user following the page would, pointed at an emulator on
 * port 0 and run with Debian's php-cli + php-curl. A client nobody on this team
 * wrote: what it sends (quantity as a JSON string, `Header:value` lines) is what
 * the real platform accepts. `.ci/run` installs PHP when apt can; where PHP or the
 * pages cannot be had, jest reports the tests as skipped, the reason in their titles.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import {
  fillPhpSample,
  findVendorPages,
  parseVarDump,
  phpSample,
  readVendorPage,
  type VendorPage,
} from "../helpers/vendorPages";

/** `php` on PATH with the curl extension, or why not. */
function findPhp(): { ok: true; version: string } | { ok: false; reason: string } {
  try {
    const out = execFileSync(
      "php",
      ["-r", 'echo PHP_VERSION, " ", extension_loaded("curl") ? "curl" : "-";'],
      {
        encoding: "utf8",
        timeout: 20_000,
        stdio: ["ignore", "pipe", "ignore"],
      },
    ).trim();
    const [version, curl] = out.split(" ");
    if (curl !== "curl")
      return { ok: false, reason: `php ${version} has no curl extension (apt-get install php-curl)` };
    return { ok: true, version: version ?? "?" };
  } catch {
    return { ok: false, reason: "no php on PATH (apt-get install php-cli php-curl)" };
  }
}

const php = findPhp();
const pages = findVendorPages();
const skipped = !php.ok ? php.reason : !pages.found ? pages.reason : undefined;
// Reported as skipped, not passed, where it cannot run: the count says what ran.
const withPhp = skipped ? it.skip : it;
const runs = (what: string) =>
  skipped ? `${what} (skipped here: ${skipped})` : `${what} (php ${php.ok ? php.version : ""})`;

let emulator: Emulator | undefined;
let work = "";
beforeAll(async () => {
  if (skipped) return;
  emulator = await startEmulator({ port: 0 });
  work = mkdtempSync(path.join(tmpdir(), "itniotech-php-"));
});
afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Fills and runs one page's PHP sample; returns the body it printed, parsed. */
async function runSample(
  page: VendorPage,
  placeholders: Record<string, string>,
  apiSecret: string = DEMO_CREDENTIALS.apiSecret,
): Promise<{ status: string; reason: string; data: unknown }> {
  if (!emulator || !pages.found) throw new Error("no emulator or pages");
  const code = fillPhpSample(phpSample(readVendorPage(pages.dir, page)), {
    baseUrl: emulator.baseUrl,
    apiKey: DEMO_CREDENTIALS.apiKey,
    apiSecret,
    placeholders,
  });
  const file = path.join(work, `${page}-${Date.now()}.php`);
  writeFileSync(file, code);
  const { stdout } = await promisify(execFile)("php", ["-f", file], { timeout: 20_000, encoding: "utf8" });
  const printed = parseVarDump(stdout);
  if ("failed" in printed) throw new Error(`the PHP sample's request failed: ${printed.failed}`);
  return JSON.parse(printed.body) as { status: string; reason: string; data: unknown };
}

const group = {
  appId: "phpSampleApp",
  groupName: "php-sample-group",
  phoneName: "phpdesk",
  quantity: "3",
  displayNum: "861000000",
};

withPhp(runs("the sipAdd page's PHP sample creates the group (quantity sent as a JSON string)"), async () => {
  const reply = await runSample("sipAdd", group);
  expect(reply).toEqual({ status: "0", reason: "success", data: null });
  expect(emulator?.groups(group.appId)).toEqual([
    { groupName: group.groupName, phoneName: group.phoneName, displayNum: group.displayNum, quantity: 3 },
  ]);
});

withPhp(runs("the sipReset page's PHP sample returns the account and its new password"), async () => {
  const seeded = emulator?.seedGroup({
    appId: "phpResetApp",
    groupName: "php-reset-group",
    phoneName: "phpreset",
    quantity: 2,
    displayNum: "8610000000",
  });
  const before = seeded?.[1];
  if (!before) throw new Error("seedGroup returned no phones");
  const reply = await runSample("sipReset", { appId: "phpResetApp", account: before.account });
  expect(reply.status).toBe("0");
  const after = emulator?.phones("phpResetApp").find((p) => p.account === before.account);
  expect(reply.data).toEqual({ account: before.account, password: after?.password });
  expect(after?.password).not.toBe(before.password);
});

withPhp(runs("either sample signed with a wrong secret gets -1"), async () => {
  const appId = "phpWrongSecretApp";
  const [phone] = emulator?.seedGroup({ ...group, appId, quantity: 1 }) ?? [];
  if (!phone) throw new Error("seedGroup returned no phones");
  const added = await runSample(
    "sipAdd",
    { ...group, appId, groupName: "php-wrong-secret" },
    "not-the-secret",
  );
  expect(added).toEqual({ status: "-1", reason: "account authentication error", data: null });
  const reset = await runSample("sipReset", { appId, account: phone.account }, "not-the-secret");
  expect(reset).toEqual({ status: "-1", reason: "account authentication error", data: null });
  // Nothing changed: no group was added and the password is the one seeded.
  expect(emulator?.phones(appId)).toEqual([phone]);
});
