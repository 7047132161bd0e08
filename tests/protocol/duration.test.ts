/**
 * `rotateAfter`'s one parser (protocol/duration.ts): the provider's check and the
 * policy pack's rotation rule both judge durations with it, so they cannot disagree
 * on what "90d" means or where the range ends.
 */
import fc from "fast-check";
import { DURATION_UNITS, parseDuration, ROTATE_AFTER_RANGE, rotateAfterRule } from "../../protocol/duration";

const DAY = 86_400;

describe("parseDuration", () => {
  it.each([
    ["1s", 1],
    ["59s", 59],
    ["1m", 60],
    ["12h", 12 * 3_600],
    ["90d", 90 * DAY],
    ["3650d", 3_650 * DAY],
    ["87600h", 3_650 * DAY],
    ["5256000m", 3_650 * DAY],
    ["315360000s", 3_650 * DAY],
    ["090d", 90 * DAY],
  ])("%j is %d seconds", (text, seconds) => {
    const result = parseDuration(text);
    expect(result).toEqual({ ok: true, duration: expect.objectContaining({ seconds }) });
  });

  it("keeps the amount and the unit as written", () => {
    expect(parseDuration("12h")).toEqual({ ok: true, duration: { amount: 12, unit: "h", seconds: 43_200 } });
  });

  it.each([
    ["0s", /between 1s and 3650d/],
    ["0d", /between 1s and 3650d/],
    ["3651d", /between 1s and 3650d/],
    ["87601h", /between 1s and 3650d/],
    ["315360001s", /between 1s and 3650d/],
    ["99999999999999999999999d", /between 1s and 3650d/],
    ["90", /needs a unit/],
    ["90D", /lower-case/],
    ["12H", /lower-case/],
    ["1.5d", /whole number/],
    [".5d", /whole number/],
    ["90 d", /whole number followed by a unit/],
    [" 90d", /whole number followed by a unit/],
    ["-1d", /whole number followed by a unit/],
    ["90w", /whole number followed by a unit/],
    ["90days", /whole number followed by a unit/],
    ["d", /whole number followed by a unit/],
    ["", /whole number followed by a unit/],
    ["1e3s", /whole number followed by a unit/],
  ])("%j is refused: %s", (text, reason) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each([[90], [null], [true], [{ value: "90d" }], [["90d"]]])("%j (not a string) is refused", (value) => {
    expect(parseDuration(value)).toEqual({ ok: false, reason: expect.stringMatching(/must be a string/) });
  });

  it("never echoes the value (it may be a secret)", () => {
    for (const text of ["8675309d", "31337D", "7.25d", "4242", "zz-canary-zz"]) {
      const result = parseDuration(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(text);
    }
  });

  it("a whole number and a unit parse exactly when they fall within the range", () => {
    const units = Object.keys(DURATION_UNITS) as Array<keyof typeof DURATION_UNITS>;
    fc.assert(
      fc.property(fc.nat({ max: 400_000_000 }), fc.constantFrom(...units), (amount, unit) => {
        const seconds = amount * DURATION_UNITS[unit];
        const result = parseDuration(`${amount}${unit}`);
        const inRange = seconds >= ROTATE_AFTER_RANGE.minSeconds && seconds <= ROTATE_AFTER_RANGE.maxSeconds;
        expect(result.ok).toBe(inRange);
        if (result.ok) expect(result.duration).toEqual({ amount, unit, seconds });
      }),
    );
  });

  it("takes another range when given one", () => {
    const week = { minSeconds: 3_600, maxSeconds: 7 * DAY };
    expect(parseDuration("7d", week).ok).toBe(true);
    expect(parseDuration("8d", week)).toEqual({
      ok: false,
      reason: expect.stringMatching(/between 1h and 7d/),
    });
    expect(parseDuration("59m", week)).toEqual({
      ok: false,
      reason: expect.stringMatching(/between 1h and 7d/),
    });
  });
});

describe("rotateAfterRule (for check)", () => {
  it("absent is fine; present must parse", () => {
    expect(rotateAfterRule(undefined)).toBeUndefined();
    expect(rotateAfterRule("90d")).toBeUndefined();
    expect(rotateAfterRule("3651d")).toMatch(/between 1s and 3650d/);
    expect(rotateAfterRule(null)).toMatch(/must be a string/);
  });
});
