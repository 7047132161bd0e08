import type * as pulumi from "@pulumi/pulumi";
import { runProgram, settle } from "../helpers/mocks";
import { emulatorWithConfig } from "../helpers/config";

it("examples/rotation creates the group and resets one account's password as a secret", async () => {
  const { emulator, config } = await emulatorWithConfig();
  try {
    const { result } = await runProgram(
      () => require("../../examples/rotation") as Record<string, pulumi.Output<unknown>>,
      config,
    );
    const accounts = (await settle(result["accounts"] as pulumi.Output<string[]>)).value;
    expect(accounts).toHaveLength(5);
    const desk = await settle(result["deskPassword"] as pulumi.Output<string>);
    expect(desk.secret).toBe(true);
    expect((await settle(result["deskAccount"] as pulumi.Output<string>)).value).toBe(accounts[0]);
    expect(desk.value).toBe(emulator.phones("demo-app").find((p) => p.account === accounts[0])?.password);
    expect((await settle(result["passwords"] as pulumi.Output<unknown>)).secret).toBe(true);
  } finally {
    await emulator.close();
  }
});
