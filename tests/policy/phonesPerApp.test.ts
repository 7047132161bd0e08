import { PASSWORD_TYPE, phonesPerApp } from "../../policy";
import { UNKNOWN, validateStack, type ResourceInput } from "./args";

const group = (name: string, appId: string, quantity: unknown): ResourceInput => ({
  name,
  props: { appId, quantity, displayNum: "8610000000", accounts: [], passwords: {} },
});

describe("itniotech-phones-per-app (stack policy)", () => {
  const stack = [group("a", "app1", 40), group("b", "app1", 30), group("c", "app2", 50)];

  it.each([
    [{ maxPhonesPerApp: 70 }, stack],
    [{ maxPhonesPerApp: 50 }, [group("a", "app1", 50), group("c", "app2", 50)]],
    [{}, stack], // unset: checks nothing
    [{ maxPhonesPerApp: 1 }, []],
  ])("compliant: %j", async (config, resources) => {
    expect(await validateStack(phonesPerApp, resources, config)).toEqual([]);
  });

  it("violating: one message per application over the limit, naming its groups", async () => {
    const messages = await validateStack(phonesPerApp, stack, { maxPhonesPerApp: 45 });
    expect(messages).toEqual([
      expect.stringMatching(
        /^70 phones are declared in one application, more than maxPhonesPerApp \(45\): 2 groups share its appId \(a, b\)/,
      ),
      expect.stringMatching(/^50 phones .* 1 group share its appId \(c\)/),
    ]);
  });

  it("counts only SipPhoneGroups", async () => {
    const password: ResourceInput = {
      type: PASSWORD_TYPE,
      name: "p",
      props: { appId: "app1", quantity: 99 },
    };
    expect(
      await validateStack(phonesPerApp, [group("a", "app1", 10), password], { maxPhonesPerApp: 10 }),
    ).toEqual([]);
  });

  it("unknown values in a preview are left out: no guess either way", async () => {
    const resources = [group("a", "app1", 40), group("b", "app1", UNKNOWN), group("c", UNKNOWN, 40)];
    expect(await validateStack(phonesPerApp, resources, { maxPhonesPerApp: 40 })).toEqual([]);
    // What is known already exceeds the limit: that is certain.
    const over = [...resources, group("d", "app1", 1)];
    expect(await validateStack(phonesPerApp, over, { maxPhonesPerApp: 40 })).toEqual([
      expect.stringMatching(/^41 phones .*\(a, d\)/),
    ]);
  });

  it("never quotes the appId (it may be a secret)", async () => {
    const messages = await validateStack(phonesPerApp, [group("a", "canary-app-zz", 5)], {
      maxPhonesPerApp: 1,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).not.toMatch(/canary/);
  });
});
