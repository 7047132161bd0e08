import { mkdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import type { StoreSnapshot } from "./store";

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
  return parsed;
}

/**
 * Writes snapshots atomically (temp file, fsync, rename: a reader or a crash sees
 * the old file or the new one, never half of one) and one at a time. Saves asked
 * for while a write is running are coalesced into the next write, which still
 * starts after they were asked for, so `await save()` means "my change is on disk".
 */
export class SnapshotWriter {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

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

  /** Resolves when every requested save is on disk. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }

  #promote(): Promise<void> {
    this.#next = undefined;
    return (this.#running = this.#write());
  }

  async #write(): Promise<void> {
    try {
      const temp = `${this.file}.${process.pid}.tmp`;
      const handle = await open(temp, "w");
      try {
        await handle.writeFile(JSON.stringify(this.take()));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } finally {
      if (!this.#next) this.#running = undefined;
    }
  }
}
