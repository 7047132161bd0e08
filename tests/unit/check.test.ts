import fc from "fast-check";
import { characterLength } from "../../protocol/rules";
import { checkGroup, checkPassword } from "../../provider/check";
import { autoName, MAX_GENERATED_PHONE_NAME, randomSuffix } from "../../provider/naming";
import { secret, UNKNOWN } from "../../provider/secrets";

const valid = {
  appId: "app1",
  quantity: 3,
  displayNum: "8610000000",
  groupName: "grp-one",
  phoneName: "phone-one",
};
const failed = (news: unknown, olds: unknown = {}) =>
  checkGroup(olds, news)
    .failures.map((f) => f.property)
    .sort();

describe("checkGroup: the sipAdd rules, locally", () => {
  it("accepts a valid group and changes nothing in it", () => {
    const news = {
      ...valid,
      namePrefix: "office",
      resetTriggers: [1, { a: 2 }],
      adopt: false,
      extra: "kept",
    };
    expect(checkGroup({}, news)).toEqual({ inputs: news, failures: [] });
  });

  it.each([
    [{ groupName: "abc" }, "groupName", /4-32 characters long \(got 3\)/],
    [{ groupName: "a".repeat(33) }, "groupName", /got 33/],
    [{ phoneName: "   " }, "phoneName", /must not be blank/],
    [{ quantity: 0 }, "quantity", /between 1 and 50 \(got 0\)/],
    [{ quantity: 51 }, "quantity", /got 51/],
    [{ quantity: 2.5 }, "quantity", /whole number/],
    [{ displayNum: "123456" }, "displayNum", /7-13 digits/],
    [{ displayNum: "12345678901234" }, "displayNum", /7-13 digits/],
    [{ displayNum: "86-1000000" }, "displayNum", /digits/],
    [{ appId: "" }, "appId", /blank/],
    [{ appId: undefined }, "appId", /required/],
    [{ resetTriggers: "x" }, "resetTriggers", /must be a list/],
    [{ adopt: "yes" }, "adopt", /true or false/],
    [{ namePrefix: 5 }, "namePrefix", /string/],
  ])("%j fails on %s, naming the rule", (change, property, reason) => {
    const { failures } = checkGroup({}, { ...valid, ...change });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe(property);
    expect(failures[0]?.reason).toMatch(new RegExp(`^${property} `));
    expect(failures[0]?.reason).toMatch(reason);
  });

  it.each([
    ["groupName", "a".repeat(4)],
    ["groupName", "a".repeat(32)],
    ["phoneName", "话机组一"], // 4 characters: the vendor documents no character set
    ["quantity", 1],
    ["quantity", 50],
    ["displayNum", "1234567"],
    ["displayNum", "1234567890123"],
  ])("boundary %s=%j passes", (property, value) => {
    expect(failed({ ...valid, [property]: value })).toEqual([]);
  });

  it("reports one failure per bad property, all at once", () => {
    expect(failed({ appId: "", quantity: 99, displayNum: "1", groupName: "ab", phoneName: "cd" })).toEqual([
      "appId",
      "displayNum",
      "groupName",
      "phoneName",
      "quantity",
    ]);
  });

  it.each([null, undefined, "text", 42, [1, 2]])("never throws, even for news=%j", (news) => {
    expect(() => checkGroup(undefined, news)).not.toThrow();
    expect(failed(news)).toEqual(["appId", "displayNum", "quantity"]);
  });

  it("does not judge values still unknown in a preview, even nested", () => {
    const news = {
      appId: UNKNOWN,
      quantity: UNKNOWN,
      displayNum: UNKNOWN,
      groupName: UNKNOWN,
      resetTriggers: [UNKNOWN],
    };
    expect(checkGroup({}, news).failures).toEqual([]);
  });

  it("judges secret-wrapped values by what they hold", () => {
    expect(failed({ ...valid, appId: secret("") })).toEqual(["appId"]);
  });
});

