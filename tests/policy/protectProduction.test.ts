import { PASSWORD_TYPE, protectProduction } from "../../policy";
import { validate } from "./args";

const props = { appId: "app1", quantity: 2, displayNum: "8610000000" };

describe("itniotech-protect-production", () => {
  it.each([
    ["prod", true, {}],
    ["production-eu", true, {}],
    ["dev", false, {}],
    ["staging", false, {}],
    ["preprod", false, {}], // the default is anchored: ^prod
    ["live", true, { productionStacks: "^(live|prod)$" }],
    ["prod", false, { productionStacks: "^live$" }],
  ])("compliant: stack %j, protect %j, config %j", async (stack, protect, config) => {
    expect(await validate(protectProduction, { stack, protect, props, config })).toEqual([]);
  });

  it.each([
    ["prod", {}],
    ["prod-eu", {}],
    ["live", { productionStacks: "^(live|prod)$" }],
  ])("violating: an unprotected group in stack %j, config %j", async (stack, config) => {
    const messages = await validate(protectProduction, { stack, props, config });
    expect(messages).toEqual([
      expect.stringMatching(new RegExp(`^The stack '${stack}' is a production stack`)),
    ]);
    expect(messages[0]).toMatch(/Set the resource option protect: true/);
    expect(messages[0]).toMatch(/retainOnDelete/);
  });

  it("ignores passwords and other types (deleting them revokes nothing)", async () => {
    expect(await validate(protectProduction, { stack: "prod", type: PASSWORD_TYPE, props: {} })).toEqual([]);
    expect(await validate(protectProduction, { stack: "prod", type: "aws:s3/bucket:Bucket" })).toEqual([]);
  });

  it("a productionStacks that is not a regular expression is an error naming the setting", async () => {
    await expect(
      validate(protectProduction, { stack: "prod", props, config: { productionStacks: "(prod" } }),
    ).rejects.toThrow(
      /itniotech-protect-production: productionStacks "\(prod" is not a valid JavaScript regular/,
    );
  });
});
