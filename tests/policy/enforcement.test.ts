/**
 * The enforcement level of each rule, in-process: a mandatory rule that became
 * advisory (or the reverse) would otherwise be caught only by the e2e pack test
 * (tests/e2e/policy-pack.test.ts), so `npm run test:unit` alone let it pass.
 */
import {
  CALLER_ID_ALLOWLIST,
  EXPLICIT_NAMES,
  itniotechPolicies,
  itniotechPolicyPack,
  PHONES_PER_APP,
  PROTECT_PRODUCTION,
  ROTATION_REQUIRED,
} from "../../policy";

it("every rule blocks (mandatory) but explicit names, which only warns (advisory); the pack's default is mandatory", () => {
  expect(Object.fromEntries(itniotechPolicies.map((p) => [p.name, p.enforcementLevel]))).toEqual({
    [ROTATION_REQUIRED]: "mandatory",
    [EXPLICIT_NAMES]: "advisory",
    [PROTECT_PRODUCTION]: "mandatory",
    [PHONES_PER_APP]: "mandatory",
    [CALLER_ID_ALLOWLIST]: "mandatory",
  });
  expect(itniotechPolicyPack.enforcementLevel).toBe("mandatory");
  expect(itniotechPolicyPack.policies).toBe(itniotechPolicies);
});
