import { spawnSync } from "node:child_process";
import path from "node:path";

const SCRIPT = path.resolve(__dirname, "../../dist/scripts/stack.js");

describe("npm start without a Pulumi CLI", () => {
  it("exits non-zero with how to install the CLI, and no stack trace", () => {
    const result = spawnSync(process.execPath, [SCRIPT, "up"], {
      encoding: "utf8",
      env: { ...process.env, ITNIOTECH_PULUMI_CLI: "/nonexistent/bin/pulumi" },
      timeout: 60_000,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/The Pulumi CLI is needed/);
    expect(result.stderr).toMatch(/get\.pulumi\.com/);
    expect(result.stderr).toMatch(/npm test/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("rejects an unknown command with usage", () => {
    const result = spawnSync(process.execPath, [SCRIPT, "deploy"], { encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: .*up\|preview\|refresh\|destroy/);
  });
});
