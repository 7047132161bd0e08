import { callerIdAllowlist } from "../../policy";
import { UNKNOWN, validate } from "./args";

const props = (displayNum: unknown) => ({ appId: "app1", quantity: 2, displayNum, namePrefix: "office" });
const allowedCallerIds = ["8610[0-9]{6}", "4930123456"];

describe("itniotech-caller-id-allowlist", () => {
  it.each([
    ["8610000000", { allowedCallerIds }],
    ["4930123456", { allowedCallerIds }],
    ["12345678", {}], // unset: checks nothing
  ])("compliant: %j with %j", async (displayNum, config) => {
    expect(await validate(callerIdAllowlist, { props: props(displayNum), config })).toEqual([]);
  });

  it.each([
    ["8620000000"],
    ["49301234567"], // contains an allowed number: patterns match the whole number
    ["x4930123456"],
    ["861000000000"],
  ])("violating: %j", async (displayNum) => {
    const messages = await validate(callerIdAllowlist, {
      props: props(displayNum),
      config: { allowedCallerIds },
    });
    expect(messages).toEqual([
      expect.stringMatching(/^displayNum is not an allowed caller ID: it matches none of the 2 patterns/),
    ]);
    expect(messages[0]).not.toContain(displayNum);
  });

  it("does not judge a displayNum that is unknown in a preview", async () => {
    expect(
      await validate(callerIdAllowlist, { props: props(UNKNOWN), config: { allowedCallerIds } }),
    ).toEqual([]);
  });

  it("a pattern that is not a regular expression is an error naming it", async () => {
    await expect(
      validate(callerIdAllowlist, { props: props("8610000000"), config: { allowedCallerIds: ["86[", "1"] } }),
    ).rejects.toThrow(/itniotech-caller-id-allowlist: allowedCallerIds\[0\] "86\[" is not a valid/);
  });
});
