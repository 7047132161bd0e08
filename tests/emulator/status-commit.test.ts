import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { VoiceClient } from "../../provider/client";
import { operatorPost } from "../helpers/raw";

// "-18, but it took effect": a vendor error answered after the write happened.
let emulator: Emulator;
let client: VoiceClient;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  client = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: emulator.baseUrl, maxAttempts: 1 });
});
afterAll(() => emulator.close());

const group = (n: string) => ({
  appId: "commit",
  groupName: `commit-group-${n}`,
  phoneName: `commitphone${n}`,
  quantity: 2,
  displayNum: "8610000000",
});

describe("the status fault's commit option", () => {
  it("sipAdd with commit: true answers -18, and the group exists", async () => {
    emulator.inject({ endpoint: "sipAdd", kind: "status", status: "-18", commit: true, times: 1 });
    await expect(client.sipAdd(group("a"))).rejects.toMatchObject({ code: "-18", ambiguous: true });
    expect(emulator.groups("commit")).toEqual([
      { groupName: "commit-group-a", phoneName: "commitphonea", displayNum: "8610000000", quantity: 2 },
    ]);
    expect(emulator.requests().at(-1)).toMatchObject({ endpoint: "sipAdd", status: "-18", fault: "status" });
  });

  it("sipReset with commit: true answers -18, and the password did change", async () => {
    await client.sipAdd(group("b"));
    const before = emulator.phones("commit").find((p) => p.account === "commitphoneb_001")?.password;
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-18", commit: true, times: 1 });
    await expect(client.sipReset({ appId: "commit", account: "commitphoneb_001" })).rejects.toMatchObject({
      code: "-18",
    });
    const after = emulator.phones("commit").find((p) => p.account === "commitphoneb_001")?.password;
    expect(after).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(after).not.toBe(before);
  });

  it("without commit (the default) nothing happens", async () => {
    emulator.inject({ endpoint: "sipAdd", kind: "status", status: "-18", times: 1 });
    await expect(client.sipAdd(group("c"))).rejects.toMatchObject({ code: "-18" });
    expect(emulator.groups("commit").map((g) => g.groupName)).not.toContain("commit-group-c");
  });

  it("commit applies only what the call would have done: a rejected call still changes nothing", async () => {
    emulator.inject({ endpoint: "sipAdd", kind: "status", status: "-18", commit: true, times: 1 });
    await expect(client.sipAdd({ ...group("d"), quantity: 51 })).rejects.toMatchObject({ code: "-18" });
    expect(emulator.groups("commit").map((g) => g.groupName)).not.toContain("commit-group-d");
  });

  it("is armed over HTTP too, and listed with its commit flag", async () => {
    const fault = { endpoint: "sipAdd", kind: "status", status: "-18", commit: true, times: 1 };
    const armed = await operatorPost(emulator.url, "faults", fault);
    expect(armed.status).toBe(200);
    expect(emulator.faults()).toEqual([fault]);
    await expect(client.sipAdd(group("e"))).rejects.toMatchObject({ code: "-18" });
    expect(emulator.groups("commit").map((g) => g.groupName)).toContain("commit-group-e");
  });
});
