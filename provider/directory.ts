import type { PhoneRecord } from "../protocol/types";
import type { VoiceClient } from "./client";

/**
 * Reading what the platform holds. sipQuery filters by application only, so
 * finding one group or one account means paging through the whole application:
 * a naive refresh of N groups costs N full scans. Instead, every read in this
 * process shares one snapshot per application:
 *
 * - single-flight: concurrent reads of one application join one paged scan;
 * - read-your-writes: every write through the provider that finishes bumps the
 *   application's generation, and a read only uses a scan that started after every
 *   write that had finished when the read was asked for;
 * - a read that needs a new scan first waits (at most `maxWaitMs` in all) for the
 *   application's writes that were in flight when it was asked for, and then until
 *   the application has no add in flight (`write(…, { adds: true })`: sipAdd, the
 *   one write that changes which phones exist), adds started after it asked
 *   included. So N creates, each reading its group back, share one scan after the
 *   last add instead of making N, even when they arrive spread out, as Pulumi's
 *   host hands them over (500 over seconds, each add overlapping the next). A
 *   read does not wait for other writes started after it asked (password resets,
 *   which a rotation of 25,000 phones keeps starting for minutes): it would starve.
 *   A create alone waits for nothing: its read-back scans as soon as its add is
 *   done. Creates further apart than one add's round trip are not one batch: a
 *   moment with no add in flight lets the reads waiting start their scan;
 * - a short TTL bounds staleness towards changes made elsewhere;
 * - one group's phones come from an index of the scan built once, so N reads of a
 *   scan of P phones cost O(P), not O(N × P).
 *
 * Snapshots are keyed by client (one client per base URL, key and secret, see
 * config.ts) and application id.
 */
export class PhoneDirectory {
  #apps = new WeakMap<VoiceClient, Map<string, AppState>>();

  /**
   * @param ttlMs how long a finished scan serves new reads
   * @param now the clock, in milliseconds
   * @param maxWaitMs how long a read waits for the application's writes in flight and adds
   */
  constructor(
    readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
    readonly maxWaitMs = DEFAULT_MAX_WAIT_MS,
  ) {}

