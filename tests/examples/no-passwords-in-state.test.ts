import type * as pulumi from "@pulumi/pulumi";
import { DEMO_CREDENTIALS } from "../../emulator";
import { fingerprintKey } from "../../provider/fingerprint";
import { emulatorWithConfig } from "../helpers/config";
import { runProgram, settle } from "../helpers/mocks";

// Its delivery (deliver.sh: `itniotech passwords` into a file) runs verbatim in tests/e2e/package.test.ts.
it("examples/no-passwords-in-state exports fingerprints of the platform's passwords (not secret), no password", async () => {
  const { emulator, config } = await emulatorWithConfig();
  try {
    const { result } = await runProgram(
      () => require("../../examples/no-passwords-in-state") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    expect(Object.keys(result).sort()).toEqual([
      "accounts",
      "groupName",
      "passwordFingerprints",
      "passwordsSetAt",
    ]);
    const fingerprints = await settle(
      result["passwordFingerprints"] as pulumi.Output<Record<string, string>>,
    );
    expect(fingerprints.secret).toBe(false);
    const passwords = Object.fromEntries(emulator.phones("demo-app").map((p) => [p.account, p.password]));
    const key = fingerprintKey(DEMO_CREDENTIALS.apiKey, DEMO_CREDENTIALS.apiSecret);
    expect(fingerprints.value).toEqual(key.fingerprints(passwords));
  } finally {
    await emulator.close();
  }
});
