/**
 * SipPhoneGroup's error branches against the emulator: each test here is the one
 * that fails when the branch is broken (issue 11's mutation audit). Delete when
 * revocation fails, a rotation whose read-back fails too, a group shorter than
 * asked, a -20 whose names are nowhere, resets that can never succeed.
 */
import { DEMO_CREDENTIALS, type Emulator, type Fault } from "../../emulator";
import { sipPhoneGroupProvider as provider } from "../../provider";
import { resetConfiguration } from "../../provider/config";
import { directory } from "../../provider/directory";
import { PartialFailure } from "../../provider/partial";
import { isSecret, reveal } from "../../provider/secrets";
import { configureProvider, emulatorWithConfig } from "../helpers/config";

type Props = Record<string, unknown>;

let emulator: Emulator;
let unique = 0;
let printed: string[] = [];

/** A group's inputs after check, with names never used before. */
function inputs(extra: Props = {}): Props & { appId: string; groupName: string; phoneName: string } {
  unique++;
  return {
    appId: `gf-app-${unique}`,
    groupName: `gf-group-${unique}`,
    phoneName: `gfphone${unique}`,
    quantity: 3,
    displayNum: "8610000000",
    __provider: "exports.handler = () => ({}) // stands in for the shell",
    ...extra,
  };
}

/** The platform's passwords of one group, by account. */
function platform(group: { appId: string; groupName: string }): Record<string, string> {
  const phones = emulator.phones(group.appId).filter((p) => p.groupName === group.groupName);
  return Object.fromEntries(phones.map((p) => [p.account, p.password]));
}

/** What the engine sends back: secrets bare (the host does not accept secrets). */
const bare = (props: unknown): Props => reveal(props) as Props;

/** The group shrinks out of band to `left` phones, as if the others were removed in the console. */
function shrink(group: Props & { appId: string; groupName: string; phoneName: string }, left: number): void {
  emulator.removeGroup(group.appId, group.groupName);
  const { appId, groupName, phoneName, displayNum } = group;
  emulator.seedGroup({ appId, groupName, phoneName, displayNum: displayNum as string, quantity: left });
  directory.clear();
}

async function failure(operation: Promise<unknown>): Promise<PartialFailure> {
  const error: unknown = await operation.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PartialFailure);
  return error as PartialFailure;
}

beforeAll(async () => {
  ({ emulator } = await emulatorWithConfig());
  await configureProvider(emulator.baseUrl, DEMO_CREDENTIALS);
});
afterAll(async () => {
  resetConfiguration();
  await emulator.close();
});
let log: jest.SpyInstance;
beforeEach(() => {
  emulator.clearFaults();
  printed = [];
  log = jest
    .spyOn(console, "log")
    .mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
});
afterEach(() => log.mockRestore());

describe("delete when revocation fails", () => {
  it("a phone already gone (-24) has nothing to revoke: the others are reset, delete succeeds", async () => {
    const group = inputs();
    const { id, outs } = await provider.create(group);
    const before = platform(group);
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-24", times: 1 });
    await provider.delete(id, bare(outs));
    const after = platform(group);
    const changed = Object.keys(before).filter((account) => after[account] !== before[account]);
    expect(changed).toHaveLength(2);
    expect(printed.join("\n")).toMatch(/passwords were reset and discarded/);
  });

  it.each<[string, Fault]>([
    ["-18 on every attempt", { endpoint: "sipReset", kind: "status", status: "-18" }],
    ["HTTP 500 on every attempt", { endpoint: "sipReset", kind: "http", httpStatus: 500 }],
    ["-22 once", { endpoint: "sipReset", kind: "status", status: "-22", times: 1 }],
    ["-1 once", { endpoint: "sipReset", kind: "status", status: "-1", times: 1 }],
  ])(
    "%s: delete fails, says the old credentials may still work, and claims no revocation",
    async (_what, fault) => {
      const group = inputs();
      const { id, outs } = await provider.create(group);
      const before = platform(group);
      emulator.inject(fault);
      const error = await provider.delete(id, bare(outs)).catch((e: Error) => e);
      expect(String(error)).toMatch(/could not revoke \d of 3 passwords.*old credentials may still work/s);
      expect(String(error)).toMatch(/stays in the stack so that `pulumi destroy` can try again/);
      expect(printed.join("\n")).not.toMatch(/reset and discarded/);
      const unrevoked = Object.keys(before).filter((account) => platform(group)[account] === before[account]);
      expect(unrevoked.length).toBeGreaterThan(0);

      // `pulumi destroy` again, the fault gone: every credential is revoked.
      emulator.clearFaults();
      await provider.delete(id, bare(outs));
      const after = platform(group);
      for (const account of Object.keys(before)) expect(after[account]).not.toBe(before[account]);
    },
  );
});

