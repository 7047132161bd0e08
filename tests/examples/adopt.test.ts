import type * as pulumi from "@pulumi/pulumi";
import { runProgram, settle } from "../helpers/mocks";
import { emulatorWithConfig } from "../helpers/config";
import { seedConsoleGroup } from "../helpers/consoleGroup";

it("examples/adopt takes over the console group without creating anything", async () => {
  const { emulator, config } = await emulatorWithConfig();
  try {
    const seeded = seedConsoleGroup(emulator);
    const { result } = await runProgram(
      () => require("../../examples/adopt") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    const passwords = await settle(result["passwords"] as pulumi.Output<Record<string, string>>);
    expect(passwords.secret).toBe(true);
    expect(passwords.value).toEqual(Object.fromEntries(seeded.map((p) => [p.account, p.password])));
    expect(emulator.counters().sipAdd).toBe(0);
  } finally {
    await emulator.close();
  }
});
