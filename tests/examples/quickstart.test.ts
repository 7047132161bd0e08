import type * as pulumi from "@pulumi/pulumi";
import { runProgram, settle } from "../helpers/mocks";
import { emulatorWithConfig } from "../helpers/config";

it("examples/quickstart creates its group against the emulator; passwords are secret", async () => {
  const { emulator, config } = await emulatorWithConfig();
  try {
    const { result, registrations } = await runProgram(
      () => require("../../examples/quickstart") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    const accounts = await settle(result["accounts"] as pulumi.Output<string[]>);
    expect(accounts.value).toHaveLength(3);
    expect(accounts.secret).toBe(false);
    expect(registrations.map((r) => `${r.type}::${r.name}`)).toEqual([
      "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup::office",
    ]);
    const passwords = await settle(result["passwords"] as pulumi.Output<Record<string, string>>);
    expect(passwords.secret).toBe(true);
    expect(Object.keys(passwords.value).sort()).toEqual(accounts.value);
    expect((await settle(result["groupName"] as pulumi.Output<string>)).value).toMatch(/^office-/);
    expect(emulator.phones("demo-app")).toHaveLength(3);
  } finally {
    await emulator.close();
  }
});
