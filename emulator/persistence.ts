import { mkdirSync, readFileSync } from "node:fs";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { StoreSnapshot } from "./store";

const PHONE_FIELDS = ["appId", "groupName", "phoneName", "account", "password", "displayNum"] as const;

/** Reads a data file; absent means empty. A corrupt file is an error, never silently wiped. */
export function loadSnapshot(file: string): StoreSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
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
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

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
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      const handle = await open(temp, "w");
      try {
        await handle.writeFile(JSON.stringify(this.take()));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      await syncFolder(path.dirname(path.resolve(this.file)));
      this.#failure = undefined;
    } catch (e) {
      this.#failure = e;
      await rm(temp, { force: true }).catch(() => undefined);
      throw e;
    } finally {
      if (!this.#next) this.#running = undefined;
    }
  }
}

/** Makes a rename in `folder` durable. Some platforms (Windows) cannot open a folder: the rename is then as durable as they allow. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // Best effort: the file itself is already complete and renamed.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
