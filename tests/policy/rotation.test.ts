import { PASSWORD_TYPE, rotationRequired } from "../../policy";
import { rotationProblems } from "../../policy/rotation";
import { UNKNOWN, validate } from "./args";

const group = { appId: "app1", quantity: 2, displayNum: "8610000000", namePrefix: "office" };

describe("itniotech-rotation-required", () => {
  it.each([
    ["90d", {}],
    ["1s", {}],
    ["2160h", {}],
    ["30d", { maxDays: 30 }],
    ["3650d", { maxDays: 3650 }],
  ])("compliant: rotateAfter %j with config %j", async (rotateAfter, config) => {
    expect(await validate(rotationRequired, { props: { ...group, rotateAfter }, config })).toEqual([]);
  });

  it.each([
    [undefined, {}, /rotateAfter is not set: set it \(e.g. rotateAfter: "90d"\)/],
    [undefined, { maxDays: 30 }, /e.g. rotateAfter: "30d"/],
    ["91d", {}, /longer than 90 days \(maxDays\)/],
    ["2161h", {}, /longer than 90 days/],
    ["31d", { maxDays: 30 }, /longer than 30 days/],
    ["90D", {}, /rotateAfter must use a lower-case unit/],
    ["3651d", { maxDays: 3650 }, /rotateAfter must be between 1s and 3650d/],
    ["0s", {}, /between 1s and 3650d/],
  ])("violating: rotateAfter %j with config %j", async (rotateAfter, config, message) => {
    const props = rotateAfter === undefined ? group : { ...group, rotateAfter };
    const messages = await validate(rotationRequired, { props, config });
    expect(messages).toEqual([expect.stringMatching(message)]);
  });

  it("applies to SipPhonePassword too", async () => {
    const props = { appId: "app1", account: "office_001" };
    expect(await validate(rotationRequired, { type: PASSWORD_TYPE, props })).toHaveLength(1);
    expect(
      await validate(rotationRequired, { type: PASSWORD_TYPE, props: { ...props, rotateAfter: "7d" } }),
    ).toEqual([]);
  });

  it("ignores every other resource type", async () => {
    expect(await validate(rotationRequired, { type: "aws:s3/bucket:Bucket", props: {} })).toEqual([]);
  });

  it("does not judge a rotateAfter that is unknown in a preview", async () => {
    expect(await validate(rotationRequired, { props: { ...group, rotateAfter: UNKNOWN } })).toEqual([]);
  });

  it("never quotes the value (it may be a secret)", () => {
    for (const rotateAfter of ["8675309d", "31337D", "zz-canary-zz"]) {
      expect(rotationProblems({ rotateAfter }, { maxDays: 90 }).join()).not.toContain(rotateAfter);
    }
  });
});
