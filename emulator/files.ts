import { readFileSync } from "node:fs";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** A file's text, or undefined when it does not exist; any other failure is thrown. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** The temporary file {@link writeFileAtomic} writes beside `file` (a crash can leave it). */
function tempOf(file: string, pid: number): string {
  return `${file}.${pid}.tmp`;
}

/**
 * Replaces `file` with `text` atomically: a temporary file beside it, fsync, rename,
 * then fsync of the folder so the rename itself survives a power cut. A reader, a
 * crash or a failed write (a full disk, EFBIG) sees the old file or the new one,
 * never half of one; on failure the temporary file is removed and the old file is
 * untouched.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = tempOf(file, process.pid);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncFolder(path.dirname(path.resolve(file)));
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
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
