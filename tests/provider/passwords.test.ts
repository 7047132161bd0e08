import { startEmulator, DEMO_CREDENTIALS } from "../../emulator";
import { sipPhoneGroupProvider, sipPhonePasswordProvider as provider } from "../../provider";
import { configureProvider } from "../helpers/config";
import { resetConfiguration } from "../../provider/config";
import { directory } from "../../provider/directory";
import { isSecret, reveal } from "../../provider/secrets";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Props = Record<string, unknown>;

let emulator: Emulator;
let appId: string;
let accounts: string[];

const livePassword = (account: string) => emulator.phones(appId).find((r) => r.account === account)?.password;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS);
  appId = "pw-app";
  const { outs } = await sipPhoneGroupProvider.create({
    appId,
    groupName: "pw-group",
    phoneName: "pwphone",
    quantity: 2,
    displayNum: "8610000000",
  });
  accounts = outs["accounts"] as string[];
});
afterAll(async () => {
  resetConfiguration();
  await emulator.close();
});
beforeEach(() => emulator.resetCounters());

describe("SipPhonePassword", () => {
  it("check validates appId, account and triggers without calling the API", async () => {
    const result = await provider.check({}, { appId: "", account: "abc", triggers: "nope" });
    expect(result.failures?.map((f) => f.property).sort()).toEqual(["account", "appId", "triggers"]);
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });

  it("create resets the password and returns it as a secret; id is appId/account", async () => {
    const account = accounts[0] as string;
    const before = livePassword(account);
    const { id, outs } = await provider.create({ appId, account, triggers: [1] });
    expect(id).toBe(`${appId}/${account}`);
    expect(isSecret(outs["password"])).toBe(true);
    expect(reveal(outs["password"])).toBe(livePassword(account));
    expect(livePassword(account)).not.toBe(before);
    expect(emulator.counters().sipReset).toBe(1);
  });

  it("a trigger change resets again; no trigger change carries the password over as a secret", async () => {
    const account = accounts[1] as string;
    const { id, outs } = await provider.create({ appId, account, triggers: [1] });
    const plain = reveal(outs) as Props;
    const same = await provider.update(id, plain, { appId, account, triggers: [1] });
    expect(isSecret(same.outs["password"])).toBe(true);
    expect(reveal(same.outs["password"])).toBe(plain["password"]);
    expect(emulator.counters().sipReset).toBe(1);
    const changed = await provider.update(id, plain, { appId, account, triggers: [2] });
    expect(reveal(changed.outs["password"])).not.toBe(plain["password"]);
    expect(reveal(changed.outs["password"])).toBe(livePassword(account));
  });

  it("read reports drift and an unknown account as gone", async () => {
    const account = accounts[0] as string;
    const { id, outs } = await provider.create({ appId, account });
    const fresh = emulator.resetPasswordOutOfBand(appId, account);
    directory.clear(); // a refresh runs in a new provider process
    const read = await provider.read(id, reveal(outs) as Props);
    expect(reveal((read.props as Props)["password"])).toBe(fresh);
    expect((await provider.read(`${appId}/nobody_001`, { appId, account: "nobody_001" })).id).toBe("");
  });

  it("delete changes nothing remotely and says so", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await provider.delete(`${appId}/${accounts[0]}`);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/nothing was changed on the platform/);
    } finally {
      log.mockRestore();
    }
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });
});
