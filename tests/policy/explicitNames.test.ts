import { checkGroup } from "../../provider/check";
import { explicitNames } from "../../policy";
import { isGeneratedName } from "../../policy/explicitNames";
import { UNKNOWN, validate } from "./args";

const base = { appId: "app1", quantity: 2, displayNum: "8610000000", namePrefix: "office" };

/** The inputs as the analyzer gets them: after the provider's real check. */
const checked = (news: Record<string, unknown>) => checkGroup({}, news).inputs;

describe("itniotech-explicit-names (advisory)", () => {
  it("compliant: names the provider generated (the analyzer sees them filled in by check)", async () => {
    const props = checked(base);
    expect(props["groupName"]).toMatch(/^office-[a-z0-9]{7}$/);
    expect(await validate(explicitNames, { props })).toEqual([]);
  });

  it.each([
    ["a long prefix, cut to fit", "a-very-long-logical-name-for-this-group"],
    ["a Chinese prefix", "话机组一"],
    ["a blank prefix (the default 'sip')", "  "],
    ["a prefix with spaces at the cut", "my office phones on the third floor"],
  ])("compliant: generated names from %s", async (_what, namePrefix) => {
    for (let i = 0; i < 20; i++) {
      expect(await validate(explicitNames, { props: checked({ ...base, namePrefix }) })).toEqual([]);
    }
  });

  it.each([
    [{ groupName: "Office Phones" }, /^groupName is set explicitly/],
    [{ phoneName: "frontdesk" }, /^phoneName is set explicitly/],
    [{ groupName: "Office Phones", phoneName: "frontdesk" }, /^groupName and phoneName are set explicitly/],
    [{ groupName: "office-ABCDEFG" }, /^groupName is set explicitly/], // upper case: never generated
    [{ groupName: "office-abc123" }, /^groupName is set explicitly/], // 6 characters of suffix
    [{ groupName: "other-abc1234" }, /^groupName is set explicitly/], // another prefix
  ])("violating: %j", async (names, message) => {
    const messages = await validate(explicitNames, { props: checked({ ...base, ...names }) });
    expect(messages).toEqual([expect.stringMatching(message)]);
    expect(messages[0]).toMatch(/can never be freed or reused/);
    expect(messages[0]).toMatch(/Remove .* to let the provider generate names/);
  });

  it("an adopted group is told to keep its names until a replacement is due", async () => {
    const props = checked({ ...base, groupName: "Office Phones", adopt: true });
    const [message] = await validate(explicitNames, { props });
    expect(message).toMatch(/The group is adopted, so keep groupName/);
  });

  it("never quotes the names (they may be secrets)", async () => {
    const props = checked({ ...base, groupName: "canary-group-zz", phoneName: "canary-phone-zz" });
    const [message] = await validate(explicitNames, { props });
    expect(message).not.toMatch(/canary/);
  });

  it.each([
    ["the name", { groupName: UNKNOWN, phoneName: UNKNOWN }],
    [
      "the prefix (so a generated name cannot be told apart)",
      { namePrefix: UNKNOWN, groupName: "Office Phones" },
    ],
  ])("does not judge names when %s is unknown in a preview", async (_what, props) => {
    expect(await validate(explicitNames, { props: { ...base, ...props } })).toEqual([]);
  });

  it("recognises exactly the provider's shape", () => {
    expect(isGeneratedName("office-abc1234", "office", 32)).toBe(true);
    expect(isGeneratedName("office-abc12345", "office", 32)).toBe(false);
    expect(isGeneratedName("office-abc1234", "offic", 32)).toBe(false);
    expect(isGeneratedName("sip-abc1234", undefined, 32)).toBe(true);
  });
});
