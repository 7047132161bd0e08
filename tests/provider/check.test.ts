import fc from "fast-check";
import { characterLength, LIMITS } from "../../protocol/rules";
import { checkGroup, checkPassword } from "../../provider/check";
import { nonBlank, validGroup } from "../helpers/arbitraries";
import { autoName, MAX_GENERATED_PHONE_NAME, randomSuffix } from "../../provider/naming";
import { isSecret, secret, UNKNOWN } from "../../provider/secrets";

const valid = {
  appId: "app1",
  quantity: 3,
  displayNum: "8610000000",
  groupName: "grp-one",
  phoneName: "phone-one",
};
const auto = { appId: "app1", quantity: 3, displayNum: "8610000000", namePrefix: "office" };
const fixedSuffix = () => "abcdefg";
/** The properties that fail, sorted. */
const failed = (news: unknown, olds: unknown = {}) =>
  checkGroup(olds, news)
    .failures.map((f) => f.property)
    .sort();

describe("checkGroup: every sipAdd rule and its boundaries", () => {
  it.each<[string, unknown, string | null]>([
    // property, value, the reason (null: passes)
    ["appId", undefined, "appId is required"],
    ["appId", null, "appId is required"],
    ["appId", "", "appId must not be blank"],
    ["appId", " \t", "appId must not be blank"],
    ["appId", 7, "appId must be a string"],
    ["appId", "x", null],
    ["quantity", undefined, "quantity is required"],
    ["quantity", 0, "quantity must be between 1 and 50 (got 0)"],
    ["quantity", -1, "quantity must be between 1 and 50 (got -1)"],
    ["quantity", 1, null],
    ["quantity", 50, null],
    ["quantity", 51, "quantity must be between 1 and 50 (got 51)"],
    ["quantity", 2.5, "quantity must be a whole number"],
    ["quantity", "5", "quantity must be a whole number"],
    ["quantity", Number.NaN, "quantity must be a whole number"],
    ["displayNum", undefined, "displayNum is required"],
    ["displayNum", "123456", "displayNum must be 7-13 digits (0-9 only)"],
    ["displayNum", "1234567", null],
    ["displayNum", "1234567890123", null],
    ["displayNum", "12345678901234", "displayNum must be 7-13 digits (0-9 only)"],
    ["displayNum", "+8610000000", "displayNum must be 7-13 digits (0-9 only)"],
    ["displayNum", "８６１０００００００", "displayNum must be 7-13 digits (0-9 only)"],
    ["displayNum", 8610000000, "displayNum must be a string of digits"],
    ["groupName", "abc", "groupName must be 4-32 characters long (got 3)"],
    ["groupName", "abcd", null],
    ["groupName", "a".repeat(32), null],
    ["groupName", "a".repeat(33), "groupName must be 4-32 characters long (got 33)"],
    ["groupName", "话机组一", null],
    ["groupName", "话机组", "groupName must be 4-32 characters long (got 3)"],
    ["groupName", "话".repeat(32), null],
    ["groupName", "    ", "groupName must not be blank"],
    ["groupName", 1234, "groupName must be a string"],
    ["groupName", null, "groupName is required"],
    // Any character: the vendor documents no character set.
    ["phoneName", "a b/c:d", null],
    ["phoneName", "😀😀😀😀", null],
    ["phoneName", "abc", "phoneName must be 4-32 characters long (got 3)"],
    ["phoneName", "p".repeat(33), "phoneName must be 4-32 characters long (got 33)"],
    ["resetTriggers", [], null],
    ["resetTriggers", [1, "a", { b: [null] }], null],
    ["resetTriggers", null, null],
    ["resetTriggers", "x", "resetTriggers must be a list (any JSON values)"],
    ["resetTriggers", { 0: 1 }, "resetTriggers must be a list (any JSON values)"],
    ["resetTriggers", 3, "resetTriggers must be a list (any JSON values)"],
    ["adopt", true, null],
    ["adopt", false, null],
    ["adopt", "true", "adopt must be true or false"],
    ["adopt", 1, "adopt must be true or false"],
    ["namePrefix", "", null],
    ["namePrefix", "x".repeat(100), null],
    ["namePrefix", 5, "namePrefix must be a string"],
    ["namePrefix", ["a"], "namePrefix must be a string"],
  ])("%s = %j -> %j", (property, value, reason) => {
    const { failures } = checkGroup({}, { ...valid, [property]: value });
    expect(failures).toEqual(reason === null ? [] : [{ property, reason }]);
  });

  it("judges every property at once, one failure each", () => {
    const { failures } = checkGroup(
      {},
      {
        appId: "",
        quantity: 0,
        displayNum: "1",
        groupName: "ab",
        phoneName: "cd",
        resetTriggers: "x",
        adopt: "y",
        namePrefix: 1,
      },
    );
    expect(failures.map((f) => f.property)).toEqual([
      "groupName",
      "phoneName",
      "quantity",
      "displayNum",
      "appId",
      "resetTriggers",
      "adopt",
      "namePrefix",
    ]);
    for (const f of failures) expect(f.reason.startsWith(`${f.property} `)).toBe(true);
  });

  it.each([
    ["nothing", undefined],
    ["null", null],
    ["a number", 42],
    ["a string", "appId=x"],
    ["an array", [valid]],
    ["a function", () => valid],
    ["the unknown placeholder", UNKNOWN],
    ["a secret", secret(valid)],
  ])("never throws for news that is %s; reports the required properties", (_what, news) => {
    const result = checkGroup(news, news);
    expect(result.failures.map((f) => f.property).sort()).toEqual(["appId", "displayNum", "quantity"]);
  });

  it("never throws for olds that are not an object", () => {
    for (const olds of [null, 1, "x", [valid], UNKNOWN]) {
      expect(checkGroup(olds, valid).failures).toEqual([]);
    }
  });

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

describe("checkGroup: values still unknown in a preview", () => {
  it.each([
    ["appId", UNKNOWN],
    ["quantity", UNKNOWN],
    ["displayNum", UNKNOWN],
    ["groupName", UNKNOWN],
    ["phoneName", UNKNOWN],
    ["resetTriggers", UNKNOWN],
    ["resetTriggers", [1, UNKNOWN]],
    ["resetTriggers", [{ nested: { deeper: UNKNOWN } }]],
    ["adopt", UNKNOWN],
    ["namePrefix", UNKNOWN],
    ["appId", secret(UNKNOWN)],
  ])("%s = %j is not judged and kept as it is", (property, value) => {
    const { inputs, failures } = checkGroup({}, { ...valid, [property]: value });
    expect(failures).toEqual([]);
    expect(inputs[property]).toEqual(value);
  });

  it("a prefix still unknown leaves generated names unknown (no olds)", () => {
    const { inputs, failures } = checkGroup({}, { ...auto, namePrefix: UNKNOWN });
    expect(failures).toEqual([]);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual([UNKNOWN, UNKNOWN]);
  });

  it("a prefix still unknown does not touch names kept from olds", () => {
    const olds = { ...auto, groupName: "office-aaaaaaa", phoneName: "office-bbbbbbb" };
    const { inputs } = checkGroup(olds, { ...auto, namePrefix: UNKNOWN });
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-aaaaaaa", "office-bbbbbbb"]);
  });
});

describe("checkGroup: auto-naming", () => {
  it("fills both names from the prefix and the random source", () => {
    const { inputs } = checkGroup({}, auto, fixedSuffix);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-abcdefg", "office-abcdefg"]);
  });

  it("draws a separate random part for each name", () => {
    const { inputs } = checkGroup({}, auto);
    expect(inputs["groupName"]).not.toBe(inputs["phoneName"]);
  });

  it.each([
    ["absent", undefined, "sip-abcdefg"],
    ["blank", "   ", "sip-abcdefg"],
    ["not a string (a failure too)", 5, "sip-abcdefg"],
    ["secret-wrapped", secret("vault"), "vault-abcdefg"],
  ])("a prefix that is %s gives %s", (_what, namePrefix, expected) => {
    const news =
      namePrefix === undefined
        ? { ...valid, groupName: undefined }
        : { ...valid, groupName: undefined, namePrefix };
    expect(checkGroup({}, news, fixedSuffix).inputs["groupName"]).toBe(expected);
  });

  it.each([
    ["long", "p".repeat(50)],
    ["Chinese", "话".repeat(50)],
    ["emoji", "😀".repeat(50)],
    ["mixed", "办公室-office-".repeat(5)],
  ])("a %s prefix is cut: groupName <= 32, phoneName <= 28 characters", (_what, namePrefix) => {
    const { inputs, failures } = checkGroup({}, { ...auto, namePrefix }, fixedSuffix);
    expect(failures).toEqual([]);
    expect(characterLength(inputs["groupName"] as string)).toBe(LIMITS.nameMax);
    expect(characterLength(inputs["phoneName"] as string)).toBe(MAX_GENERATED_PHONE_NAME);
    expect(inputs["groupName"]).toMatch(/-abcdefg$/);
    expect(inputs["phoneName"]).toMatch(/-abcdefg$/);
  });

  it("reuses the old names, also secret-wrapped ones, whatever the prefix is now", () => {
    const olds = { ...auto, groupName: secret("office-aaaaaaa"), phoneName: "office-bbbbbbb" };
    const { inputs } = checkGroup(olds, { ...auto, namePrefix: "renamed" }, fixedSuffix);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-aaaaaaa", "office-bbbbbbb"]);
  });

  it("reuses an old explicit name that was just removed from the program (no replacement)", () => {
    const { inputs, failures } = checkGroup(valid, auto, fixedSuffix);
    expect(failures).toEqual([]);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["grp-one", "phone-one"]);
  });

  it("generates only the name olds lack", () => {
    const { inputs } = checkGroup({ ...auto, groupName: "office-aaaaaaa" }, auto, fixedSuffix);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-aaaaaaa", "office-abcdefg"]);
  });

  it.each([
    ["no olds", undefined],
    ["empty olds", {}],
    ["olds with blank names", { ...auto, groupName: "", phoneName: "" }],
  ])("with %s (the engine's re-check on replacement) makes fresh names", (_what, olds) => {
    const { inputs } = checkGroup(olds, auto, fixedSuffix);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["office-abcdefg", "office-abcdefg"]);
  });

  it("uses explicit names as given, whatever olds hold", () => {
    const olds = { ...auto, groupName: "office-aaaaaaa", phoneName: "office-bbbbbbb" };
    const { inputs } = checkGroup(olds, { ...valid, appId: "app1", quantity: 3 }, fixedSuffix);
    expect([inputs["groupName"], inputs["phoneName"]]).toEqual(["grp-one", "phone-one"]);
  });

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

  it.each([
    [{ quantity: 4 }, "quantity", ["groupName", "phoneName"]],
    [{ displayNum: "8620000000" }, "displayNum", ["groupName", "phoneName"]],
    [{ quantity: 4, displayNum: "8620000000" }, "quantity, displayNum", ["groupName", "phoneName"]],
    [{ groupName: "grp-two" }, "groupName", ["phoneName"]],
    [{ phoneName: "phone-two" }, "phoneName", ["groupName"]],
  ])("%j: fails on %s's unchanged explicit names", (change, changed, properties) => {
    const { failures } = checkGroup(valid, { ...valid, ...change });
    expect(failures.map((f) => f.property)).toEqual(properties);
    for (const { property, reason } of failures) {
      expect(reason).toContain(`changing ${changed} replaces the group`);
      expect(reason).toMatch(new RegExp(`^${property} '`));
      expect(reason).toContain("can never be freed or reused on this platform (there is no delete API)");
      expect(reason).toContain(`choose another one, or remove ${property} to let the provider generate one`);
    }
  });

  it("quotes the name in the message", () => {
    const [failure] = checkGroup(valid, { ...valid, quantity: 4 }).failures;
    expect(failure?.reason).toMatch(/^groupName 'grp-one' is used by the existing group/);
  });

  it("does not print a name the user made secret", () => {
    const news = { ...valid, groupName: secret("grp-one"), quantity: 4 };
    const [failure] = checkGroup(valid, news).failures;
    expect(failure?.property).toBe("groupName");
    expect(failure?.reason).not.toContain("grp-one");
    expect(failure?.reason).toMatch(/^groupName is used by the existing group/);
  });

  it.each([
    ["another application may reuse them", { appId: "app2", quantity: 4 }],
    ["an appId still unknown is not judged", { appId: UNKNOWN, quantity: 4 }],
    ["a replace value still unknown is not taken as a change", { displayNum: UNKNOWN }],
    ["an update keeps the names", { resetTriggers: ["rotate"] }],
    ["a new prefix or adopt changes nothing", { namePrefix: "x", adopt: true }],
    ["both names new", { groupName: "grp-two", phoneName: "phone-two", quantity: 4 }],
    ["secret-wrapped but equal values are no change", { quantity: secret(3) }],
  ])("no failure: %s", (_what, change) => {
    expect(checkGroup(valid, { ...valid, ...change }).failures).toEqual([]);
  });

  it("auto-named names are fine: they are reused now and fresh on the re-check", () => {
    const olds = { ...auto, groupName: "office-aaaaaaa", phoneName: "office-bbbbbbb" };
    expect(checkGroup(olds, { ...auto, quantity: 4 }).failures).toEqual([]);
  });

  it("an explicit name that already fails its rule fails once, by the rule", () => {
    const olds = { ...valid, groupName: "abc" };
    const { failures } = checkGroup(olds, { ...olds, quantity: 4 });
    expect(failures.filter((f) => f.property === "groupName")).toEqual([
      { property: "groupName", reason: "groupName must be 4-32 characters long (got 3)" },
    ]);
  });

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

describe("checkGroup loses nothing", () => {
  it("keeps every other input as given and drops only undefined keys", () => {
    const news = {
      ...valid,
      quantity: secret(3),
      resetTriggers: [{ b: 1, a: [2] }],
      adopt: true,
      namePrefix: "office",
      __provider: "exports.handler = …",
      somethingNew: { kept: true },
      dropped: undefined,
    };
    const { inputs, failures } = checkGroup({}, news);
    expect(failures).toEqual([]);
    const { dropped: _dropped, ...expected } = news;
    expect(inputs).toEqual(expected);
    expect("dropped" in inputs).toBe(false);
    expect(isSecret(inputs["quantity"])).toBe(true);
  });

  it("does not change the objects it was given", () => {
    const news = { ...auto };
    const olds = { ...auto, groupName: "office-aaaaaaa" };
    checkGroup(olds, news);
    expect(news).toEqual(auto);
    expect(olds).toEqual({ ...auto, groupName: "office-aaaaaaa" });
  });
});

describe("checkPassword", () => {
  it.each([
    [{ appId: "a", account: "acct_001" }, []],
    [{ appId: "a", account: "acct", triggers: [] }, []],
    [{ appId: "a", account: "话机账号" }, []],
    [{ appId: "a", account: "a".repeat(32), triggers: null }, []],
    [{ appId: "a", account: "abc" }, [["account", "account must be 4-32 characters long (got 3)"]]],
    [{ appId: "a", account: "a".repeat(33) }, [["account", "account must be 4-32 characters long (got 33)"]]],
    [{ appId: "a" }, [["account", "account is required"]]],
    [{ account: "acct_001" }, [["appId", "appId is required"]]],
    [{ appId: " ", account: "acct_001" }, [["appId", "appId must not be blank"]]],
    [
      { appId: "a", account: "acct_001", triggers: "x" },
      [["triggers", "triggers must be a list (any JSON values)"]],
    ],
    [{ appId: UNKNOWN, account: UNKNOWN, triggers: [UNKNOWN] }, []],
    [{ appId: "a", account: secret("acct_001") }, []],
  ])("%j -> %j", (news, expected) => {
    const { failures } = checkPassword({}, news);
    expect(failures.map((f) => [f.property, f.reason])).toEqual(expected);
  });

  it.each([undefined, null, 1, "x", []])("never throws for news=%j", (news) => {
    expect(
      checkPassword(news, news)
        .failures.map((f) => f.property)
        .sort(),
    ).toEqual(["account", "appId"]);
  });

  it("keeps every input and drops only undefined keys", () => {
    const news = { appId: "a", account: "acct_001", triggers: [1], __provider: "text", gone: undefined };
    expect(checkPassword({}, news).inputs).toEqual({
      appId: "a",
      account: "acct_001",
      triggers: [1],
      __provider: "text",
    });
  });

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

describe("properties over generated inputs", () => {
  const breakers: Record<string, fc.Arbitrary<unknown>> = {
    appId: fc.oneof(fc.constantFrom("", "  ", null), fc.integer()),
    quantity: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 51 }), fc.constant(1.5), fc.constant("3")),
    displayNum: fc.oneof(
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.stringMatching(/^[0-9]{14,20}$/),
      fc.integer(),
    ),
    groupName: fc.oneof(nonBlank(1, 3), nonBlank(33, 50), fc.constantFrom("    ", ""), fc.integer()),
    phoneName: fc.oneof(nonBlank(1, 3), nonBlank(29, 50), fc.constantFrom("    ", ""), fc.boolean()),
    resetTriggers: fc.oneof(fc.string(), fc.integer(), fc.object()),
    adopt: fc.oneof(fc.string(), fc.integer()),
    namePrefix: fc.oneof(fc.integer(), fc.boolean()),
  };

  it("valid inputs pass, and every name is 4-32 characters (phoneName <= 28)", () => {
    fc.assert(
      fc.property(validGroup, (news) => {
        const { inputs, failures } = checkGroup({}, news);
        expect(failures).toEqual([]);
        const group = characterLength(inputs["groupName"] as string);
        const phone = characterLength(inputs["phoneName"] as string);
        expect(group).toBeGreaterThanOrEqual(LIMITS.nameMin);
        expect(group).toBeLessThanOrEqual(LIMITS.nameMax);
        expect(phone).toBeGreaterThanOrEqual(LIMITS.nameMin);
        expect(phone).toBeLessThanOrEqual(MAX_GENERATED_PHONE_NAME);
      }),
    );
  });

  it("one broken property fails, naming that property and only that one", () => {
    const broken = validGroup.chain((news) =>
      fc.constantFrom(...Object.keys(breakers)).chain((property) =>
        (breakers[property] as fc.Arbitrary<unknown>).map((value) => ({
          property,
          news: { ...news, [property]: value },
        })),
      ),
    );
    fc.assert(
      fc.property(broken, ({ property, news }) => {
        const { failures } = checkGroup({}, news);
        expect(failures.map((f) => f.property)).toEqual([property]);
        expect(failures[0]?.reason).toMatch(new RegExp(`^${property} `));
      }),
    );
  });

  it("any mix of unknown values never fails a valid group", () => {
    const keys = ["appId", "quantity", "displayNum", "groupName", "phoneName", "resetTriggers", "adopt"];
    fc.assert(
      fc.property(validGroup, fc.subarray(keys), (news, unknown) => {
        const withUnknowns = { ...news, ...Object.fromEntries(unknown.map((k) => [k, UNKNOWN])) };
        expect(checkGroup({}, withUnknowns).failures).toEqual([]);
      }),
    );
  });

  it("check is stable: checking its own output with itself as olds changes nothing", () => {
    fc.assert(
      fc.property(validGroup, (news) => {
        const first = checkGroup({}, news).inputs;
        const second = checkGroup(first, first);
        expect(second).toEqual({ inputs: first, failures: [] });
      }),
    );
  });
});
