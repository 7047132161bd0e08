/**
 * The emulator's data file when its process is killed mid-write (SIGKILL, no
 * chance to clean up): the writer runs in a child process, from the emulator as
 * compiled now (../helpers/emulator-build.ts). In-process persistence tests are
 * in tests/emulator/persistence.test.ts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StoreSnapshot } from "../../emulator/store";
import { buildEmulator } from "../helpers/emulator-build";

const dir = mkdtempSync(path.join(tmpdir(), "itniotech-emulator-"));
const onDisk = (file: string) => JSON.parse(readFileSync(file, "utf8")) as StoreSnapshot;

describe("persistence across a killed emulator process", () => {
  it("a kill mid-write never leaves a corrupt file", async () => {
    const dataFile = path.join(dir, "killed.json");
    // A child that writes large snapshots as fast as it can, through the real writer,
    // each one a new generation, and says when the first is on disk.
    const { persistence } = await buildEmulator();
    const script = `
      const { SnapshotWriter } = require(${JSON.stringify(persistence)});
      let n = 0;
      const phones = () => Array.from({ length: 2000 }, (_, i) => ({ appId: "k", groupName: "g" + n, phoneName: "p", account: "p_" + i, password: "x" + n, displayNum: "1234567" }));
      const w = new SnapshotWriter(${JSON.stringify(dataFile)}, () => ({ version: 1, phones: phones() }));
      const loop = () => { n++; return w.save().then(loop); };
      w.save().then(() => { console.log("written"); loop(); });
    `;
    const generations = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 23));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const parsed = onDisk(dataFile);
      expect(parsed.version).toBe(1);
      expect(parsed.phones).toHaveLength(2000);
      // One snapshot, whole: every phone of the same generation.
      expect(new Set(parsed.phones.map((p) => p.groupName)).size).toBe(1);
      generations.add(`${round}:${parsed.phones[0]?.groupName}`);
    }
    // The child was killed while it was still writing, not after it had stopped.
    expect([...generations].some((g) => !g.endsWith(":g0"))).toBe(true);
  });
});
