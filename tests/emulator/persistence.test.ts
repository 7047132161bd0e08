import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "../../emulator";
import { SnapshotWriter } from "../../emulator/persistence";
import type { StoreSnapshot } from "../../emulator/store";
import { operatorPost, post } from "../helpers/raw";

const dir = mkdtempSync(path.join(tmpdir(), "itniotech-emulator-"));
const group = (n: string, quantity = 3) => ({
  appId: "p",
  groupName: `group-${n}`,
  phoneName: `phone${n}`,
  quantity,
  displayNum: "8610000000",
});
const onDisk = (file: string) => JSON.parse(readFileSync(file, "utf8")) as StoreSnapshot;

describe("persistence", () => {
  it("state survives a restart from dataFile", async () => {
    const dataFile = path.join(dir, "restart", "state.json");
    const first = await startEmulator({ port: 0, dataFile });
    await post(first.baseUrl, "sipAdd", group("kept"));
    const reset = await post(first.baseUrl, "sipReset", { appId: "p", account: "phonekept_002" });
    first.seedGroup({ ...group("seeded", 1), appId: "q" });
    const before = first.phones();
    await first.close();

    const second = await startEmulator({ port: 0, dataFile });
    try {
      expect(second.phones()).toEqual(before);
      expect(second.phones("p")[1]?.password).toBe((reset.data as { password: string }).password);
      // Names stay taken after a restart, and paging sees the same records.
      expect((await post(second.baseUrl, "sipAdd", { ...group("kept"), phoneName: "other1" })).status).toBe(
        "-20",
      );
      const page = await post(second.baseUrl, "sipQuery", { params: { appId: "p" } });
      expect((page.data as { total: number }).total).toBe(3);
    } finally {
      await second.close();
    }
  });

  it("a write endpoint replies only after its change is on disk", async () => {
    const dataFile = path.join(dir, "durable.json");
    const emulator = await startEmulator({ port: 0, dataFile });
    try {
      expect(onDisk(dataFile)).toEqual({ version: 1, phones: [] }); // created at start, as --data promises
      await post(emulator.baseUrl, "sipAdd", group("durable"));
      expect(onDisk(dataFile).phones.map((p) => p.account)).toEqual([
        "phonedurable_001",
        "phonedurable_002",
        "phonedurable_003",
      ]);
      const reset = await post(emulator.baseUrl, "sipReset", { appId: "p", account: "phonedurable_003" });
      expect(onDisk(dataFile).phones[2]?.password).toBe((reset.data as { password: string }).password);
      // Reads and rejected writes change nothing.
      await post(emulator.baseUrl, "sipAdd", group("durable"));
      expect(onDisk(dataFile).phones).toHaveLength(3);
      // Operator reset is a write too.
      await operatorPost(emulator.url, "reset");
      expect(onDisk(dataFile).phones).toEqual([]);
    } finally {
      await emulator.close();
    }
    // Only the data file is left: no temporary file.
    expect(readdirSync(dir).filter((f) => f.startsWith("durable"))).toEqual(["durable.json"]);
  });

  it("concurrent writes are coalesced, and each reply still waits for its own change", async () => {
    const dataFile = path.join(dir, "coalesced.json");
    let snapshots = 0;
    const phones: StoreSnapshot["phones"] = [];
    const writer = new SnapshotWriter(dataFile, () => {
      snapshots++;
      return { version: 1, phones: [...phones] };
    });
    const saves = Array.from({ length: 20 }, (_, i) => {
      phones.push({ ...group(String(i), 1), account: `a${i}`, password: "x", appId: "p" });
      const mine = phones.length;
      return writer.save().then(() => expect(onDisk(dataFile).phones.length).toBeGreaterThanOrEqual(mine));
    });
    await Promise.all(saves);
    await writer.flush();
    expect(onDisk(dataFile).phones).toHaveLength(20);
    // The first save writes at once; the 19 asked for meanwhile share one more write.
    expect(snapshots).toBe(2);
  });

  it("close() flushes changes made out of band", async () => {
    const dataFile = path.join(dir, "out-of-band.json");
    const emulator = await startEmulator({ port: 0, dataFile });
    emulator.seedGroup(group("oob", 2));
    const password = emulator.resetPasswordOutOfBand("p", "phoneoob_001");
    expect(emulator.removeGroup("p", "nothing")).toBe(0);
    await emulator.close();
    const saved = onDisk(dataFile);
    expect(saved.phones.map((p) => [p.account, p.password === password])).toEqual([
      ["phoneoob_001", true],
      ["phoneoob_002", false],
    ]);
  });

  it("a write that fails answers -18, keeps serving, and close() reports the file as stale", async () => {
    const folder = path.join(dir, "vanishing");
    const dataFile = path.join(folder, "state.json");
    const emulator = await startEmulator({ port: 0, dataFile });
    let closed = false;
    try {
      // The folder disappears under the running emulator: every write now fails.
      rmSync(folder, { recursive: true });
      const reply = await post(emulator.baseUrl, "sipAdd", group("lost"));
      expect([reply.httpStatus, reply.status, reply.data]).toEqual([200, "-18", null]);
      expect(emulator.requests().at(-1)).toMatchObject({ endpoint: "sipAdd", status: "-18" });
      // Out-of-band writes fail in the background without an unhandled rejection.
      emulator.resetPasswordOutOfBand("p", "phonelost_001");
      // The change was applied in memory (so -18 is ambiguous, as the contract says).
      expect((await post(emulator.baseUrl, "sipAdd", group("lost"))).status).toBe("-20");
      expect((await post(emulator.baseUrl, "sipQuery", { params: { appId: "p" } })).status).toBe("0");
      const operatorReset = await operatorPost(emulator.url, "reset");
      expect(operatorReset.status).toBe(500);
      expect(await operatorReset.text()).toMatch(/data file could not be written/);
      // Back on its feet: the next write carries the whole state.
      mkdirSync(folder);
      expect((await post(emulator.baseUrl, "sipAdd", group("back", 1))).status).toBe("0");
      expect(onDisk(dataFile).phones.map((p) => p.account)).toEqual(["phoneback_001"]);
      rmSync(folder, { recursive: true });
      emulator.seedGroup(group("stale", 1));
      closed = true;
      await expect(emulator.close()).rejects.toThrow(/ENOENT/);
    } finally {
      if (!closed) await emulator.close().catch(() => undefined);
    }
  });

  it("refuses a corrupt data file instead of wiping it", async () => {
    const dataFile = path.join(dir, "corrupt.json");
    writeFileSync(dataFile, '{"version":1,"phones":[');
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/corrupt\.json is not valid JSON/);
    expect(readFileSync(dataFile, "utf8")).toBe('{"version":1,"phones":[');
    writeFileSync(dataFile, '{"version":2,"phones":[]}');
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/not a version 1 snapshot/);
    const phone = {
      appId: "a",
      groupName: "g",
      phoneName: "p",
      account: "p_001",
      password: "x",
      displayNum: "1234567",
    };
    writeFileSync(dataFile, JSON.stringify({ version: 1, phones: [phone, { ...phone, account: 7 }] }));
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/phones\[1\] needs string/);
    writeFileSync(dataFile, JSON.stringify({ version: 1, phones: [phone, null] }));
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/phones\[1\] needs string/);
  });
});
