/**
 * package.json keeps what users import, run and download in step: each import path
 * is exported, typed for every TypeScript module resolution and shipped; each command
 * is a committed file that ships. Adding a subpath or a command is one line in each
 * list, and these tests say which one is missing.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

interface Manifest {
  name: string;
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
  bin: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
const subpaths = Object.entries(pkg.exports).filter(
  (entry): entry is [string, { types: string; default: string }] => typeof entry[1] === "object",
);
const shipped = (file: string) =>
  pkg.files.some((entry) => {
    const folder = entry.replace(/^\.\//, "").replace(/\/$/, "");
    return !entry.startsWith("!") && (file === folder || file.startsWith(`${folder}/`));
  });

it("the root import path is the package's main and types", () => {
  expect(pkg.exports["."]).toEqual({ types: `./${pkg.types}`, default: `./${pkg.main}` });
});

it.each(subpaths.filter(([key]) => key !== "."))(
  "%s: typed for moduleResolution node10 too (typesVersions), as for node16 and bundler (exports)",
  (key, target) => {
    // node10 (Pulumi's templates: "moduleResolution": "node") ignores "exports".
    expect(pkg.typesVersions["*"]?.[key.slice(2)]).toEqual([target.types]);
  },
);

it.each(subpaths)("%s: its files ship", (_key, target) => {
  expect(shipped(target.default.slice(2))).toBe(true);
  expect(shipped(target.types.slice(2))).toBe(true);
});

it.each(Object.entries(pkg.bin))(
  "the command %s is a committed, executable file outside dist/ that ships",
  (_name, file) => {
    // npm links bins at install time; in a fresh clone (self-dependency "file:.") dist/
    // does not exist yet then, and a bin pointing into it is silently not linked.
    expect(file.startsWith("dist/")).toBe(false);
    expect(() => accessSync(path.join(ROOT, file), constants.X_OK)).not.toThrow();
    expect(readFileSync(path.join(ROOT, file), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(shipped(file)).toBe(true);
  },
);
