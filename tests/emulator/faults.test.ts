import { DEMO_CREDENTIALS, startEmulator, type Emulator, type Fault } from "../../emulator";
import { VoiceApiError, VoiceClient } from "../../provider/client";
import { startScriptedServer } from "../helpers/scriptedServer";

let emulator: Emulator;
let client: VoiceClient;
let n = 0;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  client = new VoiceClient({
    ...DEMO_CREDENTIALS,
    baseUrl: emulator.baseUrl,
    timeoutMs: 200,
    maxAttempts: 1,
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetCounters();
});

const group = () => ({
  appId: "faults",
  groupName: `fault-group-${++n}`,
  phoneName: `faultphone${n}`,
  quantity: 1,
  displayNum: "8610000000",
});
const created = (g: { groupName: string }) =>
  emulator.groups("faults").some((x) => x.groupName === g.groupName);

/** Waits until the emulator has finished with (and logged) the call about `subject`. */
async function logged(subject: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!emulator.requests().some((r) => r.subject === subject)) {
    if (Date.now() > deadline) throw new Error(`the emulator never finished the call about ${subject}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function failure(promise: Promise<unknown>): Promise<VoiceApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceApiError);
  return error as VoiceApiError;
}

describe("each fault kind, as VoiceClient sees it", () => {
  it.each<[string, Fault, string, boolean, boolean]>([
    // [name, fault, code, ambiguous, took effect]
    ["vendor status -18", { endpoint: "sipAdd", kind: "status", status: "-18" }, "-18", true, false],
    ["vendor status -23", { endpoint: "sipAdd", kind: "status", status: "-23" }, "-23", false, false],
    [
      "HTTP 500 before commit",
      { endpoint: "sipAdd", kind: "http", httpStatus: 500 },
      "HTTP_ERROR",
      true,
      false,
    ],
    [
      "HTTP 502 after commit",
      { endpoint: "sipAdd", kind: "http", httpStatus: 502, commit: true },
      "HTTP_ERROR",
      true,
      true,
    ],
    ["truncated body (committed)", { endpoint: "sipAdd", kind: "truncated" }, "BAD_RESPONSE", true, true],
    ["non-JSON body (committed)", { endpoint: "sipAdd", kind: "nonJson" }, "BAD_RESPONSE", true, true],
    [
      "non-JSON body (not committed)",
      { endpoint: "sipAdd", kind: "nonJson", commit: false },
      "BAD_RESPONSE",
      true,
      false,
    ],
    [
      "latency past the timeout, before commit",
      { endpoint: "sipAdd", kind: "latency", ms: 400 },
      "TIMEOUT",
      true,
      false,
    ],
    [
      "latency past the timeout, after commit",
      { endpoint: "sipAdd", kind: "latency", ms: 400, phase: "after" },
      "TIMEOUT",
      true,
      true,
    ],
    ["drop", { endpoint: "sipAdd", kind: "drop" }, "CONNECTION", true, false],
    ["commit then drop", { endpoint: "sipAdd", kind: "commitThenDrop" }, "CONNECTION", true, true],
    ["redirect", { endpoint: "sipAdd", kind: "redirect" }, "HTTP_ERROR", false, false],
  ])("%s (%j) -> %s, ambiguous=%s, took effect=%s", async (_name, fault, code, ambiguous, effect) => {
    emulator.inject({ ...fault, times: 1 });
    const g = group();
    const error = await failure(client.sipAdd(g));
    expect([error.code, error.ambiguous]).toEqual([code, ambiguous]);
    // The server has decided once it logs the call: a "before" latency fault only
    // then sees whether the caller is still there.
    await logged(g.groupName);
    expect(created(g)).toBe(effect);
    expect(emulator.faults()).toEqual([]);
  });

  it("commitThenDrop on sipReset: the client sees a lost connection, the password did change", async () => {
    const g = group();
    await client.sipAdd(g);
    const account = `${g.phoneName}_001`;
    const before = emulator.phones("faults").find((p) => p.account === account)?.password;
    emulator.inject({ endpoint: "sipReset", kind: "commitThenDrop", times: 1 });
    const error = await failure(client.sipReset({ appId: "faults", account }));
    expect([error.code, error.ambiguous]).toEqual(["CONNECTION", true]);
    const after = emulator.phones("faults").find((p) => p.account === account)?.password;
    expect(after).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(after).not.toBe(before);
  });

  it("a truncated sipQuery page is a BAD_RESPONSE, and the log names the fault", async () => {
    emulator.inject({ endpoint: "sipQuery", kind: "truncated", times: 1 });
    const error = await failure(client.sipQuery({ appId: "faults", current: 1, size: 10 }));
    expect([error.code, error.ambiguous]).toEqual(["BAD_RESPONSE", true]);
    expect(emulator.requests().at(-1)).toMatchObject({ endpoint: "sipQuery", fault: "truncated" });
  });

  it("a fault without times or probability applies until cleared", async () => {
    emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-18" });
    for (let i = 0; i < 3; i++)
      expect((await failure(client.sipQuery({ appId: "faults", current: 1, size: 1 }))).code).toBe("-18");
    emulator.clearFaults();
    await expect(client.sipQuery({ appId: "faults", current: 1, size: 1 })).resolves.toMatchObject({
      current: 1,
    });
  });

  it("latency below the timeout only slows the call down", async () => {
    emulator.inject({ kind: "latency", ms: 60, times: 1 });
    const started = Date.now();
    await client.sipQuery({ appId: "faults", current: 1, size: 10 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("a redirect is not followed: the other origin sees nothing", async () => {
    const elsewhere = await startScriptedServer((_req, res) => res.end("{}"));
    try {
      emulator.inject({ kind: "redirect", location: `${elsewhere.url}/voice/sipQuery`, times: 1 });
      const error = await failure(client.sipQuery({ appId: "faults", current: 1, size: 10 }));
      expect(error.httpStatus).toBe(302);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("faults apply to their endpoint only, for `times` calls", async () => {
    emulator.inject({ endpoint: "sipReset", kind: "status", status: "-18", times: 2 });
    await client.sipQuery({ appId: "faults", current: 1, size: 10 });
    expect(emulator.faults()).toHaveLength(1);
  });

  it("probabilistic faults repeat exactly with the same seed", async () => {
    const pattern = async (seed: number) => {
      emulator.clearFaults(seed);
      emulator.inject({ endpoint: "sipQuery", kind: "status", status: "-18", probability: 0.5 });
      const outcomes: string[] = [];
      for (let i = 0; i < 24; i++) {
        outcomes.push(
          await client.sipQuery({ appId: "faults", current: 1, size: 1 }).then(
            () => "ok",
            (e: VoiceApiError) => e.code,
          ),
        );
      }
      return outcomes.join(",");
    };
    const first = await pattern(7);
    expect(await pattern(7)).toBe(first);
    expect(first).toContain("-18");
    expect(first).toContain("ok");
    expect(await pattern(8)).not.toBe(first);
  });

  it("two emulators started with the same seed fail the same calls", async () => {
    const pattern = async (seed: number) => {
      const other = await startEmulator({ port: 0, seed });
      try {
        other.inject({ kind: "status", status: "-18", probability: 0.3 });
        const c = new VoiceClient({ ...DEMO_CREDENTIALS, baseUrl: other.baseUrl, maxAttempts: 1 });
        const outcomes: string[] = [];
        for (let i = 0; i < 20; i++)
          outcomes.push(
            await c.sipQuery({ appId: "seeded", current: 1, size: 1 }).then(
              () => "ok",
              (e: VoiceApiError) => e.code,
            ),
          );
        return outcomes.join(",");
      } finally {
        await other.close();
      }
    };
    const first = await pattern(99);
    expect(first).toContain("-18");
    expect(await pattern(99)).toBe(first);
  });

  it("rejects a malformed fault with a readable message", () => {
    expect(() => emulator.inject({ kind: "http", httpStatus: 200 } as Fault)).toThrow(
      /httpStatus from 300 to 599/,
    );
    expect(() => emulator.inject({ kind: "status", status: "-18", probability: 2 } as Fault)).toThrow(
      /probability/,
    );
  });
});
