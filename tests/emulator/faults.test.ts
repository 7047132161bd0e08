import { DEMO_CREDENTIALS, startEmulator, type Emulator, type Fault } from "../../emulator";
import { VoiceApiError, VoiceClient } from "../../provider/client";
import { startScriptedServer } from "../support/scriptedServer";

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
  ])("%s -> %s, ambiguous=%s, took effect=%s", async (_name, fault, code, ambiguous, effect) => {
    emulator.inject({ ...fault, times: 1 });
    const g = group();
    const error = await failure(client.sipAdd(g));
    expect([error.code, error.ambiguous]).toEqual([code, ambiguous]);
    // A "before" latency fault decides after its delay whether the caller is still there.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(created(g)).toBe(effect);
    expect(emulator.faults()).toEqual([]);
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

  it("rejects a malformed fault with a readable message", () => {
    expect(() => emulator.inject({ kind: "http", httpStatus: 200 } as Fault)).toThrow(
      /httpStatus from 300 to 599/,
    );
    expect(() => emulator.inject({ kind: "status", status: "-18", probability: 2 } as Fault)).toThrow(
      /probability/,
    );
  });
});
