import fc from "fast-check";
import {
  applyRules,
  characterLength,
  displayNumRule,
  nameRule,
  pageNumberRule,
  quantityRule,
  SIP_ADD_RULES,
} from "../../protocol/rules";

describe("vendor field rules", () => {
  it.each([
    ["abc", false],
    ["abcd", true],
    ["a".repeat(32), true],
    ["a".repeat(33), false],
    ["话机组一", true], // 4 characters, 12 bytes
    ["话机组", false],
    ["    ", false], // blank
    ["a b ", true],
  ])("name %j valid=%s", (name, valid) => {
    expect(nameRule(name) === undefined).toBe(valid);
  });

  it.each([
    [0, false],
    [1, true],
    [50, true],
    [51, false],
    [1.5, false],
    ["5", false],
  ])("quantity %j valid=%s", (quantity, valid) => {
    expect(quantityRule(quantity) === undefined).toBe(valid);
  });

  it.each([
    ["123456", false],
    ["1234567", true],
    ["1234567890123", true],
    ["12345678901234", false],
    ["86100000a", false],
    ["+8610000000", false],
    [8610000000, false],
  ])("displayNum %j valid=%s", (displayNum, valid) => {
    expect(displayNumRule(displayNum) === undefined).toBe(valid);
  });

  it("reports one failure per broken property, naming it", () => {
    const failures = applyRules(SIP_ADD_RULES, {
      groupName: "ab",
      quantity: 99,
      displayNum: "1234567",
      appId: "x",
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["groupName", "phoneName", "quantity"]);
    expect(failures.find((f) => f.property === "quantity")?.reason).toMatch(/between 1 and 50/);
  });

  it("treats a non-object body as having every field missing", () => {
    expect(applyRules(SIP_ADD_RULES, "nope")).toHaveLength(5);
  });

  it("page numbers: absent is the default, present must be whole and in range", () => {
    const size = pageNumberRule(1, 100);
    expect(size(undefined)).toBeUndefined();
    expect(size(100)).toBeUndefined();
    expect(size(101)).toBeDefined();
    expect(size("1")).toBeDefined();
  });

  it("counts characters, not UTF-16 units (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "话", "😀"), { minLength: 4, maxLength: 32 }), (chars) => {
        const name = chars.join("");
        expect(characterLength(name)).toBe(chars.length);
        expect(nameRule(name)).toBeUndefined();
      }),
    );
  });
});
