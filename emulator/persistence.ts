import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import path from "node:path";
import { readIfExists, writeFileAtomic } from "./files";
import { lockDataFile, type DataFileLock } from "./lock";
import type { StoreSnapshot } from "./store";

const PHONE_FIELDS = ["appId", "groupName", "phoneName", "account", "password", "displayNum"] as const;

/** A data file opened for writing by this emulator alone. */
export interface OpenedDataFile {
  /** The file written: the given path with every symbolic link followed. */
  file: string;
  /** Its content; undefined when it did not exist (it is then created empty at start). */
  snapshot: StoreSnapshot | undefined;
  lock: DataFileLock;
}

/**
 * Opens a data file for one writer: follows symbolic links to the file they
 * name (so a link keeps pointing at the data, and two paths to one file share
 * one lock), creates the folder, takes the lock, removes the temporary files a
 * killed emulator left beside it, and reads it.
 */
export function openDataFile(given: string): OpenedDataFile {
  const file = resolveDataPath(given);
  const lock = lockDataFile(file);
  try {
    removeStaleTemps(file);
    return { file, snapshot: loadSnapshot(file), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Symbolic links a data path may pass through, as the OS allows (Linux's MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * The real path of the file to write: symbolic links followed (a dangling one
 * names the file to create), the folder created if missing. A path that is a
 * folder is refused.
 */
export function resolveDataPath(given: string): string {
  let current = path.resolve(given);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let stats;
    try {
      stats = lstatSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      mkdirSync(path.dirname(current), { recursive: true });
      return path.join(realpathSync(path.dirname(current)), path.basename(current));
    }
    if (stats.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), readlinkSync(current));
      continue;
    }
    if (stats.isDirectory()) throw new Error(`emulator data file ${given} is a folder, not a file`);
    return realpathSync(current);
  }
  throw new Error(`emulator data file ${given}: more than ${MAX_LINKS} symbolic links`);
}

/** The temporary file a writer in process `pid` uses beside `file`. */
/**
 * Removes `<file>.<pid>.tmp` files: whole snapshots (passwords included) that a
 * killed emulator left. Only the lock holder calls this, so none is being written.
 */
function removeStaleTemps(file: string): void {
  const base = path.basename(file);
  const folder = path.dirname(file);
  for (const name of readdirSync(folder)) {
    if (name.startsWith(`${base}.`) && /^\d+\.tmp$/.test(name.slice(base.length + 1)))
      rmSync(path.join(folder, name), { force: true });
  }
}

/** Reads a data file; absent means empty. A corrupt file is an error, never silently wiped. */
export function loadSnapshot(file: string): StoreSnapshot | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  let parsed: StoreSnapshot;
  try {
    parsed = JSON.parse(text) as StoreSnapshot;
  } catch (e) {
    throw new Error(`emulator data file ${file} is not valid JSON (${e instanceof Error ? e.message : e})`, {
      cause: e,
    });
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.phones)) {
    throw new Error(`emulator data file ${file} is not a version 1 snapshot`);
  }
  // A hand-edited file must fail here, not as a crash in the middle of a request.
  const bad = parsed.phones.findIndex(
    (phone: unknown) =>
      typeof phone !== "object" ||
      phone === null ||
      PHONE_FIELDS.some((field) => typeof (phone as Record<string, unknown>)[field] !== "string"),
  );
  if (bad !== -1) {
    throw new Error(`emulator data file ${file}: phones[${bad}] needs string ${PHONE_FIELDS.join(", ")}`);
  }
  return parsed;
}

/**
 * Writes snapshots atomically (temp file, fsync, rename, then fsync of the folder so
 * the rename itself survives a power cut: a reader or a crash sees the old file or
 * the new one, never half of one) and one at a time. Saves asked for while a write
 * is running are coalesced into the next write, which still starts after they were
 * asked for, so `await save()` means "my change is on disk".
 */
export class SnapshotWriter {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  /** The failure of the newest finished write; a later successful write clears it (snapshots are whole). */
  #failure: unknown;

  constructor(
    private readonly file: string,
    private readonly take: () => StoreSnapshot,
  ) {}

  save(): Promise<void> {
    if (!this.#running) return (this.#running = this.#write());
    // A write is running and may have taken its snapshot before this change: queue one more.
    this.#next ??= this.#running.then(
      () => this.#promote(),
      () => this.#promote(),
    );
    return this.#next;
  }

  /**
   * Resolves when every requested save is on disk; rejects when the newest write
   * failed, so the caller knows the file does not hold the final state.
   */
  async flush(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
    if (this.#failure !== undefined) throw this.#failure;
  }

  #promote(): Promise<void> {
    this.#next = undefined;
    return (this.#running = this.#write());
  }

  async #write(): Promise<void> {
    try {
      await writeFileAtomic(this.file, JSON.stringify(this.take()));
      this.#failure = undefined;
    } catch (e) {
      this.#failure = e;
      throw e;
    } finally {
      if (!this.#next) this.#running = undefined;
    }
  }
}
