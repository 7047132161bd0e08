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
  const records: PhoneRecord[] = [];
  const progress = stderr.isTTY
    ? new Progress(
        stderr,
        () => `Reading application ${JSON.stringify(appId)}: ${count(records.length)} phones`,
      )
    : undefined;
  try {
    for await (const record of client.phones(appId)) records.push(record);
  } finally {
    progress?.stop();
  }
  const groups = platformGroups(records);
  return { groups, phones: groups.reduce((n, g) => n + g.quantity, 0) };
}

/**
 * One line redrawn in place on a terminal, with the time so far: it moves even
 * while pages are read at once and no phone has arrived yet.
 */
class Progress {
  readonly #started = performance.now();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly out: Output,
    private readonly status: () => string,
  ) {
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), PROGRESS_INTERVAL_MS);
    this.#timer.unref();
  }

  #draw(): void {
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1);
    this.out.write(`\r\x1b[K${this.status()} (${seconds} s)`);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.out.write("\r\x1b[K");
  }
}
