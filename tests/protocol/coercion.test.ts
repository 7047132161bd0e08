import fc from "fast-check";
import {
  coerceFields,
  digitsField,
  SIP_ADD_COERCIONS,
  SIP_QUERY_COERCIONS,
  wholeNumberField,
} from "../../protocol/coercion";
import { applyRules, SIP_ADD_RULES } from "../../protocol/rules";
import { checkGroup } from "../../provider/check";

describe("wire coercion (what the emulator reads as the vendor's platform does)", () => {
  it("a string of ASCII digits is its decimal number (property)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 3 }), (n, zeros) => {
        expect(wholeNumberField("0".repeat(zeros) + String(n))).toBe(n);
      }),
    );
  });

  it("any other string, and every non-string, passes unchanged for the rule to judge (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().filter((s) => !/^[0-9]+$/.test(s)),
          fc.anything().filter((v) => typeof v !== "string"),
        ),
        (value) => {
          expect(wholeNumberField(value)).toBe(value);
        },
      ),
    );
  });

  it("a non-negative whole JSON number is its digits; other numbers and types pass unchanged", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(digitsField(n)).toBe(String(n));
      }),
    );
    for (const value of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, "0861000000", true, [1], {}])
      expect(digitsField(value)).toBe(value);
  });

  it("copies the body, coerces only the listed fields that are present, leaves non-objects alone", () => {
    const body = { quantity: "3", displayNum: 861000000, groupName: "1234" };
    expect(coerceFields(SIP_ADD_COERCIONS, body)).toEqual({
      quantity: 3,
      displayNum: "861000000",
      groupName: "1234",
    });
    expect(body.quantity).toBe("3");
    expect(coerceFields(SIP_QUERY_COERCIONS, {})).toEqual({});
    for (const value of ["x", null, ["3"], 3]) expect(coerceFields(SIP_ADD_COERCIONS, value)).toBe(value);
  });

  it("the strict rules and the provider's check still reject the scalars the wire accepts", () => {
    // check validates a program's typed inputs: a string quantity there is a mistake to report.
    const inputs = {
      appId: "app",
      groupName: "abcd",
      phoneName: "efgh",
      quantity: "3",
      displayNum: 861000000,
    };
    expect(applyRules(SIP_ADD_RULES, inputs).map((f) => f.property)).toEqual(["quantity", "displayNum"]);
    expect(checkGroup(undefined, inputs).failures).toEqual([
      { property: "quantity", reason: "quantity must be a whole number" },
      { property: "displayNum", reason: "displayNum must be a string of digits" },
    ]);
  });
});
