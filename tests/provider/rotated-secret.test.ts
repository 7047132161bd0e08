/**
 * The API secret rotated in the stack config: the provider's next client signs with
 * the new one, never with a cached client of the old. Pinned in-process against the
 * emulator (the lookups pin it through the program: tests/sdk/lookups.test.ts); a
 * client cache keyed without the secret passed every other suite.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { apiClient, configure, resetConfiguration } from "../../provider/config";
import { apiFailure } from "../helpers/failure";
import { configLookup, stackConfig } from "../helpers/config";

const KEY = "rotated-key";
let emulator: Emulator;
beforeAll(async () => {
  // The platform accepts only the new secret.
  emulator = await startEmulator({ port: 0, credentials: [{ apiKey: KEY, apiSecret: "NewSecret-77c1" }] });
});
afterAll(() => emulator.close());
afterEach(() => resetConfiguration());

it("a configuration with the new secret gets a client that signs with it, not the cached one of the old", async () => {
  const configured = (apiSecret: string) =>
    configure({ config: configLookup(stackConfig(emulator.baseUrl, { apiKey: KEY, apiSecret })) });
  await configured("OldSecret-19a4");
  const old = await apiFailure(apiClient().listPhones("app1"));
  expect(old.code).not.toBe("0");
  await configured("NewSecret-77c1");
  expect(await apiClient().listPhones("app1")).toEqual([]);
});
