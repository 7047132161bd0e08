/**
 * An @pulumi/pulumi older than 3.139.0 never calls a dynamic provider's configure, so
 * the provider would fail every operation with "API key is missing" although the key
 * is set. The resource classes refuse such an SDK first, saying why.
 */
import * as pulumi from "@pulumi/pulumi";
import { SipPhoneGroup, SipPhonePassword } from "../../sdk";
import { MINIMUM_PULUMI, parseVersion, sdkProblem, versionAtLeast } from "../../sdk/compat";

it.each([
  ["3.139.0", [3, 139, 0]],
  ["v3.265.0", [3, 265, 0]],
  ["3.140.0-alpha.1731", [3, 140, 0]],
  ["3.139", undefined],
  ["hello", undefined],
  ["", undefined],
])("parseVersion(%j)", (text, expected) => {
  expect(parseVersion(text)).toEqual(expected);
});

it.each([
  ["3.139.0", true],
  ["3.139.1", true],
  ["3.248.0", true],
  ["4.0.0", true],
  ["3.138.9", false],
  ["3.99.0", false],
  ["2.999.999", false],
])("%s is at least the minimum: %s", (version, expected) => {
  expect(versionAtLeast(parseVersion(version) ?? [0, 0, 0], MINIMUM_PULUMI)).toBe(expected);
  expect(sdkProblem(version) === undefined).toBe(expected);
});

it("the package's peer range starts at the same minimum", () => {
  const pkg = require("../../package.json") as { peerDependencies: Record<string, string> };
  expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(`>=${MINIMUM_PULUMI} <4`);
});

describe("with an @pulumi/pulumi older than the minimum", () => {
  // Only the version the package reads is replaced: the SDK itself stays loaded.
  beforeEach(() => jest.doMock("@pulumi/pulumi/package.json", () => ({ version: "3.138.0" })));
  afterEach(() => jest.dontMock("@pulumi/pulumi/package.json"));

  it.each([
    [
      "SipPhoneGroup",
      () => new SipPhoneGroup("office", { appId: "app1", quantity: 1, displayNum: "8610000000" }),
    ],
    ["SipPhonePassword", () => new SipPhonePassword("desk", { appId: "app1", account: "desk_001" })],
  ])("declaring a %s fails at once with the version found, the one needed and the fix", (_name, declare) => {
    let error: unknown;
    try {
      declare();
    } catch (e) {
      error = e;
    }
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("@pulumi/pulumi 3.139.0 or later");
    expect(message).toContain("loads 3.138.0");
    expect(message).toContain("npm install @pulumi/pulumi@^3.139");
    expect(message).not.toMatch(/API key is missing/);
  });
});
