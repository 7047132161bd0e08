import { startEmulator, DEMO_CREDENTIALS } from "../../emulator";
import { configure, sipPhoneGroupProvider as provider } from "../../provider";
import { resetConfiguration } from "../../provider/config";
import { configLookup, configureProvider } from "../helpers/config";
import { directory } from "../../provider/directory";
import { PartialFailure } from "../../provider/partial";
import { isSecret, reveal } from "../../provider/secrets";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Props = Record<string, unknown>;

const PROVIDER_TEXT = "exports.handler = () => ({}) // stands in for the serialized shell";
let emulator: Emulator;
let unique = 0;

/** Unique names per test: names can never be reused on the platform. */
function names(): { appId: string; groupName: string; phoneName: string } {
  unique++;
  return { appId: `app-${unique}`, groupName: `group-${unique}`, phoneName: `phone${unique}` };
}

function group(extra: Props = {}): Props {
  return {
    ...names(),
    quantity: 3,
    displayNum: "8610000000",
    namePrefix: "office",
    __provider: PROVIDER_TEXT,
    ...extra,
  };
}

function configureFor(url: string, secret = DEMO_CREDENTIALS.apiSecret): Promise<void> {
  return configureProvider(url, { apiKey: DEMO_CREDENTIALS.apiKey, apiSecret: secret });
}

function passwordsOf(outs: Props): Record<string, string> {
  expect(isSecret(outs["passwords"])).toBe(true);
  return reveal(outs["passwords"]) as Record<string, string>;
}

/** The emulator's own view: account -> password for one group. */
function platform(appId: string, groupName: string): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(appId)
      .filter((r) => r.groupName === groupName)
      .map((r) => [r.account, r.password]),
  );
}

/** The sipAdd fields of an input bag, for seeding the emulator "from the console". */
function seedOf(inputs: Props) {
  const { appId, groupName, phoneName, quantity, displayNum } = inputs;
  return { appId, groupName, phoneName, quantity, displayNum } as {
    appId: string;
    groupName: string;
    phoneName: string;
    quantity: number;
    displayNum: string;
  };
}

/** What the engine would send back: secrets stripped (the host does not accept secrets). */
const stripped = (outs: Props): Props => reveal(outs) as Props;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  await configureFor(emulator.baseUrl);
});
afterAll(async () => {
  resetConfiguration();
  await emulator.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetCounters();
});