  /** Every phone of an application, from a shared scan. */
  async phones(client: VoiceClient, appId: string): Promise<PhoneRecord[]> {
    return (await this.#scan(client, appId)).records;
  }

  /** The phones of one group, sorted by account. Empty when the group does not exist. */
  async groupPhones(client: VoiceClient, appId: string, groupName: string): Promise<PhoneRecord[]> {
    const scan = await this.#scan(client, appId);
    scan.byGroup ??= scan.records.then(indexByGroup);
    return [...((await scan.byGroup).get(groupName) ?? [])];
  }

  /** One phone by account, or undefined. */
  async findPhone(client: VoiceClient, appId: string, account: string): Promise<PhoneRecord | undefined> {
    return (await this.phones(client, appId)).find((r) => r.account === account);
  }

  /**
   * Runs a write and marks the application's snapshot stale, whatever the outcome.
   * `adds`: the write adds phones (sipAdd); reads that need a new scan wait for it
   * even when it started after they asked.
   */
  async write<T>(
    client: VoiceClient,
    appId: string,
    operation: () => Promise<T>,
    { adds = false }: { adds?: boolean } = {},
  ): Promise<T> {
    const app = this.#app(client, appId);
    const number = ++app.started;
    app.writing.add(number);
    if (adds) app.adding++;
    try {
      return await operation();
    } finally {
      app.writing.delete(number);
      if (adds) app.adding--;
      app.generation++;
      this.#wake(app);
    }
  }

  /** Forgets every snapshot, as a new provider process (a later `pulumi refresh`) starts without any. */
  clear(): void {
    this.#apps = new WeakMap();
  }

  /** A scan recent enough for a read asked for now: joined, reused, or started. */
  async #scan(client: VoiceClient, appId: string): Promise<Scan> {
    const app = this.#app(client, appId);
    const need = app.generation;
    if (!this.#usable(app, need) && app.writing.size > 0) await this.#settled(app, app.started);
    if (this.#usable(app, need)) return app.scan as Scan;
    const next: Scan = {
      generation: app.generation,
      records: collect(client, appId),
      byGroup: undefined,
      finishedAt: undefined,
    };
    app.scan = next;
    next.records.then(
      () => (next.finishedAt = this.now()),
      // A failed scan is not kept: the next read tries again.
      () => app.scan === next && (app.scan = undefined),
    );
    return next;
  }

  /** The latest scan, if it started after the `need`th write finished and is running or fresh. */
  #usable(app: AppState, need: number): boolean {
    const scan = app.scan;
    return (
      scan !== undefined &&
      scan.generation >= need &&
      (scan.finishedAt === undefined || this.now() - scan.finishedAt < this.ttlMs)
    );
  }

  /**
   * Resolves when every write up to number `upTo` has finished and no add is in
   * flight, or after `maxWaitMs`.
   */
  #settled(app: AppState, upTo: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        // Waiters join in order of `after` (writes are numbered as they start), so waking is FIFO.
        after: upTo,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const at = app.waiters.indexOf(waiter);
        if (at >= 0) app.waiters.splice(at, 1);
        resolve();
      }, this.maxWaitMs);
      timer.unref();
      app.waiters.push(waiter);
    });
  }

  /** Wakes the reads whose writes have all finished, once no add is in flight. */
  #wake(app: AppState): void {
    if (app.adding > 0) return;
    // Set order is start order: the first left is the oldest write still in flight.
    const oldest = app.writing.values().next().value ?? Infinity;
    while (app.waiters.length > 0 && (app.waiters[0] as Waiter).after < oldest)
      (app.waiters.shift() as Waiter).wake();
  }

  #app(client: VoiceClient, appId: string): AppState {
    let apps = this.#apps.get(client);
    if (!apps) this.#apps.set(client, (apps = new Map()));
    let app = apps.get(appId);
    if (!app)
      apps.set(
        appId,
        (app = {
          generation: 0,
          started: 0,
          scan: undefined,
          writing: new Set(),
          adding: 0,
          waiters: [],
        }),
      );
    return app;
  }
}

/** A finished scan serves new reads this long (a `pulumi refresh` reads every resource within it). */
export const DEFAULT_TTL_MS = 5_000;

interface Scan {
  /** Writes that had finished when the scan started. */
  generation: number;
  records: Promise<PhoneRecord[]>;
  /** The records by group, sorted by account: built by the first read of one group. */
  byGroup: Promise<Map<string, PhoneRecord[]>> | undefined;
  finishedAt: number | undefined;
}

interface Waiter {
  /** The read waits until every write numbered up to this one has finished. */
  after: number;
  wake(): void;
}

interface AppState {
  /** Writes finished. */
  generation: number;
  /** Writes started (each write's number). */
  started: number;
  scan: Scan | undefined;
  /** Numbers of the writes through the provider in flight for this application, oldest first. */
  writing: Set<number>;
  /** Adds (sipAdd) in flight for this application: reads needing a new scan wait for none to be left. */
  adding: number;
  /** Reads waiting for writes in flight, in the order they asked. */
  waiters: Waiter[];
}

/**
 * The longest a read waits for the writes in flight when it asked and for the adds
 * of creates still arriving. As long as the
 * longest `Retry-After` the client accepts (60 s): 500 creates at 16 in flight take
 * 2 s of adds at 50 ms a call, 16 s at 500 ms, 5 s under a limit of 100 requests/s,
 * and their read-backs must still share one scan. A write outlasting it is failing
 * anyway; the read then scans without it.
 */
export const DEFAULT_MAX_WAIT_MS = 60_000;

function indexByGroup(records: readonly PhoneRecord[]): Map<string, PhoneRecord[]> {
  const groups = new Map<string, PhoneRecord[]>();
  for (const record of byAccount(records)) {
    const group = groups.get(record.groupName);
    if (group) group.push(record);
    else groups.set(record.groupName, [record]);
  }
  return groups;
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
