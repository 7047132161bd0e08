import type * as pulumi from "@pulumi/pulumi";
import { parsePhoneGroups, PhoneGroupsError } from "../../examples/groups-from-yaml/phone-groups";
import { runProgram, settle } from "../helpers/mocks";
import { emulatorWithConfig } from "../helpers/config";

it("examples/groups-from-yaml creates one group per entry of phone-groups.yaml", async () => {
  const { emulator, config } = await emulatorWithConfig();
  try {
    const { result, registrations } = await runProgram(
      () => require("../../examples/groups-from-yaml") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    expect(registrations.map((r) => r.name)).toEqual(["sales", "support"]);
    const accounts = (await settle(result["accounts"] as pulumi.Output<Record<string, string[]>>)).value;
    expect(Object.keys(accounts)).toEqual(["sales", "support"]);
    expect([accounts["sales"]?.length, accounts["support"]?.length]).toEqual([10, 5]);
    // The program a GitOps pipeline runs exports no passwords (pulumi/actions would
    // turn them into step outputs).
    expect(Object.keys(result)).toEqual(["accounts"]);
    expect(emulator.phones("demo-app")).toHaveLength(15);
  } finally {
    await emulator.close();
  }
});

describe("phone-groups.yaml validation", () => {
  const problems = (text: string): string[] => {
    try {
      parsePhoneGroups(text, "phone-groups.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(PhoneGroupsError);
      return (e as PhoneGroupsError).problems;
    }
    return [];
  };
  const entry = (fields: string) => `appId: a\ngroups:\n  - name: sales\n${fields}`;

  // Each message: file:line, the entry (index and name), the field and the vendor's rule.
  it.each([
    [
      entry("    quantity: 80\n    displayNum: '8610000001'"),
      "phone-groups.yaml:4: groups[0] (sales): quantity must be between 1 and 50 (got 80)",
    ],
    [
      entry("    quantity: 2\n    displayNum: 8610000001"),
      'phone-groups.yaml:5: groups[0] (sales): displayNum must be a string of digits: quote it, displayNum: "8610000001"',
    ],
    [
      entry("    quantity: 2\n    displayNum: '123'"),
      "phone-groups.yaml:5: groups[0] (sales): displayNum must be 7-13 digits (0-9 only)",
    ],
    [
      entry("    quantiy: 2\n    displayNum: '8610000001'"),
      "phone-groups.yaml:4: groups[0] (sales): unknown field 'quantiy'",
    ],
    [
      entry("    quantiy: 2\n    displayNum: '8610000001'"),
      "phone-groups.yaml:3: groups[0] (sales): quantity is required",
    ],
    [
      entry("    quantity: 2\n    displayNum: '8610000001'\n    groupName: abc"),
      "phone-groups.yaml:6: groups[0] (sales): groupName must be 4-32 characters long (got 3)",
    ],
    [
      entry("    quantity: 2\n    displayNum: '8610000001'\n    adopt: yes please"),
      "phone-groups.yaml:6: groups[0] (sales): adopt must be true or false",
    ],
    [
      entry("    quantity: 2\n    displayNum: '8610000001'\n    retainOnDelete: 'yes'"),
      "phone-groups.yaml:6: groups[0] (sales): retainOnDelete must be true or false",
    ],
    ["appId: ''\ngroups: []", "phone-groups.yaml:1: appId must not be blank"],
    ["groups: []", "phone-groups.yaml:1: appId is required"],
    ["appId: a\ngroups: []\nteam: x", "phone-groups.yaml:3: unknown top-level field 'team'"],
    ["appId: a\ngroups: nope", "phone-groups.yaml:2: groups must be a list"],
    ["appId: a\ngroups:\n  - 5", "phone-groups.yaml:3: groups[0]: must be a mapping"],
    [
      "appId: a\ngroups:\n  - {name: s, quantity: 1, displayNum: '8610000001'}\n  - {name: s, quantity: 1, displayNum: '8610000001'}",
      "phone-groups.yaml:4: groups[1] (s): name duplicates groups[0]",
    ],
    [
      "appId: a\ngroups:\n  - {name: 'my group', quantity: 1, displayNum: '8610000001'}",
      "phone-groups.yaml:3: groups[0] (my group): name must be letters, digits and dashes",
    ],
    ["appId: a\ngroups: [\n", "phone-groups.yaml:3: not valid YAML"],
    ["- a\n- b", "phone-groups.yaml:1: expected a mapping with appId and groups"],
  ])("%j -> %s", (text, expected) => {
    const found = problems(text);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(`^${escape(expected)}`)]));
  });

  it("reports every problem at once, each with its own line", () => {
    const found = problems(
      "appId: a\ngroups:\n  - name: s\n    quantity: 0\n    displayNum: x\n    extra: 1\n  - name: t\n    quantity: 51\n    displayNum: '8610000001'",
    );
    expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
      "phone-groups.yaml:4",
      "phone-groups.yaml:5",
      "phone-groups.yaml:6",
      "phone-groups.yaml:8",
    ]);
  });

  it("accepts the example's own file", () => {
    const { readFileSync } = jest.requireActual<typeof import("node:fs")>("node:fs");
    const text = readFileSync(require.resolve("../../examples/groups-from-yaml/phone-groups.yaml"), "utf8");
    expect(problems(text)).toEqual([]);
    expect(parsePhoneGroups(text, "phone-groups.yaml").groups.map((g) => g.name)).toEqual([
      "sales",
      "support",
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