describe("SipPhoneGroup create", () => {
  it("adds the group, reads back sorted accounts and secret initial passwords", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    expect(id).toBe(`${inputs["appId"]}/${inputs["groupName"]}`);
    expect(outs["accounts"]).toHaveLength(3);
    expect(outs["accounts"]).toEqual([...(outs["accounts"] as string[])].sort());
    expect(passwordsOf(outs)).toEqual(platform(inputs["appId"] as string, inputs["groupName"] as string));
    expect(outs).toMatchObject({
      quantity: 3,
      displayNum: "8610000000",
      namePrefix: "office",
      __provider: PROVIDER_TEXT,
    });
    expect(outs).not.toHaveProperty("lastResetAt");
    expect(emulator.counters().sipAdd).toBe(1);
  });

  it("a refresh right after create shows no diff", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    const read = await provider.read(id, stripped(outs));
    expect(read.id).toBe(id);
    expect(stripped(read.props as Props)).toEqual(stripped(outs));
    // The declared inputs (the host adds __provider itself).
    const { __provider: _, ...declared } = inputs;
    expect(read.inputs).toEqual(declared);
    expect((await provider.diff(id, stripped(read.props as Props), inputs)).changes).toBe(false);
  });

  it("-20 without adopt: the error names the taken group and tells about adopt", async () => {
    const inputs = group();
    emulator.seedGroup({ ...seedOf(inputs), quantity: 2 });
    await expect(provider.create(inputs)).rejects.toThrow(/already exists.*adopt: true/s);
  });

  it("-20 on the phone name: the error names the group that holds it", async () => {
    const first = group();
    await provider.create(first);
    const second = { ...group(), appId: first["appId"], phoneName: first["phoneName"] };
    await expect(provider.create(second)).rejects.toThrow(
      new RegExp(`phone name '${first["phoneName"]}'.*group '${first["groupName"]}'`),
    );
  });

  it("adopt takes over a matching group without sipAdd", async () => {
    const inputs = group({ adopt: true });
    emulator.seedGroup(seedOf(inputs));
    const { outs } = await provider.create(inputs);
    expect(emulator.counters().sipAdd).toBe(0);
    expect(passwordsOf(outs)).toEqual(platform(inputs["appId"] as string, inputs["groupName"] as string));
    expect(outs["accounts"]).toHaveLength(3);
  });

  it("adopt refuses a group that does not match, listing every difference", async () => {
    const inputs = group({ adopt: true });
    emulator.seedGroup({ ...seedOf(inputs), quantity: 2, displayNum: "8620000000" });
    const error = await provider.create(inputs).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /cannot adopt.*quantity is 2 on the platform but 3.*displayNum is '8620000000'/s,
    );
    expect(emulator.counters().sipAdd).toBe(0);
  });

  it("adopt with no existing group creates it", async () => {
    const inputs = group({ adopt: true });
    const { outs } = await provider.create(inputs);
    expect(emulator.counters().sipAdd).toBe(1);
    expect(outs["accounts"]).toHaveLength(3);
  });

  it("an ambiguous sipAdd that took effect (response lost) is reconciled by reading: one group, no resend", async () => {
    const inputs = group();
    emulator.inject({ endpoint: "sipAdd", kind: "commitThenDrop", times: 1 });
    const { outs } = await provider.create(inputs);
    expect(emulator.counters().sipAdd).toBe(1);
    expect(passwordsOf(outs)).toEqual(platform(inputs["appId"] as string, inputs["groupName"] as string));
    expect(emulator.groups(inputs["appId"] as string)).toHaveLength(1);
  });

  it("an ambiguous sipAdd that did not take effect fails cleanly, saying nothing was created", async () => {
    const inputs = group();
    emulator.inject({ endpoint: "sipAdd", kind: "drop", times: 1 });
    await expect(provider.create(inputs)).rejects.toThrow(
      /does not exist on the platform, so nothing was created/,
    );
    expect(emulator.counters().sipAdd).toBe(1);
    expect(emulator.groups(inputs["appId"] as string)).toHaveLength(0);
  });

  it("a failed read-back keeps the created group as a partial result with __provider", async () => {
    const inputs = group();
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-1", times: 1 });
    const error = (await provider.create(inputs).catch((e: unknown) => e)) as PartialFailure;
    expect(error).toBeInstanceOf(PartialFailure);
    expect(error.id).toBe(`${inputs["appId"]}/${inputs["groupName"]}`);
    expect(error.properties).toMatchObject({
      appId: inputs["appId"],
      accounts: [],
      __provider: PROVIDER_TEXT,
    });
    expect(JSON.stringify(error.properties)).not.toContain("undefined");
    // The next `up` (update without a trigger change) converges on the truth.
    const { outs } = await provider.update(error.id, stripped(error.properties), inputs);
    expect(passwordsOf(outs as Props)).toEqual(
      platform(inputs["appId"] as string, inputs["groupName"] as string),
    );
    expect(emulator.counters().sipAdd).toBe(1);
  });

  it("fails with a message naming the config key and env var when credentials are missing", async () => {
    resetConfiguration();
    const saved = { ...process.env };
    delete process.env["ITNIOTECH_API_KEY"];
    delete process.env["ITNIOTECH_API_SECRET"];
    try {
      await configure({ config: configLookup({}) });
      await expect(provider.create(group())).rejects.toThrow(/itniotech:apiKey.*ITNIOTECH_API_KEY/);
    } finally {
      process.env = saved;
      await configureFor(emulator.baseUrl);
    }
  });
});

