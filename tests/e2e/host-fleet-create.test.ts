/**
 * Issue 15's create target through Pulumi's real dynamic-provider host: N creates
 * cost N sipAdd + one shared scan. The host hands the provider each Create as it
 * arrives (its gRPC decoding and unmarshalling spread 500 of them over seconds), so
 * an early create's read-back must wait for the adds still arriving, not only for
 * those in flight when it asked (before: 500 sipAdd + 848 sipQuery, 3.4 scans).
 * Asserts calls, never time; prints the counts and the wall time.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import type { ProviderProcess, Props } from "../../bench/providerProcess";
import buildIfStale from "../helpers/build-if-stale";

const ROOT = path.resolve(__dirname, "../..");
const CONCURRENCY = 16;
const PHONES_PER_GROUP = 50;
const GROUPS = 500;
/** As `npm run bench`: 50 ms on every call, the latency under which the host made 3.4 scans. */
const LATENCY_MS = 50;

type StartHost = (
  config: Record<string, string>,
  provider: string,
) => Promise<ProviderProcess<{ id: string; outputs: Props }>>;

/** The compiled bench modules: the host resolves `pulumi-itniotech` from the repository root. */
function compiled<T>(relative: string): T {
  const file = path.join(ROOT, "dist", `${relative}.js`);
  const source = path.join(ROOT, `${relative}.ts`);
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(source).mtimeMs)
    throw new Error(`${file} is missing or older than its source: npm run build`);
  return require(file) as T;
}

/** The `__provider` text the SDK writes into every SipPhoneGroup (the compiled shell, as a program has it). */
async function groupProviderText(): Promise<string> {
  const { serializeFunction } = await import("@pulumi/pulumi/runtime/closure/serializeClosure");
  const { sipPhoneGroupProvider } = compiled<typeof import("../../sdk/providers")>("sdk/providers");
  return (await serializeFunction(() => sipPhoneGroupProvider, { allowSecrets: true })).text;
}

describe(`${GROUPS} SipPhoneGroup creates through Pulumi's dynamic-provider host`, () => {
  let emulator: Emulator;
  beforeAll(async () => {
    buildIfStale();
    emulator = await startEmulator({ port: 0, maxPhonesPerApp: 1_000_000 });
    emulator.inject({ kind: "latency", ms: LATENCY_MS });
  });
  afterAll(() => emulator.close());

  it(`make ${GROUPS} sipAdd and one shared scan of ${(GROUPS * PHONES_PER_GROUP) / 100} pages`, async () => {
    const { startProviderHost } = compiled<{ startProviderHost: StartHost }>("bench/providerHost");
    const host = await startProviderHost(
      {
        "itniotech:apiKey": DEMO_CREDENTIALS.apiKey,
        "itniotech:apiSecret": DEMO_CREDENTIALS.apiSecret,
        "itniotech:baseUrl": emulator.baseUrl,
        "itniotech:concurrency": String(CONCURRENCY),
      },
      await groupProviderText(),
    );
    try {
      await host.warm();
      const groups = Array.from({ length: GROUPS }, (_, i) => ({
        appId: "host-fleet",
        groupName: `host-g${i}`,
        phoneName: `hostp${i}`,
        quantity: PHONES_PER_GROUP,
        displayNum: "8610000000",
      }));
      const preview = await host.preview(groups);
      expect(preview.failed).toBe(0);
      emulator.resetCounters();
      const created = await host.create();
      const { counters, maxInFlight } = emulator.summary();
      console.log(
        `${GROUPS} creates through the host: ${counters.sipAdd} sipAdd, ${counters.sipQuery} sipQuery, ` +
          `${Math.round(created.ms)} ms, at most ${maxInFlight} in flight`,
      );
      expect([created.failed, created.firstError]).toEqual([0, undefined]);
      expect(
        created.value.every((s) => (s.outputs["accounts"] as unknown[]).length === PHONES_PER_GROUP),
      ).toBe(true);
      expect(counters).toEqual({
        sipAdd: GROUPS,
        sipQuery: (GROUPS * PHONES_PER_GROUP) / 100,
        sipReset: 0,
      });
      expect(maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    } finally {
      await host.close();
    }
  }, 300_000);
});
