import { debuglog } from "node:util";

/** How a finished attempt went, as far as the vendor's load is concerned. */
export type Outcome =
  /** An answer that is not push-back (success or a definite vendor answer). */
  | "ok"
  /** HTTP 429 or 503: the vendor (or its gateway) asks us to slow down. */
  | "pushback"
  /** -18, a system exception: one is noise, a burst is push-back. */
  | "system"
  /** A timeout or connection failure: says nothing about the vendor's load. */
  | "neutral";

/** What an attempt holds while it is in flight. */
export interface Slot {
  /** The budget's decrease count when the slot was taken (see `release`). */
  readonly epoch: number;
  /** Whether the attempt waited out a `Retry-After` hold before it started. */
  held?: boolean;
}

/** The clock and timer an attempt waits with (a client's options, so tests need no real waiting). */
export interface Waiting {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

/**
 * AIMD: a decrease halves the limit (never below 1); after `roundsPerIncrease` ×
 * `limit` answers in a row that are not push-back (that many round trips of the
 * whole window), it grows by 1, up to the configured maximum. Vendors count quotas
 * per second, not per round trip: growing every round (TCP's pace) hit a
 * fixed-window limit of 100/s again within a second, and 11% of requests were 429;
 * every fourth round, 5% (0.7% against a token bucket). See docs/RELIABILITY.md.
 */
export const AIMD = {
  decreaseFactor: 0.5,
  increaseStep: 1,
  roundsPerIncrease: 4,
  /** -18 answers among the last `systemWindow` that make a burst. */
  systemBurst: 3,
  systemWindow: 10,
} as const;

/**
 * Most requests a second a budget can be paced to: one start per millisecond, the
 * resolution of Node's timers (docs/RELIABILITY.md).
 */
export const MAX_REQUESTS_PER_SECOND = 1_000;

/**
 * Fewest requests a second a budget can be paced to: one start every 100 s. A slower
 * pace is a mistake (a 50-phone rotation would take over an hour), and a pace near 0
 * made a gap longer than a Node.js timer can wait (2^31 − 1 ms), which Node turns
 * into 1 ms: 0.0000001 a second paced nothing (docs/RELIABILITY.md).
 */
export const MIN_REQUESTS_PER_SECOND = 0.01;

/** The rule {@link isPace} checks, for messages. */
export const PACE_RULE = `at least ${MIN_REQUESTS_PER_SECOND} (one request every ${1 / MIN_REQUESTS_PER_SECOND} s) and at most ${MAX_REQUESTS_PER_SECOND}`;

/** Whether a budget can be paced to `perSecond`: from {@link MIN_REQUESTS_PER_SECOND} to {@link MAX_REQUESTS_PER_SECOND}. */
export function isPace(perSecond: number): boolean {
  return perSecond >= MIN_REQUESTS_PER_SECOND && perSecond <= MAX_REQUESTS_PER_SECOND;
}

/**
 * The requests in flight for one API account: one budget per base URL and API key in
 * the process, shared by every client built for them, so the limit holds for every
 * resource and operation of a provider process, scans included.
 *
 * A request takes a slot for one attempt (never while it backs off), and gives it
 * back with the attempt's outcome, which drives the limit (AIMD, as TCP does):
 * push-back — HTTP 429 or 503, or a burst of -18 — halves the limit once per round
 * (only requests sent after the last decrease can decrease it again, so one burst of
 * answers to requests already in flight counts once); answers without push-back raise
 * it by one every `AIMD.roundsPerIncrease` rounds. A `Retry-After` holds every new attempt of the budget until it
 * has passed. Limit changes are written to the debug log (`NODE_DEBUG=itniotech`).
 *
 * With a pace (`setPace`, `itniotech:requestsPerSecond`), attempts also start at
 * least 1/N s apart, in the order they got their slot: a vendor's quota of N a
 * second is kept rather than learnt from its refusals (a vendor that blocks
 * addresses may not refuse twice). Evenly spaced starts put at most N in any
 * one-second window, fixed or sliding, where a burst allowance would put up to 2N in
 * a window that straddles two.
 */
/**
 * The most time `Retry-After` may hold one account in one provider process (one
 * `pulumi up`), in all: 10 minutes. Each hold is at most 60 s, and an operation's
 * circuit breaker stops a storm after a round or two; this bounds the rest, such as
 * many operations meeting a slow vendor one after another (docs/RELIABILITY.md).
 */
export const MAX_HELD_MS = 600_000;

export class RequestBudget {
  #max: number;
  #limit: number;
  #inFlight = 0;
  #epoch = 0;
  #okInRow = 0;
  #recentSystem: boolean[] = [];
  #heldUntil = 0;
  /** Time this account has been held by `Retry-After` in this process, in all. */
  #heldMs = 0;
  #highWater = 0;
  /** Milliseconds between two starts (0: not paced), and when the next may start. */
  #interval = 0;
  #nextStart = 0;
  readonly #waiters: Array<(slot: Slot) => void> = [];