describe("a rotation whose read-back fails too", () => {
  it("the partial state holds the new passwords that came back and the old ones otherwise, as a secret", async () => {
    const group = inputs({ quantity: 5, resetTriggers: [1] });
    const { id, outs } = await provider.create(group);
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-22", times: 2 });
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-1", times: 1 });
    const error = await failure(provider.update(id, bare(outs), { ...group, resetTriggers: [2] }));
    expect(error.reasons).toEqual([
      expect.stringMatching(/2 of 5 password resets failed/),
      expect.stringMatching(/reading the passwords back failed too/),
    ]);
    expect(isSecret(error.properties["passwords"])).toBe(true);
    const kept = reveal(error.properties["passwords"]) as Record<string, string>;
    expect(kept).toEqual(platform(group));
    const old = bare(outs)["passwords"] as Record<string, string>;
    expect(Object.keys(kept).filter((account) => kept[account] !== old[account])).toHaveLength(3);
    expect(error.properties).toMatchObject({ resetTriggers: [1], __provider: group.__provider });
    expect(error.properties["accounts"]).toEqual(Object.keys(old).sort());
  });
});

describe("a group shorter than asked", () => {
  it("converging after a partial create: the platform holds 2 of the 5 phones, said and kept", async () => {
    const group = inputs({ quantity: 5 });
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-1", times: 1 });
    const created = await failure(provider.create(group));
    shrink(group, 2);
    const error = await failure(provider.update(created.id, bare(created.properties), group));
    expect(error.message).toMatch(/the platform holds 2 of the 5 phones asked for/);
    expect(reveal(error.properties["passwords"])).toEqual(platform(group));
  });

  it("a rotation of a group that lost phones says so, also once every remaining phone is rotated", async () => {
    const group = inputs({ quantity: 5, resetTriggers: [1] });
    const { id, outs } = await provider.create(group);
    shrink(group, 2);
    const first = await failure(provider.update(id, bare(outs), { ...group, resetTriggers: [2] }));
    expect(first.message).toMatch(
      /3 of 5 password resets failed.*the platform holds 2 of the 5 phones asked for/s,
    );
    expect(reveal(first.properties["passwords"])).toEqual(platform(group));

    // The next `up` rotates the two phones left, and still does not call the group whole.
    const second = await failure(
      provider.update(id, bare(first.properties), { ...group, resetTriggers: [2] }),
    );
    expect(second.message).toMatch(/the platform holds 2 of the 5 phones asked for/);
    expect(reveal(second.properties["passwords"])).toEqual(platform(group));
    expect(second.properties["resetTriggers"]).toEqual([2]);
  });
});

describe("resets that can never succeed", () => {
  /** A console-made group whose phone name is 30 characters: its accounts have 34. */
  async function longNamedGroup(): Promise<{ id: string; outs: Props; group: ReturnType<typeof inputs> }> {
    const group = inputs({ phoneName: `p${unique}`.padEnd(30, "x"), adopt: true, quantity: 2 });
    const { appId, groupName, phoneName } = group;
    emulator.seedGroup({ appId, groupName, phoneName, quantity: 2, displayNum: "8610000000" });
    const { id, outs } = await provider.create(group);
    return { id, outs, group };
  }

  it("a rotation refused with -22 for 34-character accounts says retrying cannot help", async () => {
    const { id, outs, group } = await longNamedGroup();
    const error = await failure(provider.update(id, bare(outs), { ...group, resetTriggers: [1] }));
    expect(error.message).toMatch(/2 of 2 password resets failed.*-22.*34 characters/s);
    expect(error.message).toMatch(/retrying cannot help/);
    expect(error.message).not.toMatch(/run `pulumi up` again/);
  });

  it("a destroy refused the same way says so, and how to let the stack forget the group", async () => {
    const { id, outs } = await longNamedGroup();
    const error = await provider.delete(id, bare(outs)).catch((e: Error) => e);
    expect(String(error)).toMatch(/could not revoke 2 of 2.*retrying cannot help.*retainOnDelete/s);
    expect(String(error)).not.toMatch(/can try again/);
  });
});

describe("-20 from sipAdd", () => {
  it("when neither name is on the platform, it says so and keeps the vendor's reason", async () => {
    const group = inputs();
    emulator.inject({
      endpoint: "sipAdd",
      kind: "status",
      status: "-20",
      reason: "duplicate entry",
      times: 1,
    });
    const error = await provider.create(group).catch((e: Error) => e);
    expect(String(error)).toMatch(/status -20.*duplicate entry/s);
    expect(String(error)).toMatch(
      new RegExp(
        `neither the group name '${group.groupName}' nor the phone name '${group.phoneName}' is found`,
      ),
    );
    expect(String(error)).not.toMatch(/is already used/);
  });
});
