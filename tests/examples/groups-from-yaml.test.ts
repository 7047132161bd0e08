import type * as pulumi from "@pulumi/pulumi";
import { parsePhoneGroups, PhoneGroupsError } from "../../examples/groups-from-yaml/phone-groups";
import { runProgram, settle } from "../harness/mocks";
import { exampleEmulator } from "./support";

it("examples/groups-from-yaml creates one group per entry of phone-groups.yaml", async () => {
  const { emulator, config } = await exampleEmulator();
  try {
    const { result } = await runProgram(
      () => require("../../examples/groups-from-yaml") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    const accounts = (await settle(result["accounts"] as pulumi.Output<Record<string, string[]>>)).value;
    expect(Object.keys(accounts)).toEqual(["sales", "support"]);
    expect([accounts["sales"]?.length, accounts["support"]?.length]).toEqual([10, 5]);
    expect((await settle(result["passwords"] as pulumi.Output<unknown>)).secret).toBe(true);
  } finally {
    await emulator.close();
  }
});

describe("phone-groups.yaml validation", () => {
  const problems = (text: string): string[] => {
    try {
      parsePhoneGroups(text, "/repo/phone-groups.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(PhoneGroupsError);
      return (e as PhoneGroupsError).problems;
    }
    return [];
  };

  it.each([
    [
      "appId: a\ngroups:\n  - name: sales\n    quantity: 80\n    displayNum: '8610000001'",
      "phone-groups.yaml: groups[0] (sales): quantity must be between 1 and 50 (got 80)",
    ],
    [
      "appId: a\ngroups:\n  - name: sales\n    quantity: 2\n    displayNum: 86100",
      "phone-groups.yaml: groups[0] (sales): displayNum must be a string of digits",
    ],
    [
      "appId: a\ngroups:\n  - name: x\n    quantity: 2\n    displayNum: '123'",
      "phone-groups.yaml: groups[0] (x): displayNum must be 7-13 digits (0-9 only)",
    ],
    [
      "appId: a\ngroups:\n  - name: s\n    quantiy: 2\n    displayNum: '8610000001'",
      "phone-groups.yaml: groups[0] (s): unknown field 'quantiy'",
    ],
    [
      "appId: a\ngroups:\n  - name: s\n    quantity: 2\n    displayNum: '8610000001'\n    groupName: abc",
      "phone-groups.yaml: groups[0] (s): groupName must be 4-32 characters long (got 3)",
    ],
    ["appId: ''\ngroups: []", "phone-groups.yaml: appId must not be blank"],
    ["appId: a\ngroups: nope", "phone-groups.yaml: groups must be a list"],
    ["appId: a\ngroups:\n  - 5", "phone-groups.yaml: groups[0]: must be a mapping"],
    [
      "appId: a\ngroups:\n  - {name: s, quantity: 1, displayNum: '8610000001'}\n  - {name: s, quantity: 1, displayNum: '8610000001'}",
      "phone-groups.yaml: groups[1] (s): name duplicates groups[0]",
    ],
    ["appId: a\ngroups: [\n", "phone-groups.yaml: not valid YAML"],
  ])("%j -> %s", (text, expected) => {
    expect(problems(text).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("reports every problem at once", () => {
    const found = problems(
      "appId: a\ngroups:\n  - name: s\n    quantity: 0\n    displayNum: x\n    extra: 1",
    );
    expect(found).toHaveLength(3);
  });

  it("accepts the example's own file", () => {
    const { readFileSync } = jest.requireActual<typeof import("node:fs")>("node:fs");
    const text = readFileSync(require.resolve("../../examples/groups-from-yaml/phone-groups.yaml"), "utf8");
    expect(parsePhoneGroups(text, "phone-groups.yaml").groups.map((g) => g.name)).toEqual([
      "sales",
      "support",
    ]);
  });
});
