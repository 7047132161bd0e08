/**
 * The create, reset and partial-failure rows of the fault matrix again, through
 * Pulumi's real dynamic-provider host over gRPC (fault-matrix.test.ts runs the
 * full matrix in-process). Invariants from the emulator's own state after at most
 * two runs.
 */
import path from "node:path";
import { startEmulator, type Emulator, type Fault } from "../../emulator";
import { reveal } from "../../provider/secrets";
import { SECRET_CONFIG_KEYS, stackConfig } from "../helpers/config";
import { EngineResource } from "../helpers/engine";
import { startHost, type Host } from "../helpers/host";
import { captureProviders } from "../helpers/mocks";
import { CanaryScan } from "../helpers/leaks";
import { outsideSecrets } from "../helpers/values";
import { program } from "../fixtures/engine/program";

const SEEDS = Number(process.env["FAULT_SEEDS"] ?? 10);
const CREDENTIALS = { apiKey: "host-fault-key", apiSecret: "HostFaultCanary-3b9c" };
const GROUP = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";

let emulator: Emulator;
let host: Host;
let provider: string;
const scan = new CanaryScan();
const rows: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [CREDENTIALS] });
  provider = (await captureProviders(() => program(jest.requireActual("pulumi-itniotech")))).get(
    GROUP,
  ) as string;
  host = await startHost(path.join(__dirname, "..", "fixtures", "engine"));
  await host.configure(
    stackConfig(emulator.baseUrl, CREDENTIALS, { "itniotech:timeoutMs": "2000" }),
    SECRET_CONFIG_KEYS,
  );
});
afterAll(async () => {
  await host.close();
  await emulator.close();
});

const ROWS: Array<[string, "create" | "rotate", (seed: number) => Fault[]]> = [
  [
    "sipAdd committed, response lost",
    "create",
    () => [{ endpoint: "sipAdd", kind: "commitThenDrop", times: 1 }],
  ],
  [
    "sipAdd HTTP 503 / -18",
    "create",
    (seed) => [
      {
        endpoint: "sipAdd",
        kind: seed % 2 ? "http" : "status",
        httpStatus: 503,
        status: "-18",
        times: 1,
      } as Fault,
    ],
  ],
  [
    "sipReset responses lost",
    "rotate",
    () => [{ endpoint: "sipReset", kind: "commitThenDrop", probability: 0.3 }],
  ],
  [
    "reset batch failing midway",
    "rotate",
    (seed) => [{ endpoint: "sipReset", kind: "status", status: "-22", times: 1 + (seed % 3) }],
  ],
];

describe.each(ROWS)("through the host: %s", (name, phase, faults) => {
  it(`0 lost passwords, 0 duplicates, converged within two runs (${SEEDS} seeds)`, async () => {
    let lost = 0;
    let duplicates = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const appId = `hf-${name.length}-${phase}-${seed}`;
      const resource = new EngineResource(host, `urn:pulumi:dev::p::${GROUP}::g${seed}`);
      const inputs = {
        appId,
        quantity: 4,
        displayNum: "8610000000",
        namePrefix: `hf${seed}`,
        resetTriggers: [0],
        __provider: provider,
      };
      if (phase === "rotate") await resource.up(inputs);
      emulator.clearFaults(seed);
      for (const fault of faults(seed)) emulator.inject(fault);
      const desired = phase === "rotate" ? { ...inputs, resetTriggers: [seed] } : inputs;
      await resource.up(desired).catch((e: unknown) => void errors.push(String(e)));
      emulator.clearFaults();
      for (
        let run = 0;
        run < 2 &&
        (resource.state === undefined ||
          resource.state.initErrors.length > 0 ||
          JSON.stringify(resource.state.outputs["resetTriggers"]) !== JSON.stringify(desired.resetTriggers));
        run++
      ) {
        await resource.up(desired).catch(() => undefined);
      }
      const groups = emulator.groups(appId);
      duplicates += Math.max(0, groups.length - 1);
      const state = resource.state;
      expect(state?.initErrors).toEqual([]);
      expect(state?.outputs["resetTriggers"]).toEqual(desired.resetTriggers);
      const known = reveal(state?.outputs["passwords"]) as Record<string, string>;
      for (const phone of emulator.phones(appId)) {
        scan.add("password", phone.password);
        if (known[phone.account] !== phone.password) lost++;
      }
    }
    rows.push(
      `| ${name} (real host) | ${SEEDS} | ${lost === 0 && duplicates === 0 ? SEEDS : "-"} | ${lost} | ${duplicates} |`,
    );
    expect([lost, duplicates]).toEqual([0, 0]);
  });
});

it("leaks nothing through the host, and prints its rows", () => {
  scan.addCredentials(CREDENTIALS, 0, 0);
  const texts = [
    host.output(),
    ...host.transcript.map((t) => (t.startsWith("{") ? outsideSecrets(JSON.parse(t)) : t)),
  ];
  expect(texts.flatMap((t) => scan.find(t))).toEqual([]);
  process.stdout.write(
    `\n| scenario | seeds | passed | lost passwords | duplicates |\n|---|---:|---:|---:|---:|\n${rows.join("\n")}\n`,
  );
  expect(rows).toHaveLength(ROWS.length);
});
