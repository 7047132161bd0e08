import type { PhoneRecord } from "../protocol/types";
import type { VoiceClient } from "../provider/client";
import { platformGroups, type PlatformGroup } from "../provider/fleet";
import { count, type Output } from "./command";

/** How often progress is redrawn at most: often enough to look alive, rarely enough to cost nothing. */
export const PROGRESS_INTERVAL_MS = 100;

export interface Scan {
  groups: PlatformGroup[];
  phones: number;
}

/**
 * Every group of an application from ONE paged scan (the client's `phones`, the
 * same pages the provider reads), with a progress line on `stderr` while it runs
 * when stderr is a terminal (never in a pipe or a CI log).
 */
export async function scanApplication(client: VoiceClient, appId: string, stderr: Output): Promise<Scan> {
  const progress = stderr.isTTY
    ? new Progress(stderr, `Reading application ${JSON.stringify(appId)}`)
    : undefined;
  const records: PhoneRecord[] = [];
  try {
    for await (const record of client.phones(appId)) {
      records.push(record);
      progress?.show(`${count(records.length)} phones`);
    }
  } finally {
    progress?.clear();
  }
  const groups = platformGroups(records);
  return { groups, phones: groups.reduce((n, g) => n + g.quantity, 0) };
}

/** One line redrawn in place on a terminal. */
class Progress {
  #last = 0;
  #drawn = false;

  constructor(
    private readonly out: Output,
    private readonly label: string,
    private readonly now: () => number = Date.now,
  ) {}

  show(status: string): void {
    const now = this.now();
    if (this.#drawn && now - this.#last < PROGRESS_INTERVAL_MS) return;
    this.#last = now;
    this.#drawn = true;
    this.out.write(`\r\x1b[K${this.label}: ${status}`);
  }

  clear(): void {
    if (this.#drawn) this.out.write("\r\x1b[K");
  }
}
