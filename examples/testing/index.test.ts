/**
 * Unit tests of index.ts under Pulumi's mocks: no engine, no provider, no API.
 * Run with `npm test` (Node.js's own test runner, TypeScript through ts-node).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { rules, sipPhoneGroupProvider } from "pulumi-itniotech/provider";

const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";

/** What the program declared: type, name and inputs of every resource. */
const declared: pulumi.runtime.MockResourceArgs[] = [];

// Under mocks no provider runs: a resource's outputs are what newResource returns.
// So fill in what the provider would, for what the program reads (here: accounts).
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      declared.push(args);
      if (args.type !== GROUP) return { id: `${args.name}-id`, state: args.inputs };
      const phoneName = `${args.name}-mock`;
      const accounts = Array.from(
        { length: args.inputs.quantity },
        (_, i) => `${phoneName}_${String(i + 1).padStart(3, "0")}`,
      );
      return {
        id: `${args.inputs.appId}/${args.name}-group`,
        state: { ...args.inputs, groupName: `${args.name}-group`, phoneName, accounts, passwords: {} },
      };
    },
    call: (args) => args.inputs,
  },
  "itniotech-testing",
  "test",
);

/** An Output's value (tests only: a program never unwraps an Output). */
const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe("index.ts", () => {
  let program: typeof import("./index");
  const groups = () => declared.filter((r) => r.type === GROUP);

  before(async () => {
    // After setMocks: the program declares its resources as it is imported; they
    // register asynchronously, so wait for an output that needs all of them.
    program = await import("./index");
    await valueOf(program.accounts);
  });

  it("declares one group per team, with its number of phones", () => {
    assert.deepEqual(
      groups().map((g) => [g.name, g.inputs.quantity]),
      Object.entries(program.teams),
    );
  });

  it("exports each team's accounts", async () => {
    const accounts = await valueOf(program.accounts);
    assert.equal(accounts["sales"]?.length, 10);
    assert.equal(accounts["support"]?.[0], "support-mock_001");
  });

  // check does not run under mocks (no provider runs), so a bad quantity would pass
  // unnoticed. Validate the inputs with the vendor's rules...
  it("every group's inputs pass the vendor's field rules", () => {
    for (const group of groups()) {
      assert.equal(rules.quantityRule(group.inputs.quantity), undefined, group.name);
      assert.equal(rules.displayNumRule(group.inputs.displayNum), undefined, group.name);
    }
  });

  // ...or with the provider's own check, exactly as `pulumi preview` runs it (it makes
  // no API call and needs no credentials).
  it("the provider's check accepts every group, and would reject a bad one", async () => {
    for (const group of groups()) {
      const { failures } = await sipPhoneGroupProvider.check({}, group.inputs);
      assert.deepEqual(failures, [], group.name);
    }
    const bad = await sipPhoneGroupProvider.check({}, { ...groups()[0]?.inputs, quantity: 80 });
    assert.deepEqual(
      bad.failures?.map((f) => f.property),
      ["quantity"],
    );
  });
});
