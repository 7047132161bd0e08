import { diffGroup, diffPassword, triggersChanged } from "../../provider/diff";
import { secret, UNKNOWN } from "../../provider/secrets";

/** The checked inputs of a group. */
const inputs = {
  appId: "app1",
  groupName: "grp-one",
  phoneName: "phone-one",
  quantity: 3,
  displayNum: "8610000000",
  namePrefix: "office",
  __provider: "old provider text",
};
/** The same group's state (outputs) as the engine sends it to diff. */
const state = {
  ...inputs,
  adopt: false,
  accounts: ["phone-one_001", "phone-one_002"],
  passwords: secret({ "phone-one_001": "a", "phone-one_002": "b" }),
  lastResetAt: "2024-01-01T00:00:00.000Z",
};
const none = { changes: false, replaces: [], deleteBeforeReplace: false };
const update = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("diffGroup", () => {
  it("same inputs: no changes", () => {
    expect(diffGroup(state, inputs)).toEqual(none);
  });

  it.each<[string, unknown]>([
    ["appId", "app2"],
    ["appId", UNKNOWN],
    ["groupName", "grp-two"],
    ["groupName", UNKNOWN],
    ["phoneName", "phone-two"],
    ["phoneName", UNKNOWN],
    ["quantity", 4],
    ["quantity", "3"],
    ["quantity", UNKNOWN],
    ["displayNum", "8620000000"],
    ["displayNum", UNKNOWN],
    ["displayNum", secret(UNKNOWN)],
  ])("%s -> %j replaces (the new group first: deleteBeforeReplace is false)", (key, value) => {
    expect(diffGroup(state, { ...inputs, [key]: value })).toEqual({
      changes: true,
      replaces: [key],
      deleteBeforeReplace: false,
    });
  });

  it("lists every replacing property, in a stable order", () => {
    const news = { ...inputs, displayNum: "8620000000", appId: "app2", quantity: 9 };
    expect(diffGroup(state, news).replaces).toEqual(["appId", "quantity", "displayNum"]);
  });

  it("a replacement that also changes resetTriggers is still one replacement", () => {
    expect(diffGroup(state, { ...inputs, quantity: 4, resetTriggers: [1] })).toEqual({
      changes: true,
      replaces: ["quantity"],
      deleteBeforeReplace: false,
    });
  });

  it.each<[string, unknown, unknown, boolean]>([
    ["absent -> []", undefined, [], false],
    ["[] -> absent", [], undefined, false],
    ["null -> []", null, [], false],
    ["absent -> [1]", undefined, [1], true],
    ["[1] -> absent", [1], undefined, true],
    ["[1] -> [1]", [1], [1], false],
    ["[1] -> [2]", [1], [2], true],
    ["[1] -> [1, 1]", [1], [1, 1], true],
    ["[1, 2] -> [2, 1] (order counts)", [1, 2], [2, 1], true],
    ["[1] -> ['1'] (types count)", [1], ["1"], true],
    ["object keys in another order", [{ a: 1, b: { c: 2, d: 3 } }], [{ b: { d: 3, c: 2 }, a: 1 }], false],
    ["nested value", [{ a: [1] }], [{ a: [2] }], true],
    ["secret-wrapped, same value", [1], secret([1]), false],
    ["wrapped inside, same value", [1, 2], [secret(1), 2], false],
    ["secret-wrapped, new value", [1], secret([2]), true],
    ["unknown element", [1], [1, UNKNOWN], true],
    ["unknown list", [1], UNKNOWN, true],
  ])("resetTriggers %s: update=%s, never a replacement", (_what, before, after, changed) => {
    const olds = before === undefined ? state : { ...state, resetTriggers: before };
    const news = after === undefined ? inputs : { ...inputs, resetTriggers: after };
    expect(diffGroup(olds, news)).toEqual(changed ? update : none);
  });

  it.each<[string, unknown]>([
    ["__provider", "new provider text"],
    ["adopt", true],
    ["namePrefix", "renamed"],
    ["namePrefix", UNKNOWN],
    ["adopt", UNKNOWN],
    ["somethingElse", 1],
  ])("%s -> %j changes nothing", (key, value) => {
    expect(diffGroup(state, { ...inputs, [key]: value })).toEqual(none);
  });

  it("outputs missing from the inputs change nothing", () => {
    const { accounts: _a, passwords: _p, lastResetAt: _l, ...bare } = state;
    expect(diffGroup(bare, inputs)).toEqual(none);
    expect(diffGroup({ ...state, lastResetAt: "2030-01-01T00:00:00.000Z" }, inputs)).toEqual(none);
  });

  it("compares secret-wrapped values on either side by what they hold", () => {
    const wrapped = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, secret(v)]));
    expect(diffGroup(state, wrapped)).toEqual(none);
    expect(diffGroup(wrapped, inputs)).toEqual(none);
    expect(diffGroup(state, { ...inputs, groupName: secret("grp-two") }).replaces).toEqual(["groupName"]);
  });

  describe("a state with reset triggers", () => {
    const olds = {
      ...inputs,
      resetTriggers: [1],
      adopt: false,
      accounts: ["phone-one_001"],
      passwords: { "phone-one_001": "x" },
      __provider: "old text",
    };
    const { accounts: _a, passwords: _p, ...checked } = olds;

    it("reports no changes for the same inputs", () => {
      expect(diffGroup(olds, checked)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it.each([
      ["appId", "app2"],
      ["groupName", "grp-two"],
      ["phoneName", "phone-two"],
      ["quantity", 4],
      ["displayNum", "8620000000"],
    ])("%s forces a replacement, created before the old one is deleted", (key, value) => {
      expect(diffGroup(olds, { ...checked, [key]: value })).toEqual({
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
      expect(diffGroup(olds, { ...checked, [key]: value })).toEqual({
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
      expect(diffGroup(olds, { ...checked, [key]: value }).changes).toBe(false);
    });

    it("compares secret-wrapped values by what they hold", () => {
      expect(diffGroup({ ...olds, appId: secret("app1") }, checked).changes).toBe(false);
    });

    it("treats unknown preview values as changes", () => {
      expect(diffGroup(olds, { ...checked, quantity: UNKNOWN }).replaces).toEqual(["quantity"]);
      expect(diffGroup(olds, { ...checked, resetTriggers: [UNKNOWN] })).toMatchObject({
        changes: true,
        replaces: [],
      });
    });
  });
});

describe("diffPassword", () => {
  const pwState = { appId: "a", account: "acct_001", password: secret("pw"), __provider: "t" };
  const pwInputs = { appId: "a", account: "acct_001", __provider: "t" };

  it.each<[string, Record<string, unknown>, Record<string, unknown>, object]>([
    ["nothing", {}, {}, none],
    ["appId", {}, { appId: "b" }, { changes: true, replaces: ["appId"], deleteBeforeReplace: false }],
    [
      "account",
      {},
      { account: "acct_002" },
      { changes: true, replaces: ["account"], deleteBeforeReplace: false },
    ],
    [
      "account unknown",
      {},
      { account: UNKNOWN },
      { changes: true, replaces: ["account"], deleteBeforeReplace: false },
    ],
    ["account secret-wrapped, same", {}, { account: secret("acct_001") }, none],
    ["triggers absent -> []", {}, { triggers: [] }, none],
    ["triggers [] -> absent", { triggers: [] }, {}, none],
    ["triggers added", {}, { triggers: ["r1"] }, update],
    ["triggers changed", { triggers: ["r1"] }, { triggers: ["r2"] }, update],
    ["triggers unknown", { triggers: ["r1"] }, { triggers: [UNKNOWN] }, update],
    ["__provider", {}, { __provider: "new" }, none],
  ])("%s", (_what, oldChange, newChange, expected) => {
    expect(diffPassword({ ...pwState, ...oldChange }, { ...pwInputs, ...newChange })).toEqual(expected);
  });

  const withTriggers = { appId: "a", account: "acct_001", triggers: [1], password: "x" };
  it.each([
    [{ appId: "a", account: "acct_001", triggers: [1] }, false, []],
    [{ appId: "a", account: "acct_001", triggers: [2] }, true, []],
    [{ appId: "a", account: "acct_002", triggers: [1] }, true, ["account"]],
    [{ appId: "b", account: "acct_001", triggers: [1] }, true, ["appId"]],
  ])("%j -> changes=%s replaces=%j", (news, changes, replaces) => {
    expect(diffPassword(withTriggers, news)).toMatchObject({ changes, replaces });
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
