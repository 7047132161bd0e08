/**
 * The fault matrix: each scenario runs with SEEDS seeds (fault placement drawn from
 * the emulator's seeded RNG), through the provider implementation, and checks the
 * invariants from the emulator's own state after at most two follow-up runs:
 * 0 lost passwords, 0 duplicate groups, 0 orphans, converged, and the retry budget
 * (≤ 3 attempts per reset, never a second sipAdd for one group in one run).
 * A canary scan over everything the runs produced closes the suite.
 *
 * FAULT_SEEDS=50 npx jest tests/e2e/fault-matrix.test.ts  runs a longer local soak.
 */
import { DEMO_CREDENTIALS, startEmulator, type Emulator, type Fault } from "../../emulator";
import { VoiceApiError } from "../../provider";
import { configureProvider } from "../helpers/config";
import { resetConfiguration } from "../../provider/config";
import { directory } from "../../provider/directory";
import { CanaryScan } from "../helpers/leaks";
import { outsideSecrets } from "../helpers/values";
import { startScriptedServer } from "../helpers/scriptedServer";
import { GroupStack } from "../helpers/engine";
import { attemptsPerCall, verdict } from "../helpers/faults";

const SEEDS = Number(process.env["FAULT_SEEDS"] ?? 10);
const CREDENTIALS = { apiKey: "fault-key-4c1d", apiSecret: "CanarySecret-9f8e7d6c" };
const QUANTITY = 5;

type Phase = "create" | "rotate" | "refresh";
interface Scenario {
  name: string;
  phase: Phase;
  faults: (seed: number) => Fault[];
  /** Client timeout for this row (short for the timeout rows). */
  timeoutMs?: number;
  /** A definite rejection: the operation fails with this code after exactly one request. */
  definite?: string;
  /** Runs the operation against a server other than the emulator (refused, redirected). */
  elsewhere?: "refused" | "redirect";
  /** The emulator's clock differs from ours by this many seconds. */
  clockSkewSeconds?: number;
  /** Groups operated at once in one application. */
  groups?: number;
}

const p = (probability: number) => ({ probability });
const SCENARIOS: Scenario[] = [
  { name: "connection refused (create)", phase: "create", faults: () => [], elsewhere: "refused" },
  {
    name: "timeout before commit (sipAdd)",
    phase: "create",
    timeoutMs: 300,
    faults: () => [{ endpoint: "sipAdd", kind: "latency", ms: 600, times: 1 }],
  },
  {
    name: "timeout after commit (sipAdd)",
    phase: "create",
    timeoutMs: 300,
    faults: () => [{ endpoint: "sipAdd", kind: "latency", ms: 600, phase: "after", times: 1 }],
  },
  {
    name: "timeouts during rotation (sipReset)",
    phase: "rotate",
    timeoutMs: 300,
    faults: () => [{ endpoint: "sipReset", kind: "latency", ms: 600, phase: "after", ...p(0.25) }],
  },
  {
    name: "HTTP 500 (sipReset, commit)",
    phase: "rotate",
    faults: () => [{ endpoint: "sipReset", kind: "http", httpStatus: 500, commit: true, ...p(0.3) }],
  },
  {
    name: "HTTP 502 (sipQuery)",
    phase: "create",
    faults: () => [{ endpoint: "sipQuery", kind: "http", httpStatus: 502, ...p(0.4) }],
  },
  {
    name: "HTTP 503 (sipAdd)",
    phase: "create",
    faults: () => [{ endpoint: "sipAdd", kind: "http", httpStatus: 503, ...p(0.5) }],
  },
  {
    name: "-18 on sipAdd",
    phase: "create",
    faults: () => [{ endpoint: "sipAdd", kind: "status", status: "-18", ...p(0.5) }],
  },
  {
    name: "-18 on sipQuery",
    phase: "refresh",
    faults: () => [{ endpoint: "sipQuery", kind: "status", status: "-18", ...p(0.4) }],
  },
  {
    name: "-18 on sipReset",
    phase: "rotate",
    faults: () => [{ endpoint: "sipReset", kind: "status", status: "-18", ...p(0.3) }],
  },
  {
    name: "truncated body (sipReset, committed)",
    phase: "rotate",
    faults: () => [{ endpoint: "sipReset", kind: "truncated", ...p(0.3) }],
  },
  {
    name: "non-JSON body (sipQuery)",
    phase: "refresh",
    faults: () => [{ endpoint: "sipQuery", kind: "nonJson", ...p(0.4) }],
  },
  {
    name: "sipAdd committed, response lost",
    phase: "create",
    faults: () => [{ endpoint: "sipAdd", kind: "commitThenDrop", times: 1 }],
  },
  {
    name: "sipAdd dropped before commit",
    phase: "create",
    faults: () => [{ endpoint: "sipAdd", kind: "drop", times: 1 }],
  },
  {
    name: "sipReset response lost",
    phase: "rotate",
    faults: () => [{ endpoint: "sipReset", kind: "commitThenDrop", ...p(0.3) }],
  },
  {
    name: "reset batch failing midway",
    phase: "rotate",
    faults: (seed) => [{ endpoint: "sipReset", kind: "status", status: "-22", times: 1 + (seed % 4) }],
  },
  {
    name: "-1 bad signature (sipAdd)",
    phase: "create",
    definite: "-1",
    faults: () => [{ endpoint: "sipAdd", kind: "status", status: "-1", times: 1 }],
  },
  {
    name: "-2 IP restriction (sipAdd)",
    phase: "create",
    definite: "-2",
    faults: () => [{ endpoint: "sipAdd", kind: "status", status: "-2", times: 1 }],
  },
  {
    name: "-22 parameter error (sipAdd)",
    phase: "create",
    definite: "-22",
    faults: () => [{ endpoint: "sipAdd", kind: "status", status: "-22", times: 1 }],
  },
  {
    name: "-23 phone cap reached (sipAdd)",
    phase: "create",
    definite: "-23",
    faults: () => [{ endpoint: "sipAdd", kind: "status", status: "-23", times: 1 }],
  },
  { name: "-16, client clock one hour off", phase: "create", clockSkewSeconds: 3600, faults: () => [] },
  { name: "302 redirect to another origin", phase: "create", elsewhere: "redirect", faults: () => [] },
  {
    name: "10 groups of one app at once, mixed faults",
    phase: "rotate",
    groups: 10,
    faults: () => [
      { kind: "http", httpStatus: 503, ...p(0.1) },
      { endpoint: "sipReset", kind: "commitThenDrop", ...p(0.1) },
      { endpoint: "sipQuery", kind: "status", status: "-18", ...p(0.1) },
      { endpoint: "sipReset", kind: "truncated", ...p(0.1) },
    ],
  },
];