describe("SipPhoneGroup check and diff make no API call", () => {
  it("check and diff of a new and a changed group: 0 requests", async () => {
    const inputs = group({ groupName: undefined, phoneName: undefined });
    const checked = await provider.check({}, inputs);
    expect(checked.failures).toEqual([]);
    const diff = await provider.diff(
      "x/y",
      { ...checked.inputs, accounts: [], passwords: {} },
      { ...checked.inputs, resetTriggers: [1] },
    );
    expect(diff.changes).toBe(true);
    expect(emulator.counters()).toEqual({ sipAdd: 0, sipQuery: 0, sipReset: 0 });
  });
});

describe("SipPhoneGroup update (rotation)", () => {
  it("resets every password; state and platform agree; lastResetAt set", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    const before = passwordsOf(outs);
    const { outs: after } = await provider.update(id, stripped(outs), {
      ...inputs,
      resetTriggers: ["2026-11"],
    });
    const rotated = passwordsOf(after as Props);
    expect(Object.keys(rotated)).toEqual(Object.keys(before));
    for (const account of Object.keys(before)) expect(rotated[account]).not.toBe(before[account]);
    expect(rotated).toEqual(platform(inputs["appId"] as string, inputs["groupName"] as string));
    expect((after as Props)["resetTriggers"]).toEqual(["2026-11"]);
    expect(Date.parse((after as Props)["lastResetAt"] as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(emulator.counters().sipReset).toBe(3);
  });

  it("a reset failing midway keeps every password the platform has, and the OLD triggers", async () => {
    const inputs = group({ quantity: 5, resetTriggers: [1] });
    const { id, outs } = await provider.create(inputs);
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 2 });
    const error = (await provider
      .update(id, stripped(outs), { ...inputs, resetTriggers: [2] })
      .catch((e: unknown) => e)) as PartialFailure;
    expect(error).toBeInstanceOf(PartialFailure);
    expect(error.reasons[0]).toMatch(/2 of 5 password resets failed/);
    expect(reveal(error.properties["passwords"])).toEqual(
      platform(inputs["appId"] as string, inputs["groupName"] as string),
    );
    expect(error.properties["resetTriggers"]).toEqual([1]);
    expect(error.properties["__provider"]).toBe(PROVIDER_TEXT);
    // The next `up` still sees the trigger change and finishes the rotation.
    const diff = await provider.diff(id, stripped(error.properties), { ...inputs, resetTriggers: [2] });
    expect(diff.changes).toBe(true);
    const { outs: done } = await provider.update(id, stripped(error.properties), {
      ...inputs,
      resetTriggers: [2],
    });
    expect(passwordsOf(done as Props)).toEqual(
      platform(inputs["appId"] as string, inputs["groupName"] as string),
    );
    expect((done as Props)["resetTriggers"]).toEqual([2]);
  });
});

describe("SipPhoneGroup read (refresh)", () => {
  it("an out-of-band reset shows as the new password", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    const account = (outs["accounts"] as string[])[1] as string;
    const fresh = emulator.resetPasswordOutOfBand(inputs["appId"] as string, account);
    directory.clear(); // a refresh runs in a new provider process
    const read = await provider.read(id, stripped(outs));
    expect(passwordsOf(read.props as Props)[account]).toBe(fresh);
  });

  it("a removed group reads as gone (empty id)", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    emulator.removeGroup(inputs["appId"] as string, inputs["groupName"] as string);
    directory.clear(); // a refresh runs in a new provider process
    expect((await provider.read(id, stripped(outs))).id).toBe("");
  });
});

describe("SipPhoneGroup delete", () => {
  it("revokes every password and warns that the phones stay", async () => {
    const inputs = group();
    const { id, outs } = await provider.create(inputs);
    const before = passwordsOf(outs);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await provider.delete(id, stripped(outs));
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(
        /cannot delete phones.*stay on the platform.*retainOnDelete/s,
      );
    } finally {
      log.mockRestore();
    }
    const after = platform(inputs["appId"] as string, inputs["groupName"] as string);
    for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
    expect(emulator.counters().sipReset).toBe(3);
  });
});
