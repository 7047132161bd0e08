import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The vendor's sipAdd and sipReset pages (Chinese, with Java and PHP samples) are
 * the vendor's text, not ours: they are read from beside the repository at test
 * time and never copied into it. Where they sit: `ITNIOTECH_VENDOR_PAGES` when
 * set, else a `shared/reference/` folder next to the repository or to one of its
 * parents (`/work/main` -> `/work/shared/reference`, and a worktree such as
 * `/work/wt/php` finds the same folder two levels up). A clean clone in CI has
 * none, and the tests that need them say so in their titles.
 */
export type VendorPage = "sipAdd" | "sipReset";

const ROOT = path.resolve(__dirname, "../..");
const MARKER = "sipAdd.seed.txt";

export type PagesLookup = { found: true; dir: string } | { found: false; reason: string };

export function findVendorPages(): PagesLookup {
  const explicit = process.env["ITNIOTECH_VENDOR_PAGES"];
  const candidates: string[] = [];
  if (explicit) candidates.push(path.resolve(explicit));
  else
    for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, "shared", "reference"));
      if (path.dirname(dir) === dir) break;
    }
  const dir = candidates.find((candidate) => existsSync(path.join(candidate, MARKER)));
  if (dir !== undefined) return { found: true, dir };
  return {
    found: false,
    reason: explicit
      ? `ITNIOTECH_VENDOR_PAGES=${explicit} has no ${MARKER}`
      : `the vendor's pages (${MARKER}) are not beside this clone; set ITNIOTECH_VENDOR_PAGES to their folder`,
  };
}

export function readVendorPage(dir: string, page: VendorPage): string {
  return readFileSync(path.join(dir, `${page}.seed.txt`), "utf8");
}

/**
 * The page's code samples: each follows a line `REQUEST` (Java first, then PHP)
 * and the last one ends where `RESPONSEEXAMPLE` begins.
 */
function requestBlocks(page: string): string[] {
  const body = page.split(/^RESPONSEEXAMPLE\s*$/m)[0] ?? "";
  return body.split(/^REQUEST\s*$/m).slice(1);
}

/** The PHP sample of a page: the request block that drives curl. */
export function phpSample(page: string): string {
  const blocks = requestBlocks(page).filter((block) => block.includes("curl_init("));
  if (blocks.length !== 1) throw new Error(`expected one PHP sample on the page, found ${blocks.length}`);
  return (blocks[0] as string).trim();
}

/** The page's response example, as the page writes it (pretty-printed JSON). */
export function responseText(page: string): string {
  const parts = page.split(/^RESPONSEEXAMPLE\s*$/m);
  if (parts.length !== 2) throw new Error("expected one RESPONSEEXAMPLE on the page");
  return (parts[1] as string).trim();
}

export interface SampleValues {
  /** Replaces the sample's host and path prefix `https://api.itniotech.com/voice`. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** `{{name}}` placeholders, e.g. `{ appId: "app", quantity: "2" }`. */
  placeholders: Record<string, string>;
}

const VENDOR_BASE = "https://api.itniotech.com/voice";
/** Values put inside the sample's own double quotes, so nothing in them may be special to PHP. */
const PLAIN = /^[A-Za-z0-9_.:/-]*$/;

/**
 * Fills a PHP sample the way a user following the page would: credentials in
 * place of "your api key"/"your api secret", each `{{placeholder}}` replaced
 * inside the quotes the sample puts around it (so `quantity` stays the string the
 * sample sends), and the URL pointed at `baseUrl`. Every replacement must happen
 * exactly as expected, so a changed page fails here instead of ever reaching the
 * real API.
 */
export function fillPhpSample(sample: string, values: SampleValues): string {
  let code = sample;
  const replace = (from: string, to: string, expected: number) => {
    const count = code.split(from).length - 1;
    if (count !== expected)
      throw new Error(`the PHP sample has ${count} × ${JSON.stringify(from)}, expected ${expected}`);
    if (!PLAIN.test(to)) throw new Error(`${JSON.stringify(to)} cannot be put into the sample's quotes`);
    code = code.split(from).join(to);
  };
  replace("your api key", values.apiKey, 1);
  replace("your api secret", values.apiSecret, 1);
  replace(VENDOR_BASE, values.baseUrl, 1);
  for (const [name, value] of Object.entries(values.placeholders)) replace(`{{${name}}}`, value, 1);
  const left = /\{\{\w+\}\}/.exec(code);
  if (left) throw new Error(`the PHP sample still has the placeholder ${left[0]}`);
  return `<?php\n${code}\n`;
}

/**
 * What the sample prints: `var_dump($output)` of the response body, i.e.
 * `string(N) "<body>"`, or `bool(false)` when curl failed.
 */
export function parseVarDump(stdout: string): { body: string } | { failed: string } {
  const match = /^string\((\d+)\) "([\s\S]*)"\s*$/.exec(stdout.trim());
  if (!match) return { failed: stdout.trim() };
  const body = match[2] as string;
  if (Buffer.byteLength(body) !== Number(match[1])) return { failed: `length mismatch in ${stdout.trim()}` };
  return { body };
}
