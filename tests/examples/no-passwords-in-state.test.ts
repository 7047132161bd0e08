import type * as pulumi from "@pulumi/pulumi";
import { DEMO_CREDENTIALS, type Emulator } from "../../emulator";
import { fingerprintKey } from "../../provider/fingerprint";
import { emulatorWithConfig } from "../helpers/config";
import { runProgram, settle } from "../helpers/mocks";
import { platformPasswords } from "../helpers/platform";

// Its delivery (deliver.sh: `itniotech passwords` into a file) runs verbatim in tests/e2e/package.test.ts.
let emulator: Emulator;
let config: Record<string, string>;
beforeAll(async () => void ({ emulator, config } = await emulatorWithConfig()));
afterAll(() => emulator.close());

it("examples/no-passwords-in-state exports fingerprints of the platform's passwords (not secret), no password", async () => {
  const program = () =>
    require("../../examples/no-passwords-in-state") as Record<string, pulumi.Output<unknown>>;
  const { result } = await runProgram(program, config);
  expect(Object.keys(result).sort()).toEqual([
    "accounts",
    "groupName",
    "passwordFingerprints",
    "passwordsSetAt",
  ]);
  const fingerprints = await settle(result["passwordFingerprints"] as pulumi.Output<Record<string, string>>);
  expect(fingerprints.secret).toBe(false);
  const key = fingerprintKey(DEMO_CREDENTIALS.apiKey, DEMO_CREDENTIALS.apiSecret);
  expect(fingerprints.value).toEqual(key.fingerprints(platformPasswords(emulator, "demo-app")));
});
