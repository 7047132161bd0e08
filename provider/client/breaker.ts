/**
 * The circuit breaker of one operation that makes many calls (a group's resets: a
 * rotation, a destroy). It opens when {@link CIRCUIT_RETRIES} attempts in a row that
 * had waited (retries, or attempts held by a `Retry-After`) were refused again (HTTP
 * 429 or 5xx): after waiting out what the API asked, it still refuses. Then the operation's calls not started yet fail at once
 * (VoiceCircuitOpenError) and its calls already sent stop retrying. A 429 storm with an
 * accepted Retry-After used to hold one destroy for hours (a Retry-After per phone);
 * it now ends it after one round of retries. A passing burst does not open it: its
 * retries succeed, and any answer that is not a refusal starts the count again.
 * Per operation, not per account: the next operation (the next `pulumi up`) tries anew.
 */
export const CIRCUIT_RETRIES = 3;

export class CircuitBreaker {
  #refusedInRow = 0;
  #last: { message: string; httpStatus: number } | undefined;

  /** Why the operation should start no new call and no retry, or undefined while it may. */
  get open(): { why: string; httpStatus: number } | undefined {
    const last = this.#last;
    if (this.#refusedInRow < CIRCUIT_RETRIES || last === undefined) return undefined;
    return {
      why: `the API refused ${this.#refusedInRow} attempts in a row after their wait (the latest: ${last.message})`,
      httpStatus: last.httpStatus,
    };
  }

  /**
   * An answer of one of the operation's attempts: `refusal` for a retry refused again
   * (HTTP 429 or 5xx), undefined for an answer that is not a refusal. A first attempt's
   * refusal, a timeout or a lost connection are not counted.
   */
  note(refusal: { message: string; httpStatus: number } | undefined): void {
    if (refusal === undefined) {
      // Once open, it stays open for the rest of the operation.
      if (this.open === undefined) this.#refusedInRow = 0;
      return;
    }
    this.#refusedInRow++;
    this.#last = refusal;
  }
}