describe("checkGroup: auto-naming", () => {
  const auto = { appId: "app1", quantity: 3, displayNum: "8610000000", namePrefix: "office" };

  it("fills missing names as <namePrefix>-<random>", () => {
    const { inputs, failures } = checkGroup({}, auto);
    expect(failures).toEqual([]);
    expect(inputs["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
    expect(inputs["phoneName"]).toMatch(/^office-[a-z0-9]{7}$/);
  });

  it("reuses the old names when olds has them", () => {
    const olds = { ...auto, groupName: "office-aaaaaaa", phoneName: "office-bbbbbbb" };
    const { inputs } = checkGroup(olds, { ...auto, namePrefix: "renamed" });
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-aaaaaaa", "office-bbbbbbb"]);
  });

  it("makes fresh names when there are no olds (the engine's re-check on replacement)", () => {
    let n = 0;
    const suffix = () => `s${String(++n).padStart(6, "0")}`;
    const first = checkGroup({}, auto, suffix).inputs;
    const second = checkGroup({}, auto, suffix).inputs;
    expect(first["groupName"]).not.toBe(second["groupName"]);
  });

  it.each([
    ["x".repeat(60), 32],
    ["话".repeat(40), 32],
    ["", 32],
    ["   ", 32],
    ["ab", 32],
  ])("prefix %j is cut to fit", (prefix, max) => {
    const name = autoName(prefix, max, "abcdefg");
    expect(characterLength(name)).toBeLessThanOrEqual(max);
    expect(characterLength(name)).toBeGreaterThanOrEqual(4);
    expect(name.endsWith("-abcdefg")).toBe(true);
  });

  it("generated names always pass the rules; phone names leave room for the account suffix (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (prefix) => {
        const { inputs, failures } = checkGroup({}, { ...auto, namePrefix: prefix });
        expect(failures).toEqual([]);
        expect(characterLength(inputs["groupName"] as string)).toBeLessThanOrEqual(32);
        expect(characterLength(inputs["phoneName"] as string)).toBeLessThanOrEqual(MAX_GENERATED_PHONE_NAME);
      }),
    );
  });

  it("random suffixes are lowercase alphanumerics", () => {
    expect(randomSuffix()).toMatch(/^[a-z0-9]{7}$/);
  });
});

describe("checkGroup: a replacement cannot reuse explicit names", () => {
  const olds = { ...valid };

  it.each(["quantity", "displayNum"] as const)(
    "changing %s with explicit unchanged names fails on both names",
    (key) => {
      const news = { ...valid, [key]: key === "quantity" ? 4 : "8620000000" };
      const { failures } = checkGroup(olds, news);
      expect(failures.map((f) => f.property)).toEqual(["groupName", "phoneName"]);
      expect(failures[0]?.reason).toMatch(new RegExp(`changing ${key} replaces the group`));
      expect(failures[0]?.reason).toMatch(/can never be freed or reused/);
      expect(failures[0]?.reason).toMatch(/remove groupName to let the provider generate one/);
    },
  );

  it("a new explicit group name with the old explicit phone name fails on phoneName only", () => {
    const { failures } = checkGroup(olds, { ...valid, groupName: "grp-two" });
    expect(failures.map((f) => f.property)).toEqual(["phoneName"]);
  });

  it("auto-named groups are fine: the replacement's re-check generates new names", () => {
    const news = { appId: "app1", quantity: 4, displayNum: "8610000000" };
    expect(checkGroup({ ...olds }, news).failures).toEqual([]);
  });

  it("another application may reuse the names", () => {
    expect(checkGroup(olds, { ...valid, appId: "app2", quantity: 4 }).failures).toEqual([]);
  });

  it("an update (resetTriggers only) keeps the names", () => {
    expect(checkGroup(olds, { ...valid, resetTriggers: [2] }).failures).toEqual([]);
  });

  it("an unknown preview value is not taken as a change", () => {
    expect(checkGroup(olds, { ...valid, quantity: UNKNOWN }).failures).toEqual([]);
  });
});

describe("checkPassword", () => {
  it.each([
    [{ appId: "a", account: "acct_001" }, []],
    [{ appId: "a", account: "acct_001", triggers: [1] }, []],
    [{ appId: "", account: "abc" }, ["account", "appId"]],
    [{ appId: "a", account: "a".repeat(33), triggers: {} }, ["account", "triggers"]],
    [{ appId: UNKNOWN, account: UNKNOWN }, []],
    [null, ["account", "appId"]],
  ])("%j -> failures on %j", (news, properties) => {
    expect(
      checkPassword({}, news)
        .failures.map((f) => f.property)
        .sort(),
    ).toEqual(properties);
  });
});
