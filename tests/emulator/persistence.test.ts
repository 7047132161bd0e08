import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "../../emulator";
import { post } from "./raw";

const dir = mkdtempSync(path.join(tmpdir(), "itniotech-emulator-"));

describe("persistence", () => {
  it("state survives a restart from dataFile", async () => {
    const dataFile = path.join(dir, "restart", "state.json");
    const first = await startEmulator({ port: 0, dataFile });
    await post(first.baseUrl, "sipAdd", {
      appId: "p",
      groupName: "kept-group",
      phoneName: "keptphone",
      quantity: 3,
      displayNum: "8610000000",
    });
    const reset = await post(first.baseUrl, "sipReset", { appId: "p", account: "keptphone_002" });
    const before = first.phones("p");
    await first.close();

    const second = await startEmulator({ port: 0, dataFile });
    try {
      expect(second.phones("p")).toEqual(before);
      expect(second.phones("p")[1]?.password).toBe((reset.data as { password: string }).password);
      // Names stay taken after a restart.
      expect(
        (
          await post(second.baseUrl, "sipAdd", {
            appId: "p",
            groupName: "kept-group",
            phoneName: "other1",
            quantity: 1,
            displayNum: "8610000000",
          })
        ).status,
      ).toBe("-20");
    } finally {
      await second.close();
    }
  });

  it("refuses a corrupt data file instead of wiping it", async () => {
    const dataFile = path.join(dir, "corrupt.json");
    writeFileSync(dataFile, '{"version":1,"phones":[');
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/JSON/);
    expect(readFileSync(dataFile, "utf8")).toBe('{"version":1,"phones":[');
  });

  it("a kill mid-write never leaves a corrupt file", async () => {
    const dataFile = path.join(dir, "killed.json");
    // A child that writes large snapshots as fast as it can, through the real writer.
    const writer = path.resolve(__dirname, "../../dist/emulator/persistence.js");
    const script = `
      const { SnapshotWriter } = require(${JSON.stringify(writer)});
      let n = 0;
      const phones = () => Array.from({ length: 2000 }, (_, i) => ({ appId: "k", groupName: "g" + n, phoneName: "p", account: "p_" + i, password: "x" + n, displayNum: "1234567" }));
      const w = new SnapshotWriter(${JSON.stringify(dataFile)}, () => ({ version: 1, phones: phones() }));
      const loop = () => { n++; w.save().then(loop); };
      loop();
      console.log("writing");
    `;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 50 + round * 37));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const parsed = JSON.parse(readFileSync(dataFile, "utf8")) as { version: number; phones: unknown[] };
      expect(parsed.version).toBe(1);
      expect(parsed.phones).toHaveLength(2000);
    }
  });
});
