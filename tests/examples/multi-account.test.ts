import type * as pulumi from "@pulumi/pulumi";
import { DEMO_CREDENTIALS, startEmulator } from "../../emulator";
import { stackConfig } from "../helpers/config";
import { runProgram, settle } from "../helpers/mocks";

const EMEA = { apiKey: "emea-key", apiSecret: "emea-secret-change-me" };

it("examples/multi-account creates one group in each account, and the password in the second", async () => {
  const emulator = await startEmulator({
    port: 0,
    credentials: [DEMO_CREDENTIALS, { ...EMEA, appIds: ["emea-app"] }],
  });
  try {
    emulator.seedGroup({
      appId: "emea-app",
      groupName: "emea-console",
      phoneName: "emeaconsole",
      quantity: 1,
      displayNum: "4420000000",
    });
    const before = emulator.requests().length;
    const { result } = await runProgram(
      () => require("../../examples/multi-account") as Record<string, pulumi.Output<unknown>>,
      { ...stackConfig(emulator.baseUrl), "itniotech:accounts": JSON.stringify({ emea: EMEA }) },
      { secretKeys: ["itniotech:apiSecret", "itniotech:accounts"] },
    );
    const hq = (await settle(result["hqAccounts"] as pulumi.Output<string[]>)).value;
    const emea = (await settle(result["emeaAccounts"] as pulumi.Output<string[]>)).value;
    expect(
      emulator
        .phones("demo-app")
        .map((p) => p.account)
        .sort(),
    ).toEqual(hq);
    expect(
      emulator
        .phones("emea-app")
        .filter((p) => p.groupName !== "emea-console")
        .map((p) => p.account)
        .sort(),
    ).toEqual(emea);
    const desk = await settle(result["emeaDeskPassword"] as pulumi.Output<string>);
    expect(desk.secret).toBe(true);
    expect(desk.value).toBe(emulator.phones("emea-app").find((p) => p.account === emea[0])?.password);
    expect(await (result["emeaGroupsBefore"] as unknown as Promise<string[]>)).toEqual(["emea-console"]);
    // Each account's calls carried its own key: the subjects (group, account or
    // application#page) of the emea key are emea's, those of the default key hq's.
    const calls = emulator.requests().slice(before);
    const subjects = (key: string) => calls.filter((c) => c.apiKey === key).map((c) => c.subject ?? "");
    expect(subjects("emea-key").length).toBeGreaterThan(0);
    expect(subjects("emea-key").filter((s) => !s.startsWith("emea"))).toEqual([]);
    expect(subjects("demo-key").length).toBeGreaterThan(0);
    expect(subjects("demo-key").filter((s) => !/^(hq|demo-app#)/.test(s))).toEqual([]);
    expect(calls.filter((c) => c.apiKey === undefined)).toEqual([]);
  } finally {
    await emulator.close();
  }
});
