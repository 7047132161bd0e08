import type { PhoneRecord } from "../protocol/types";
import type { VoiceClient } from "./client";

/**
 * Reading what the platform holds. sipQuery filters by application only, so
 * finding one group or one account means paging through the whole application:
 * a naive refresh of N groups costs N full scans. Instead, every read in this
 * process shares one snapshot per application:
 *
 * - single-flight: concurrent reads of one application join one paged scan;
 * - read-your-writes: every write through the provider bumps the application's
 *   generation, and a read only uses a scan that started after the last write;
 * - a read that needs a new scan first waits (at most `maxWaitMs`) for the
 *   application's writes in flight to settle, so N concurrent creates, each
 *   reading its group back, share one scan instead of making N;
 * - a short TTL bounds staleness towards changes made elsewhere.
 *
 * Snapshots are keyed by client (one client per base URL, key and secret, see
 * config.ts) and application id.
 */
export class PhoneDirectory {
  #apps = new WeakMap<VoiceClient, Map<string, AppState>>();

  /**
   * @param ttlMs how long a finished scan serves new reads
   * @param now the clock, in milliseconds
   * @param maxWaitMs how long a read waits for the application's writes in flight
   */
  constructor(
    readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
    readonly maxWaitMs = DEFAULT_MAX_WAIT_MS,
  ) {}

  /** Every phone of an application, from a shared scan. */
  async phones(client: VoiceClient, appId: string): Promise<PhoneRecord[]> {
    const app = this.#app(client, appId);
    if (!this.#usable(app) && app.writing > 0) await settled(app, this.maxWaitMs);
    if (this.#usable(app)) return (app.scan as Scan).records;
    const next: Scan = { generation: app.generation, records: collect(client, appId), finishedAt: undefined };
    app.scan = next;
    next.records.then(
      () => (next.finishedAt = this.now()),
      // A failed scan is not kept: the next read tries again.
      () => app.scan === next && (app.scan = undefined),
    );
    return next.records;
  }

  /** Runs a write and marks the application's snapshot stale, whatever the outcome. */
  async write<T>(client: VoiceClient, appId: string, operation: () => Promise<T>): Promise<T> {
    const app = this.#app(client, appId);
    app.writing++;
    try {
      return await operation();
    } finally {
      app.writing--;
      app.generation++;
      app.scan = undefined;
      if (app.writing === 0) for (const wake of app.waiters.splice(0)) wake();
    }
  }

  /** A scan started after the last write, and either running or fresh. */
  #usable(app: AppState): boolean {
    const scan = app.scan;
    return (
      scan !== undefined &&
      scan.generation === app.generation &&
      (scan.finishedAt === undefined || this.now() - scan.finishedAt < this.ttlMs)
    );
  }

  /** The phones of one group, sorted by account. Empty when the group does not exist. */
  async groupPhones(client: VoiceClient, appId: string, groupName: string): Promise<PhoneRecord[]> {
    return byAccount((await this.phones(client, appId)).filter((r) => r.groupName === groupName));
  }

  /** One phone by account, or undefined. */
  async findPhone(client: VoiceClient, appId: string, account: string): Promise<PhoneRecord | undefined> {
    return (await this.phones(client, appId)).find((r) => r.account === account);
  }

  /** Forgets every snapshot, as a new provider process (a later `pulumi refresh`) starts without any. */
  clear(): void {
    this.#apps = new WeakMap();
  }

  #app(client: VoiceClient, appId: string): AppState {
    let apps = this.#apps.get(client);
    if (!apps) this.#apps.set(client, (apps = new Map()));
    let app = apps.get(appId);
    if (!app) apps.set(appId, (app = { generation: 0, scan: undefined, writing: 0, waiters: [] }));
    return app;
  }
}

/** A finished scan serves new reads this long (a `pulumi refresh` reads every resource within it). */
export const DEFAULT_TTL_MS = 5_000;

interface Scan {
  generation: number;
  records: Promise<PhoneRecord[]>;
  finishedAt: number | undefined;
}

interface AppState {
  generation: number;
  scan: Scan | undefined;
  /** Writes through the provider in flight for this application. */
  writing: number;
  /** Reads waiting for `writing` to reach 0. */
  waiters: Array<() => void>;
}

/** How long a read waits for writes in flight before scanning anyway. */
export const DEFAULT_MAX_WAIT_MS = 2_000;

/** Resolves when the application has no write in flight, or after `maxWaitMs`. */
function settled(app: AppState, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    timer.unref();
    app.waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function collect(client: VoiceClient, appId: string): Promise<PhoneRecord[]> {
  const records: PhoneRecord[] = [];
  for await (const record of client.phones(appId)) records.push(record);
  return records;
}

/** Records sorted by account, deduplicated (a page boundary may shift while paging). */
export function byAccount(records: readonly PhoneRecord[]): PhoneRecord[] {
  const unique = new Map(records.map((r) => [r.account, r]));
  return [...unique.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

/** The provider process's directory. */
export const directory = new PhoneDirectory();