interface Row {
  scenario: string;
  seeds: number;
  passed: number;
  lost: number;
  duplicates: number;
  orphans: number;
  maxAttempts: number;
  sipAddResends: number;
}

const rows: Row[] = [];
const scan = new CanaryScan();
const texts: string[] = [];
const startedAt = Math.floor(Date.now() / 1000);
const printed: string[] = [];

function config(baseUrl: string, timeoutMs: number) {
  return configureProvider(baseUrl, CREDENTIALS, { "itniotech:timeoutMs": String(timeoutMs) });
}

function harvest(emulator: Emulator): void {
  for (const phone of emulator.phones()) scan.add("password", phone.password);
}

let log: jest.SpyInstance[] = [];
beforeAll(() => {
  const capture = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  log = [
    jest.spyOn(console, "log").mockImplementation(capture),
    jest.spyOn(console, "warn").mockImplementation(capture),
  ];
});
afterAll(() => {
  for (const spy of log) spy.mockRestore();
  resetConfiguration();
});

describe.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))("fault: %s", (_name, scenario, index) => {
  it(`keeps every password and converges (${SEEDS} seeds)`, async () => {
    const row: Row = {
      scenario: scenario.name,
      seeds: SEEDS,
      passed: 0,
      lost: 0,
      duplicates: 0,
      orphans: 0,
      maxAttempts: 0,
      sipAddResends: 0,
    };
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const skew = (scenario.clockSkewSeconds ?? 0) * 1000;
      const emulator = await startEmulator({
        port: 0,
        credentials: [CREDENTIALS, DEMO_CREDENTIALS],
        seed,
        now: () => Date.now() + skew,
      });
      const elsewhere =
        scenario.elsewhere === "redirect"
          ? await startScriptedServer((_req, res) => res.end("{}"))
          : undefined;
      try {
        directory.clear();
        const timeoutMs = scenario.timeoutMs ?? 5000;
        await config(emulator.baseUrl, timeoutMs);
        const appId = `f${index}-s${seed}`;
        const stacks = Array.from(
          { length: scenario.groups ?? 1 },
          (_, g) =>
            new GroupStack({
              appId,
              groupName: `grp-${index}-${seed}-${g}`,
              phoneName: `ph${index}x${seed}x${g}`,
              quantity: QUANTITY,
              displayNum: "8610000000",
              resetTriggers: [0],
            }),
        );
        if (scenario.phase !== "create") {
          for (const stack of stacks) expect(await stack.up()).toBe(true);
        }
        harvest(emulator);
        for (const stack of stacks) if (scenario.phase === "rotate") stack.desired["resetTriggers"] = [seed];

        // The faulty run.
        emulator.clearFaults(seed);
        for (const fault of scenario.faults(seed)) emulator.inject(fault);
        if (scenario.elsewhere === "refused") await config("http://127.0.0.1:9/voice", timeoutMs);
        if (elsewhere)
          emulator.inject({
            endpoint: "sipAdd",
            kind: "redirect",
            location: `${elsewhere.url}/voice/sipAdd`,
            times: 1,
          });
        const before = emulator.requests().length;
        const ok = await Promise.all(
          stacks.map((s) => (scenario.phase === "refresh" ? s.refresh() : s.up())),
        );
        const attempts = attemptsPerCall(emulator.requests().slice(before));
        row.maxAttempts = Math.max(row.maxAttempts, attempts.most);
        row.sipAddResends += attempts.blindAddResends;
        harvest(emulator);

        if (scenario.definite) {
          expect(ok).toEqual([false]);
          const error = stacks[0]?.errors.at(-1) as VoiceApiError;
          expect(error).toBeInstanceOf(VoiceApiError);
          expect([error.code, error.ambiguous]).toEqual([scenario.definite, false]);
          expect(emulator.counters().sipAdd).toBe(1);
          expect(stacks[0]?.state).toBeUndefined();
        }
        if (scenario.elsewhere) {
          expect(ok).toEqual([false]);
          expect(stacks[0]?.state).toBeUndefined();
          expect((stacks[0]?.errors.at(-1) as VoiceApiError).code).toBe(
            scenario.elsewhere === "refused" ? "CONNECTION" : "HTTP_ERROR",
          );
        }
        if (elsewhere) expect(elsewhere.requests).toHaveLength(0);
        if (scenario.clockSkewSeconds) {
          expect(ok).toEqual([true]);
          expect(emulator.requests().filter((r) => r.status === "-16")).toHaveLength(1);
        }

        // The fault clears; at most two follow-up runs (a refresh first when a refresh was what failed).
        emulator.clearFaults();
        await config(emulator.baseUrl, timeoutMs);
        for (let run = 0; run < 2; run++) {
          for (const stack of stacks) if (!verdict(stack, emulator).converged) await stack.up();
        }
        for (const stack of stacks) if (scenario.phase === "refresh") await stack.refresh();
        harvest(emulator);

        let clean = true;
        for (const stack of stacks) {
          const v = verdict(stack, emulator);
          row.lost += v.lostPasswords;
          row.duplicates += v.duplicates;
          row.orphans += v.orphans;
          if (v.lostPasswords || v.duplicates || v.orphans || !v.converged) {
            clean = false;
            failures.push(
              `seed ${seed}: ${JSON.stringify(v)} errors: ${stack.errors.map(String).join(" | ")}`,
            );
          }
          texts.push(outsideSecrets(stack.state?.outs ?? {}));
          for (const e of stack.errors)
            texts.push(String(e), JSON.stringify(e), e instanceof Error ? (e.stack ?? "") : "");
        }
        texts.push(JSON.stringify(emulator.requests()));
        if (clean) row.passed++;
      } finally {
        await elsewhere?.close();
        await emulator.close();
      }
    }
    rows.push(row);
    expect(failures).toEqual([]);
    expect(row).toMatchObject({ passed: SEEDS, lost: 0, duplicates: 0, orphans: 0, sipAddResends: 0 });
    expect(row.maxAttempts).toBeLessThanOrEqual(3);
  });
});

describe("secrets", () => {
  it("no API secret, Sign value or password appears outside a secret, in any form", () => {
    // Every Sign the client could have sent, by our clock and by the skewed one.
    scan.addCredentials(CREDENTIALS, startedAt - 5, Math.floor(Date.now() / 1000) + 5);
    scan.addCredentials(CREDENTIALS, startedAt + 3600 - 5, Math.floor(Date.now() / 1000) + 3605);
    expect(scan.size).toBeGreaterThan(1000);
    const everything = [...texts, ...printed];
    expect(everything.length).toBeGreaterThan(SCENARIOS.length * SEEDS);
    const leaks = everything.flatMap((text) =>
      scan.find(text).map((what) => `${what} in: ${text.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
  });

  it("prints the reliability table", () => {
    const lines = [
      "| scenario | seeds | passed | lost passwords | duplicates | orphans | max attempts per call | blind sipAdd resends |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${r.seeds} | ${r.passed} | ${r.lost} | ${r.duplicates} | ${r.orphans} | ${r.maxAttempts || "—"} | ${r.sipAddResends} |`,
      ),
    ];
    process.stdout.write(`\n${lines.join("\n")}\n`);
    expect(rows).toHaveLength(SCENARIOS.length);
  });
});
