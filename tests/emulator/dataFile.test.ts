import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { DataFileInUseError, startEmulator } from "../../emulator";
import { post } from "../helpers/raw";

// Real path: error messages name the file with every link followed.
const dir = realpathSync(mkdtempSync(path.join(tmpdir(), "itniotech-datafile-")));
let n = 0;
const fresh = () => path.join(dir, `case-${++n}`, "data.json");
const group = (name: string) => ({
  appId: "d",
  groupName: `group-${name}`,
  phoneName: `phone${name}`,
  quantity: 1,
  displayNum: "8610000000",
});
const onDisk = (file: string) =>
  JSON.parse(readFileSync(file, "utf8")) as { phones: Array<{ account: string }> };

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("one writer per data file", () => {
  it("a second emulator on the same file refuses to start, naming the file and the holder", async () => {
    const dataFile = fresh();
    const first = await startEmulator({ port: 0, dataFile });
    try {
      const refused = startEmulator({ port: 0, dataFile });
      await expect(refused).rejects.toThrow(
        `emulator data file ${dataFile} is in use by this process (${process.pid})`,
      );
      await expect(refused).rejects.toThrow(`lock file ${dataFile}.lock`);
      // A typed error, so a wrapper such as npm start decides on a field, not on the text.
      const error = (await refused.catch((e: unknown) => e)) as DataFileInUseError;
      expect(error).toBeInstanceOf(DataFileInUseError);
      expect([error.code, error.file, error.holder.pid]).toEqual(["DATA_FILE_IN_USE", dataFile, process.pid]);
      // The first one keeps working and keeps its data.
      expect((await post(first.baseUrl, "sipAdd", group("kept"))).status).toBe("0");
    } finally {
      await first.close();
    }
    // Released on close: the next writer starts and sees the acknowledged group.
    const second = await startEmulator({ port: 0, dataFile });
    try {
      expect(second.groups("d").map((g) => g.groupName)).toEqual(["group-kept"]);
    } finally {
      await second.close();
    }
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
  });

  it("a symbolic link to a file in use is the same file: refused too", async () => {
    const dataFile = fresh();
    const first = await startEmulator({ port: 0, dataFile });
    try {
      const link = path.join(path.dirname(dataFile), "link.json");
      symlinkSync(dataFile, link);
      await expect(startEmulator({ port: 0, dataFile: link })).rejects.toThrow(/is in use by this process/);
    } finally {
      await first.close();
    }
  });

  it("a stale lock of a process that is gone is taken over", async () => {
    const dataFile = fresh();
    mkdirSync(path.dirname(dataFile), { recursive: true });
    const pid = deadPid();
    writeFileSync(
      `${dataFile}.lock`,
      JSON.stringify({ pid, host: hostname(), startedAt: "2020-01-01T00:00:00.000Z", token: "old" }),
    );
    const emulator = await startEmulator({ port: 0, dataFile });
    try {
      expect(JSON.parse(readFileSync(`${dataFile}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
    } finally {
      await emulator.close();
    }
  });

  it("an unreadable lock file (a crash while it was written) is taken over", async () => {
    const dataFile = fresh();
    mkdirSync(path.dirname(dataFile), { recursive: true });
    writeFileSync(`${dataFile}.lock`, "");
    const emulator = await startEmulator({ port: 0, dataFile });
    await emulator.close();
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
  });

  it("a lock of another machine is never judged stale", async () => {
    const dataFile = fresh();
    mkdirSync(path.dirname(dataFile), { recursive: true });
    const record = {
      pid: deadPid(),
      host: "elsewhere.example",
      startedAt: "2020-01-01T00:00:00.000Z",
      token: "t",
    };
    writeFileSync(`${dataFile}.lock`, JSON.stringify(record));
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(
      new RegExp(`in use by process ${record.pid} on elsewhere\\.example`),
    );
  });

  it("a start that fails after taking the lock gives it back", async () => {
    const dataFile = fresh();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      await expect(startEmulator({ port, dataFile })).rejects.toThrow(/EADDRINUSE/);
      expect(existsSync(`${dataFile}.lock`)).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // A corrupt file too.
    writeFileSync(dataFile, "{not json");
    await expect(startEmulator({ port: 0, dataFile })).rejects.toThrow(/not valid JSON/);
    expect(existsSync(`${dataFile}.lock`)).toBe(false);
  });
});

describe("crash leftovers and odd paths", () => {
  it("temporary snapshots a killed emulator left beside the file are removed at start; others stay", async () => {
    const dataFile = fresh();
    const folder = path.dirname(dataFile);
    mkdirSync(folder, { recursive: true });
    const leftovers = [`data.json.${deadPid()}.tmp`, "data.json.1.tmp", `data.json.${process.pid}.tmp`];
    const unrelated = ["other.json.123.tmp", "data.json.abc.tmp", "data.json.bak", "data.json.12.tmp.keep"];
    for (const name of [...leftovers, ...unrelated])
      writeFileSync(path.join(folder, name), '{"secret":"pw"}');
    const emulator = await startEmulator({ port: 0, dataFile });
    await emulator.close();
    expect(readdirSync(folder).sort()).toEqual(["data.json", ...unrelated].sort());
  });

  it("a data path that is a symbolic link updates its target and stays a link", async () => {
    const target = fresh();
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify({ version: 1, phones: [] }));
    const link = path.join(dir, `link-${n}.json`);
    symlinkSync(target, link);
    const emulator = await startEmulator({ port: 0, dataFile: link });
    try {
      expect((await post(emulator.baseUrl, "sipAdd", group("linked"))).status).toBe("0");
    } finally {
      await emulator.close();
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(onDisk(target).phones.map((p) => p.account)).toEqual(["phonelinked_001"]);
    // No temporary file or lock is left beside either.
    expect(readdirSync(path.dirname(target))).toEqual(["data.json"]);
  });

  it("a dangling symbolic link creates its target (and the target's folder)", async () => {
    const target = fresh();
    const link = path.join(dir, `dangling-${n}.json`);
    symlinkSync(target, link);
    const emulator = await startEmulator({ port: 0, dataFile: link });
    await emulator.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(onDisk(target)).toEqual({ version: 1, phones: [] });
  });

  it("a data path that is a folder is refused with a message", async () => {
    const folder = path.join(dir, `folder-${++n}`);
    mkdirSync(folder);
    await expect(startEmulator({ port: 0, dataFile: folder })).rejects.toThrow(/is a folder, not a file/);
  });

  it("the data file exists from the start, empty, before any change", async () => {
    const dataFile = fresh();
    const emulator = await startEmulator({ port: 0, dataFile });
    try {
      expect(onDisk(dataFile)).toEqual({ version: 1, phones: [] });
    } finally {
      await emulator.close();
    }
  });
});
