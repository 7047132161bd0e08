import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { readIfExists } from "./files";

/** What a lock file holds: enough for a person to find the holder, and for a later start to judge it stale. */
interface LockRecord {
  pid: number;
  host: string;
  startedAt: string;
  /** Which of possibly several emulators in one process holds it. */
  token: string;
}

/** Who holds a data file: what its lock file says. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Another emulator writes this data file. Callers (such as `npm start`) decide on
 * `code`, and may show `message` as it is: it names the file and the holder.
 */
export class DataFileInUseError extends Error {
  override readonly name = "DataFileInUseError";
  readonly code = "DATA_FILE_IN_USE";

  constructor(
    /** The data file, with every symbolic link followed. */
    readonly file: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.pid === process.pid ? `this process (${holder.pid})` : `process ${holder.pid}`;
    const where = holder.host === hostname() ? "" : ` on ${holder.host}`;
    super(
      `emulator data file ${file} is in use by ${who}${where}, started ${holder.startedAt} ` +
        `(lock file ${lockFile}). Stop that emulator first, or use another data file. ` +
        `If no emulator runs as that process, delete the lock file.`,
    );
  }
}

/** A held lock; `release()` removes the lock file if it is still ours. */
export interface DataFileLock {
  readonly file: string;
  release(): void;
}

/** How many times a start retries when the lock file changes under it (another emulator starting at once). */
const ATTEMPTS = 5;

/**
 * One writer per data file: `<data file>.lock` holds the pid of the emulator
 * writing it. A second emulator refuses to start, naming the file and the
 * holder; a lock whose process is gone (a crash, `kill -9`) is taken over.
 *
 * The lock file appears whole or not at all (written aside, then hard-linked
 * into place, which fails if one exists), so a starting emulator never reads a
 * half-written lock of a live one.
 */
export function lockDataFile(dataFile: string): DataFileLock {
  const file = `${dataFile}.lock`;
  const record: LockRecord = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const text = `${JSON.stringify(record)}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (create(file, text)) return { file, release: () => release(file, record.token) };
    const held = read(file);
    if (held === undefined) continue; // removed meanwhile: try again
    if (held.record && !isStale(held.record)) {
      const { pid, host, startedAt } = held.record;
      throw new DataFileInUseError(dataFile, file, { pid, host, startedAt });
    }
    takeOver(file, held.text);
  }
  throw new Error(
    `emulator data file ${dataFile}: its lock file ${file} keeps changing; is another emulator starting?`,
  );
}

/** Creates the lock file whole, or returns false when one exists. */
function create(file: string, text: string): boolean {
  const aside = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(aside, text, { flag: "wx" });
  try {
    linkSync(aside, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw e;
    // A file system without hard links: exclusive create is the next best.
    try {
      writeFileSync(file, text, { flag: "wx" });
      return true;
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw inner;
    }
  } finally {
    unlinkSync(aside);
  }
}

function read(file: string): { text: string; record: LockRecord | undefined } | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<LockRecord>;
    if (Number.isSafeInteger(record.pid) && typeof record.host === "string")
      return { text, record: record as LockRecord };
  } catch {
    // Not ours to read: judged stale below.
  }
  return { text, record: undefined };
}

/**
 * Whether the holder is certainly gone. A lock of another machine (a shared
 * folder) cannot be judged from here, so it is never stale.
 */
function isStale(holder: LockRecord): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists, under another user.
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Removes a stale lock, but only the one that was judged: it is first moved
 * aside (only one mover can win), and put back if what moved is not what was read.
 */
function takeOver(file: string, judged: string): void {
  const aside = `${file}.${process.pid}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const moved = readFileSync(aside, "utf8");
  if (moved !== judged) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone created a new lock meanwhile: theirs stands.
    }
  }
  unlinkSync(aside);
}

function release(file: string, token: string): void {
  const held = read(file);
  if (held?.record?.token !== token) return;
  try {
    unlinkSync(file);
  } catch {
    // Gone already (its folder removed): nothing to release.
  }
}