  /**
   * @param label names the budget in the debug log (the base URL, which holds no credential)
   */
  constructor(
    max: number,
    readonly label: string,
    private readonly log: (message: string) => void = debug,
  ) {
    this.#max = max;
    this.#limit = max;
  }

  /** The configured maximum of requests in flight. */
  get max(): number {
    return this.#max;
  }

  /** The current limit (the maximum, or less after push-back). */
  get limit(): number {
    return this.#limit;
  }

  /** Attempts in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most attempts that were ever in flight at once. */
  get highWater(): number {
    return this.#highWater;
  }

  /** Requests a second the budget is paced to, or undefined when it is not. */
  get perSecond(): number | undefined {
    return this.#interval === 0 ? undefined : 1000 / this.#interval;
  }

  /** Paces starts to `perSecond` (1/N s apart), or stops pacing (undefined); the latest configuration wins. */
  setPace(perSecond: number | undefined): void {
    if (perSecond !== undefined && !isPace(perSecond))
      throw new RangeError(`requests per second must be ${PACE_RULE}`);
    const interval = perSecond === undefined ? 0 : 1000 / perSecond;
    if (interval === this.#interval) return;
    this.#interval = interval;
    this.log(`${this.label}: ${perSecond === undefined ? "not paced" : `paced to ${perSecond} requests/s`}`);
  }

  /** Changes the maximum (the latest configuration wins); the limit follows it down at once. */
  setMax(max: number): void {
    if (max === this.#max) return;
    this.#max = max;
    if (this.#limit > max) this.#change(max, "configured maximum");
    else this.#drain();
  }

  /**
   * Waits for a slot (first come, first served), then for any `Retry-After` hold to
   * pass, then for its turn of the pace.
   */
  async acquire(waiting: Waiting): Promise<Slot> {
    const slot =
      this.#inFlight < this.#limit && this.#waiters.length === 0
        ? this.#take()
        : await new Promise<Slot>((resolve) => this.#waiters.push(resolve));
    if (await this.#hold(waiting)) slot.held = true;
    if (this.#interval > 0) {
      // The start is reserved before the wait, so attempts keep the order they got their slot in.
      // Only attempts holding a slot wait for a turn they reserved, so the next turn is
      // at most that many intervals away: a wall clock stepped back cannot make an
      // attempt wait longer.
      const now = waiting.now();
      const start = Math.max(now, Math.min(this.#nextStart, now + this.#interval * this.#inFlight));
      this.#nextStart = start + this.#interval;
      if (start > now) {
        await waiting.sleep(start - now);
        // A Retry-After that arrived during the wait holds this attempt too.
        if (await this.#hold(waiting)) slot.held = true;
      }
    }
    return slot;
  }

  /** Waits out the hold; resolves whether there was one to wait. */
  async #hold(waiting: Waiting): Promise<boolean> {
    let held = false;
    for (let hold = this.#heldUntil - waiting.now(); hold > 0; hold = this.#heldUntil - waiting.now()) {
      held = true;
      await waiting.sleep(hold);
    }
    return held;
  }

  /** Gives a slot back with its attempt's outcome. */
  release(slot: Slot, outcome: Outcome): void {
    this.#inFlight--;
    this.#feedback(slot, outcome);
    this.#drain();
  }

  /**
   * Whether the account may still be held `ms` more: its holds of this process stay
   * within {@link MAX_HELD_MS} in all. Past that, a `Retry-After` is not waited: the
   * call fails at once (a provider process must end in bounded time).
   */
  mayHold(ms: number): boolean {
    return this.#heldMs + ms <= MAX_HELD_MS;
  }

  /** Holds every attempt that has not started yet until `untilMs` (a server's `Retry-After`). */
  holdUntil(untilMs: number, nowMs: number): void {
    if (untilMs <= this.#heldUntil) return;
    this.#heldMs += untilMs - Math.max(this.#heldUntil, nowMs);
    this.#heldUntil = untilMs;
    this.log(`${this.label}: holding new requests ${Math.round(untilMs - nowMs)} ms (Retry-After)`);
  }

  #feedback(slot: Slot, outcome: Outcome): void {
    if (outcome === "neutral") return;
    if (outcome === "system" || outcome === "ok") {
      this.#recentSystem.push(outcome === "system");
      if (this.#recentSystem.length > AIMD.systemWindow) this.#recentSystem.shift();
    }
    const burst = this.#recentSystem.filter(Boolean).length >= AIMD.systemBurst;
    if (outcome === "pushback" || (outcome === "system" && burst)) {
      this.#okInRow = 0;
      // Answers to requests sent before the last decrease describe the old limit.
      if (slot.epoch !== this.#epoch) return;
      this.#epoch++;
      this.#recentSystem = [];
      const lower = Math.max(1, Math.floor(this.#limit * AIMD.decreaseFactor));
      if (lower < this.#limit)
        this.#change(lower, outcome === "pushback" ? "push-back (HTTP 429/503)" : "a burst of -18");
      return;
    }
    if (outcome === "system") return;
    if (this.#limit >= this.#max) return;
    if (++this.#okInRow >= this.#limit * AIMD.roundsPerIncrease) {
      this.#okInRow = 0;
      this.#change(Math.min(this.#max, this.#limit + AIMD.increaseStep), "answers without push-back");
    }
  }

  #change(limit: number, why: string): void {
    this.log(`${this.label}: request limit ${this.#limit} -> ${limit} of ${this.#max} (${why})`);
    this.#limit = limit;
    this.#drain();
  }

  #take(): Slot {
    this.#inFlight++;
    if (this.#inFlight > this.#highWater) this.#highWater = this.#inFlight;
    return { epoch: this.#epoch };
  }

  #drain(): void {
    while (this.#inFlight < this.#limit && this.#waiters.length > 0)
      (this.#waiters.shift() as (slot: Slot) => void)(this.#take());
  }
}

const debug = debuglog("itniotech");

/** The process's budgets, one per base URL and API key. */
const budgets = new Map<string, RequestBudget>();

/**
 * The budget for one API account in this process, created on first use. A client
 * built later with another maximum changes it for every client of that account
 * (the latest configuration wins).
 */
export function sharedBudget(
  baseUrl: string,
  apiKey: string,
  max: number,
  perSecond?: number,
): RequestBudget {
  const key = JSON.stringify([baseUrl, apiKey]);
  let budget = budgets.get(key);
  if (budget === undefined) budgets.set(key, (budget = new RequestBudget(max, baseUrl)));
  else budget.setMax(max);
  budget.setPace(perSecond);
  return budget;
}
