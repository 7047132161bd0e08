import { diffGroup, diffPassword, triggersChanged } from "../../provider/diff";
import { secret, UNKNOWN } from "../../provider/secrets";

const olds = {
  appId: "app1",
  groupName: "grp-one",
  phoneName: "phone-one",
  quantity: 3,
  displayNum: "8610000000",
  namePrefix: "office",
  resetTriggers: [1],
  adopt: false,
  accounts: ["phone-one_001"],
  passwords: { "phone-one_001": "x" },
  __provider: "old text",
};
const { accounts: _a, passwords: _p, ...inputs } = olds;

describe("diffGroup", () => {
  it("reports no changes for the same inputs", () => {
    expect(diffGroup(olds, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it.each([
    ["appId", "app2"],
    ["groupName", "grp-two"],
    ["phoneName", "phone-two"],
    ["quantity", 4],
    ["displayNum", "8620000000"],
  ])("%s forces a replacement, created before the old one is deleted", (key, value) => {
    expect(diffGroup(olds, { ...inputs, [key]: value })).toEqual({
      changes: true,
      replaces: [key],
      deleteBeforeReplace: false,
    });
  });

  it.each([
    ["resetTriggers", [2]],
    ["resetTriggers", [1, 2]],
    ["resetTriggers", [{ epoch: 1 }]],
  ])("%s=%j is an update", (key, value) => {
    expect(diffGroup(olds, { ...inputs, [key]: value })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each([
    ["__provider", "new text"],
    ["adopt", true],
    ["namePrefix", "renamed"],
  ])("%s changes nothing", (key, value) => {
    expect(diffGroup(olds, { ...inputs, [key]: value }).changes).toBe(false);
  });

  it("compares secret-wrapped values by what they hold", () => {
    expect(diffGroup({ ...olds, appId: secret("app1") }, inputs).changes).toBe(false);
  });

  it("treats unknown preview values as changes", () => {
    expect(diffGroup(olds, { ...inputs, quantity: UNKNOWN }).replaces).toEqual(["quantity"]);
    expect(diffGroup(olds, { ...inputs, resetTriggers: [UNKNOWN] })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });
});

describe("triggersChanged", () => {
  it.each([
    [undefined, [], false],
    [[], undefined, false],
    [undefined, undefined, false],
    [[{ a: 1, b: 2 }], [{ b: 2, a: 1 }], false],
    [[1], ["1"], true],
    [[1, 2], [2, 1], true],
  ])("%j -> %j changed=%s", (before, after, changed) => {
    expect(triggersChanged(before, after)).toBe(changed);
  });
});

describe("diffPassword", () => {
  const state = { appId: "a", account: "acct_001", triggers: [1], password: "x" };
  it.each([
    [{ appId: "a", account: "acct_001", triggers: [1] }, false, []],
    [{ appId: "a", account: "acct_001", triggers: [2] }, true, []],
    [{ appId: "a", account: "acct_002", triggers: [1] }, true, ["account"]],
    [{ appId: "b", account: "acct_001", triggers: [1] }, true, ["appId"]],
  ])("%j -> changes=%s replaces=%j", (news, changes, replaces) => {
    expect(diffPassword(state, news)).toMatchObject({ changes, replaces });
  });
});
