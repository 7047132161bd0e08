import fc from "fast-check";
import { characterLength, LIMITS } from "../../protocol/rules";
import {
  autoName,
  DEFAULT_PREFIX,
  MAX_GENERATED_PHONE_NAME,
  randomSuffix,
  SUFFIX_LENGTH,
} from "../../provider/naming";

describe("autoName", () => {
  it.each([
    ["office", 32, "abcdefg", "office-abcdefg"],
    [undefined, 32, "abcdefg", `${DEFAULT_PREFIX}-abcdefg`],
    ["", 32, "abcdefg", `${DEFAULT_PREFIX}-abcdefg`],
    [" \t ", 32, "abcdefg", `${DEFAULT_PREFIX}-abcdefg`],
    ["  web  ", 32, "abcdefg", "web-abcdefg"],
    ["a", 32, "abcdefg", "a-abcdefg"],
    // 32 - 7 - 1 = 24 characters of prefix are left.
    ["x".repeat(60), 32, "abcdefg", `${"x".repeat(24)}-abcdefg`],
    ["x".repeat(60), 28, "abcdefg", `${"x".repeat(20)}-abcdefg`],
    // Cut by characters: 24 Chinese characters, not 24 UTF-16 units or bytes.
    ["话".repeat(40), 32, "abcdefg", `${"话".repeat(24)}-abcdefg`],
    // An emoji is 2 UTF-16 units but one character, and is never split.
    ["😀".repeat(30), 32, "abcdefg", `${"😀".repeat(24)}-abcdefg`],
    // A cut that ends in a space drops it rather than giving "…  -suffix".
    [`${"y".repeat(23)} z`, 32, "abcdefg", `${"y".repeat(23)}-abcdefg`],
    // Only an injected suffix can be this short; the result is padded to the minimum.
    ["ab", 32, "", "ab-0"],
    ["ab", 32, "q", "ab-q"],
    // A suffix longer than the whole name is cut rather than overflowing.
    ["ab", 28, "s".repeat(40), "s".repeat(28)],
  ])("(%j, %i, %j) -> %j", (prefix, max, suffix, expected) => {
    expect(autoName(prefix, max, suffix)).toBe(expected);
  });

  it("uses a fresh random suffix by default", () => {
    const names = new Set(Array.from({ length: 20 }, () => autoName("office", 32)));
    expect(names.size).toBe(20);
    for (const name of names) expect(name).toMatch(/^office-[a-z0-9]{7}$/);
  });

  it("any prefix and suffix give 4-32 characters; phone names at most 28 (property)", () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: "binary", maxLength: 80 }), { nil: undefined }),
        fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
        fc.constantFrom(LIMITS.nameMax, MAX_GENERATED_PHONE_NAME),
        (prefix, suffix, max) => {
          const length = characterLength(autoName(prefix, max, suffix));
          expect(length).toBeGreaterThanOrEqual(LIMITS.nameMin);
          expect(length).toBeLessThanOrEqual(max);
        },
      ),
    );
  });

  it("keeps the whole default suffix for any prefix (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (prefix) => {
        expect(autoName(prefix, MAX_GENERATED_PHONE_NAME, "k3x9q2m")).toMatch(/(^|-)k3x9q2m$/);
      }),
    );
  });
});

describe("randomSuffix", () => {
  it("is SUFFIX_LENGTH lowercase alphanumerics", () => {
    expect(SUFFIX_LENGTH).toBe(7);
    expect(randomSuffix()).toMatch(/^[a-z0-9]{7}$/);
  });

  it("maps the random source over the whole alphabet, evenly", () => {
    let i = 0;
    const counting = (n: number) => i++ % n;
    expect(randomSuffix(36, counting)).toBe("abcdefghijklmnopqrstuvwxyz0123456789");
  });

  it("asks the source for indexes below 36 only", () => {
    const asked: number[] = [];
    randomSuffix(5, (n) => {
      asked.push(n);
      return n - 1;
    });
    expect(asked).toEqual([36, 36, 36, 36, 36]);
  });

  it("varies between calls", () => {
    expect(new Set(Array.from({ length: 50 }, () => randomSuffix())).size).toBe(50);
  });
});
