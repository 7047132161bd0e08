/**
 * check and diff never throw: a cyclic, very deep, very wide or very large value —
 * in the trigger lists above all, the only inputs that hold structures — fails
 * check naming the property, and diff treats it as a change. The bounds (32
 * levels, 1,000 values, 64 KiB of JSON) are the ones docs/RELIABILITY.md states.
 */
import { sipPhoneGroupProvider as group, sipPhonePasswordProvider as password } from "../../provider";

type Props = Record<string, unknown>;

const GROUP_INPUTS = {
  appId: "bounds-app",
  quantity: 2,
  displayNum: "8610000000",
  groupName: "bounds-group",
  phoneName: "boundsphone",
  namePrefix: "bounds",
};
const PASSWORD_INPUTS = { appId: "bounds-app", account: "boundsphone_001" };

/** A list `levels` lists deep: `nested(1)` is `[]`, `nested(2)` is `[[]]`. */
function nested(levels: number): unknown[] {
  let list: unknown[] = [];
  for (let i = 1; i < levels; i++) list = [list];
  return list;
}

function cyclicList(): unknown[] {
  const list: unknown[] = ["2026-11"];
  list.push(list);
  return list;
}

function cyclicObject(): unknown[] {
  const object: Props = { version: 1 };
  object["self"] = object;
  return [object];
}

/** 2^30 leaves through shared references, only 31 levels deep: walking it naively never ends. */
function shared(): unknown[] {
  let list: unknown[] = [1];
  for (let i = 0; i < 30; i++) list = [list, list];
  return list;
}

const HOSTILE: Array<[string, () => unknown, RegExp]> = [
  ["a list that contains itself", cyclicList, /must not contain itself/],
  ["an object that contains itself", cyclicObject, /must not contain itself/],
  ["100,000 levels deep", () => nested(100_000), /must be nested at most 32 levels deep/],
  ["33 levels deep", () => nested(33), /must be nested at most 32 levels deep/],
  ["1,001 values", () => Array.from({ length: 1001 }, (_, i) => i), /must hold at most 1000 values/],
  ["2^30 values through shared references", shared, /must hold at most 1000 values/],
  ["70,000 characters of JSON", () => ["x".repeat(70_000)], /must be at most 64 KiB as JSON/],
];

const WITHIN: Array<[string, unknown]> = [
  ["32 levels deep", nested(32)],
  ["1,000 values", Array.from({ length: 1000 }, (_, i) => i)],
  ["60,000 characters of JSON", ["x".repeat(60_000)]],
  [
    "the same list twice (shared, not cyclic)",
    (() => {
      const month = ["2026-11"];
      return [month, month];
    })(),
  ],
];

describe.each([
  ["SipPhoneGroup", group, GROUP_INPUTS, "resetTriggers"],
  ["SipPhonePassword", password, PASSWORD_INPUTS, "triggers"],
] as const)("%s check", (_type, provider, inputs, key) => {
  it.each(HOSTILE)(`${key}: %s fails, naming ${key} and the bound`, async (_what, value, reason) => {
    const { failures } = await provider.check({}, { ...inputs, [key]: value() });
    expect(failures).toEqual([{ property: key, reason: expect.stringMatching(reason) }]);
    expect(failures?.[0]?.reason).toMatch(new RegExp(`^${key} `));
  });

  it.each(WITHIN)(`${key}: %s passes`, async (_what, value) => {
    const { failures } = await provider.check({}, { ...inputs, [key]: value });
    expect(failures).toEqual([]);
  });

  it("a rejected value is left out of the inputs it returns (the host could not encode it)", async () => {
    const result = await provider.check({}, { ...inputs, [key]: cyclicList() });
    expect(Object.keys(result.inputs ?? {})).not.toContain(key);
  });
});

describe("SipPhoneGroup check: every other input is bounded the same way", () => {
  it.each([
    ["appId", () => nested(100_000)],
    ["groupName", cyclicList],
    ["phoneName", () => nested(50_000)],
    ["namePrefix", () => nested(100_000)],
    ["quantity", cyclicObject],
    ["adopt", () => nested(100_000)],
  ])("%s: one failure naming it, no throw", async (property, value) => {
    const { failures } = await group.check({}, { ...GROUP_INPUTS, [property]: value() });
    expect(failures?.map((f) => f.property)).toEqual([property]);
  });

  it("old inputs beyond the bounds are as good as absent (a new name is generated)", async () => {
    const olds = { ...GROUP_INPUTS, phoneName: nested(100_000), groupName: cyclicList() };
    const news = { ...GROUP_INPUTS, phoneName: undefined, groupName: undefined };
    const { failures, inputs } = await group.check(olds, news);
    expect(failures).toEqual([]);
    expect(inputs?.phoneName).toMatch(/^bounds-/);
  });
});

describe.each([
  ["SipPhoneGroup", group, GROUP_INPUTS, "resetTriggers"],
  ["SipPhonePassword", password, PASSWORD_INPUTS, "triggers"],
] as const)("%s diff", (_type, provider, inputs, key) => {
  it.each(HOSTILE)(`an old ${key} that is %s: a change, no throw`, async (_what, value) => {
    const diff = await provider.diff("x/y", { ...inputs, [key]: value() }, { ...inputs, [key]: [1] });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it.each(HOSTILE)(`a new ${key} that is %s (check skipped): a change, no throw`, async (_what, value) => {
    const diff = await provider.diff("x/y", { ...inputs, [key]: [1] }, { ...inputs, [key]: value() });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it.each(HOSTILE)(
    "rotateAfter that is %s on either side (check skipped): a change, no throw",
    async (_what, value) => {
      await expect(provider.diff("x/y", { ...inputs, rotateAfter: value() }, inputs)).resolves.toMatchObject({
        changes: true,
      });
      await expect(provider.diff("x/y", inputs, { ...inputs, rotateAfter: value() })).resolves.toMatchObject({
        changes: true,
        replaces: [],
      });
    },
  );

  it("a replacing property beyond the bounds replaces, no throw", async () => {
    const diff = await provider.diff("x/y", { ...inputs, appId: nested(100_000) }, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: ["appId"] });
  });

  it(`the same ${key} within the bounds is no change`, async () => {
    const diff = await provider.diff(
      "x/y",
      { ...inputs, [key]: nested(32) },
      { ...inputs, [key]: nested(32) },
    );
    expect(diff.changes).toBe(false);
  });
});

describe("SipPhoneGroup check: a phone name whose accounts sipReset refuses", () => {
  it.each([29, 30, 31, 32])(
    "an explicit phoneName of %i characters fails at check, saying why",
    async (length) => {
      const { failures } = await group.check({}, { ...GROUP_INPUTS, phoneName: "p".repeat(length) });
      expect(failures).toEqual([
        {
          property: "phoneName",
          reason: expect.stringMatching(
            new RegExp(
              `^phoneName must be at most 28 characters long \\(got ${length}\\).*<phoneName>_001.*32`,
            ),
          ),
        },
      ]);
    },
  );

  it("28 characters pass (accounts <phoneName>_NNN are 32)", async () => {
    expect((await group.check({}, { ...GROUP_INPUTS, phoneName: "p".repeat(28) })).failures).toEqual([]);
  });
});
