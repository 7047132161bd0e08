/**
 * A token bucket: `perSecond` requests a second on average, bursts of up to one
 * second's worth (at least 1). A request beyond it is told when a token will be
 * there, in whole seconds, as HTTP's `Retry-After` takes it.
 */
export class RateLimiter {
  readonly #capacity: number;
  #tokens: number;
  #last: number;

  constructor(
    private readonly perSecond: number,
    /** Monotonic milliseconds: a test's fake wall clock must not refill the bucket. */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#capacity = Math.max(1, perSecond);
    this.#tokens = this.#capacity;
    this.#last = clock();
  }

  /** Takes a token: `undefined` when the request may pass, else the seconds to wait (>= 1). */
  take(): number | undefined {
    const now = this.clock();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#last) * this.perSecond) / 1000);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.perSecond));
  }
}
