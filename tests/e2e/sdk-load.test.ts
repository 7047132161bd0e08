/**
 * What loading the package root loads, in a fresh Node.js process (the jest
 * module registry cannot tell): sdk/ must reach provider/ only through the lazy
 * `require` in the provider shells. The static checks are in tests/sdk/sdk.test.ts.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

describe("sdk/ in a fresh process", () => {
  it("loading the package root loads no provider module", () => {
    const script = [
      'require("./sdk");',
      "const loaded = Object.keys(require.cache).filter((f) => !f.includes('node_modules'));",
      "console.log(JSON.stringify(loaded));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const loaded = JSON.parse(out) as string[];
    expect(loaded.some((f) => f.includes(`${path.sep}sdk${path.sep}`))).toBe(true);
    expect(loaded.filter((f) => f.includes(`${path.sep}provider${path.sep}`))).toEqual([]);
  });
});
