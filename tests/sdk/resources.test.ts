import * as pulumi from "@pulumi/pulumi";
import { DEMO_CREDENTIALS, startEmulator } from "../../emulator";
import { stackConfig } from "../helpers/config";
import { runProgram, settle } from "../helpers/mocks";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

// The classes come from the built package, as a user's program gets them.
const { SipPhoneGroup, SipPhonePassword } =
  jest.requireActual<typeof import("pulumi-itniotech")>("pulumi-itniotech");

describe("a program using the resources, with the real serialized provider", () => {
  it("creates a group and a password: outputs resolve, passwords are secret, __provider holds no credentials", async () => {
    const config = stackConfig(emulator.baseUrl);
    const { result, registrations } = await runProgram(() => {
      const office = new SipPhoneGroup("office", {
        appId: "prog-app",
        quantity: 2,
        displayNum: "8610000000",
      });
      const desk = new SipPhonePassword("desk", {
        appId: "prog-app",
        account: office.accounts.apply((a) => a[0] as string),
        triggers: [1],
      });
      return { office, desk };
    }, config);

    const accounts = await settle(result.office.accounts);
    expect(accounts.value).toHaveLength(2);
    expect(accounts.secret).toBe(false);
    const passwords = await settle(result.office.passwords);
    expect(passwords.secret).toBe(true);
    const groupName = await settle(result.office.groupName);
    expect(groupName.value).toMatch(/^office-[a-z0-9]{7}$/);
    const password = await settle(result.desk.password);
    expect(password.secret).toBe(true);
    const live = emulator.phones("prog-app");
    expect(password.value).toBe(live.find((p) => p.account === accounts.value[0])?.password);
    expect(Object.keys(passwords.value).sort()).toEqual(accounts.value);

    expect(registrations.map((r) => r.type)).toEqual([
      "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup",
      "pulumi-nodejs:dynamic/itniotech:SipPhonePassword",
    ]);
    for (const registration of registrations) {
      const text = registration.providerText ?? "";
      expect(text).toContain('require("pulumi-itniotech/provider")');
      expect(text).not.toContain(DEMO_CREDENTIALS.apiKey);
      expect(text).not.toContain(DEMO_CREDENTIALS.apiSecret);
      expect(Buffer.byteLength(text)).toBeLessThan(4096);
    }
    expect(registrations[0]?.inputs["namePrefix"]).toBe("office");
  });

  it("additionalSecretOutputs keeps the user's own entries", () => {
    const { withSecretOutputs } =
      jest.requireActual<typeof import("../../sdk/providers")>("../../sdk/providers");
    const options: pulumi.CustomResourceOptions = { additionalSecretOutputs: ["accounts"], protect: true };
    expect(withSecretOutputs(options, ["passwords"])).toEqual({
      additionalSecretOutputs: ["accounts", "passwords"],
      protect: true,
    });
  });
});
