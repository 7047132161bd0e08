/**
 * The package as a user gets it: `npm pack` of what a clean clone holds (tracked and
 * new files, nothing git ignores, so no dist/), copied to a temporary folder and packed
 * there, where prepack builds dist/. Shared by the tests that install the tarball into
 * projects outside the repository.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
/** Packing builds the whole project; an install may fetch from the registry. */
const NPM_TIMEOUT = 600_000;

/** The environment of the npm commands: none of the npm_* variables `npm test` sets for jest. */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
  );
}

/** `npm <args>` in `cwd`; its stdout, or an error with everything it printed. */
export function npm(cwd: string, args: string[]): string {
  const result = spawnSync("npm", args, { cwd, env: npmEnv(), encoding: "utf8", timeout: NPM_TIMEOUT });
  if (result.status !== 0)
    throw new Error(
      `npm ${args.join(" ")} in ${cwd} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

/** What a clean clone holds: tracked files that exist and new files git does not ignore. */
function sourceFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return [...new Set(listed.stdout.split("\0").filter(Boolean))].filter((file) =>
    existsSync(path.join(ROOT, file)),
  );
}

export interface Packed {
  /** The tarball's path, in `work`. */
  tarball: string;
  filename: string;
  /** Bytes. */
  size: number;
  /** The paths in the tarball, sorted. */
  files: string[];
}

/** Copies a clean checkout to `work/source` and packs it into `work`. */
export function packCleanCheckout(work: string): Packed {
  const source = path.join(work, "source");
  for (const file of sourceFiles()) {
    mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(source, file));
  }
  if (existsSync(path.join(source, "dist"))) throw new Error("the clean checkout holds a dist/");
  // The build tools are the repository's; the copy has no node_modules of its own.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(source, "node_modules"), "dir");
  const [pack] = JSON.parse(npm(source, ["pack", "--json", "--pack-destination", work])) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  if (!pack) throw new Error("npm pack reported no tarball");
  return {
    tarball: path.join(work, pack.filename),
    filename: pack.filename,
    size: pack.size,
    files: pack.files.map((f) => f.path).sort(),
  };
}
