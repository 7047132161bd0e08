import fc from "fast-check";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { sipPhoneGroupProvider, sipPhonePasswordProvider } from "../../provider";
import { configureProvider } from "../helpers/config";
import { resetConfiguration } from "../../provider/config";
import { nonBlank, validGroup } from "../helpers/arbitraries";

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 500);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS);
});
afterAll(async () => {
  resetConfiguration();
  await emulator.close();
});

const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
);
const badName = fc.oneof(
  nonBlank(1, 3),
  nonBlank(33, 60),
  fc.constantFrom("    ", "\t\t\t\t", ""),
  notString,
);

/** One property corrupted with a value that breaks its rule. */
const GROUP_BREAKERS: Record<string, fc.Arbitrary<unknown>> = {
  appId: fc.oneof(fc.constantFrom("", "   "), notString),
  quantity: fc.oneof(
    fc.integer({ max: 0 }),
    fc.integer({ min: 51 }),
    fc.double({ min: 1.01, max: 49.99, noInteger: true }),
    fc.constantFrom("5", null),
  ),
  displayNum: fc.oneof(
    fc.stringMatching(/^[0-9]{1,6}$/),
    fc.stringMatching(/^[0-9]{14,20}$/),
    fc.stringMatching(/^[0-9]{3,6}[^0-9][0-9]{3,6}$/),
    fc.integer({ min: 1_000_000, max: 9_999_999 }),
  ),
  groupName: badName,
  phoneName: fc.oneof(badName, nonBlank(29, 32)),
  resetTriggers: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
    // Beyond the bounds: nested deeper than 32 levels.
    fc.integer({ min: 33, max: 5_000 }).map((depth) => {
      let list: unknown[] = [];
      for (let i = 1; i < depth; i++) list = [list];
      return list;
    }),
  ),
  adopt: fc.oneof(fc.string(), fc.integer()),
};

describe("generated SipPhoneGroup inputs", () => {
  it(`${RUNS} valid ones pass check`, async () => {
    await fc.assert(
      fc.asyncProperty(validGroup, async (inputs) => {
        const result = await sipPhoneGroupProvider.check({}, inputs);
        expect(result.failures).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} invalid ones fail check, naming the broken property`, async () => {
    const broken = validGroup.chain((inputs) =>
      fc.constantFrom(...Object.keys(GROUP_BREAKERS)).chain((property) =>
        (GROUP_BREAKERS[property] as fc.Arbitrary<unknown>).map((value) => ({
          property,
          inputs: { ...inputs, [property]: value },
        })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(broken, async ({ property, inputs }) => {
        const result = await sipPhoneGroupProvider.check({}, inputs);
        const failure = result.failures?.find((f) => f.property === property);
        expect(failure?.reason).toMatch(new RegExp(`^${property} `));
      }),
      { numRuns: RUNS },
    );
  });
});

const validPassword = fc.record(
  { appId: nonBlank(1, 20), account: nonBlank(4, 32), triggers: fc.array(fc.jsonValue(), { maxLength: 3 }) },
  { requiredKeys: ["appId", "account"] },
);
const PASSWORD_BREAKERS: Record<string, fc.Arbitrary<unknown>> = {
  appId: GROUP_BREAKERS["appId"] as fc.Arbitrary<unknown>,
  account: badName,
  triggers: GROUP_BREAKERS["resetTriggers"] as fc.Arbitrary<unknown>,
};

describe("generated SipPhonePassword inputs", () => {
  it(`${RUNS} valid ones pass check`, async () => {
    await fc.assert(
      fc.asyncProperty(validPassword, async (inputs) => {
        expect((await sipPhonePasswordProvider.check({}, inputs)).failures).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} invalid ones fail check, naming the broken property`, async () => {
    const broken = validPassword.chain((inputs) =>
      fc.constantFrom(...Object.keys(PASSWORD_BREAKERS)).chain((property) =>
        (PASSWORD_BREAKERS[property] as fc.Arbitrary<unknown>).map((value) => ({
          property,
          inputs: { ...inputs, [property]: value },
        })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(broken, async ({ property, inputs }) => {
        const result = await sipPhonePasswordProvider.check({}, inputs);
        expect(result.failures?.find((f) => f.property === property)?.reason).toMatch(
          new RegExp(`^${property} `),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

// Runs last (jest keeps file order): all of the above happened at preview, without one request.
it("made 0 HTTP requests for all of the generated inputs", () => {
  expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
});
