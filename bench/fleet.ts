/**
 * `npm run bench:fleet`: `itniotech export` and `itniotech inventory` of one
 * application with 1,000 groups and 25,000 phones (1 to 49 phones a group, names
 * with spaces and non-ASCII characters among them), against the emulator in its own
 * process with 50 ms of latency on every call. Each command runs as the built bin in
 * its own process, as a user runs it; the figures are its API calls (from the
 * emulator's counters), its wall time from spawn to exit, and its peak resident
 * memory. Prints a table; asserts nothing (timings are not tests).
 *
 * Targets (issue 13): one scan of ⌈25,000/100⌉ = 250 page calls, under 10 s,
 * under 200 MB.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DEMO_CREDENTIALS } from "../emulator";
import { spawnEmulator } from "./cliEmulator";

const GROUPS = Number(process.env["BENCH_GROUPS"] ?? 1000);
const LATENCY_MS = Number(process.env["BENCH_LATENCY_MS"] ?? 50);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const APP = "fleet-bench";
const GROUP_TYPE = "pulumi-nodejs:dynamic/itniotech:SipPhoneGroup";
const CLI = path.resolve(__dirname, "../cli/index.js");
const PRELOAD = path.resolve(__dirname, "peakMemory.js");

interface Group {
  groupName: string;
  phoneName: string;
  quantity: number;
}

/** Pairs of 25 - k and 25 + k phones: 25 on average, from 1 to 49, mixed. */
function fleet(): Group[] {
  const styles = [(i: number) => `team-${i}`, (i: number) => `Front Desk ${i}`, (i: number) => `话机组 ${i}`];
  return Array.from({ length: GROUPS }, (_, i) => {
    const k = Math.floor(i / 2) % 25;
    return {
      groupName: styles[i % styles.length]!(i),
      phoneName: `fleet-${i}`,
      quantity: i % 2 === 0 ? 25 - k : 25 + k,
    };
  });
}

/** The emulator's data file: the fleet as the console and scripts made it. */
function platformSnapshot(groups: Group[]): object {
  return {
    version: 1,
    phones: groups.flatMap((g, i) =>
      Array.from({ length: g.quantity }, (_, n) => ({
        appId: APP,
        groupName: g.groupName,
        phoneName: g.phoneName,
        account: `${g.phoneName}_${String(n + 1).padStart(3, "0")}`,
        password: randomBytes(6).toString("base64url"),
        displayNum: `8610${String(i).padStart(6, "0")}`,
      })),
    ),
  };
}

/** A `pulumi stack export` of a stack that manages every group (after onboarding). */
function stackState(groups: Group[]): object {
  const secret = () => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    ciphertext: `v1:${randomBytes(60).toString("base64")}`,
  });
  const provider = "exports.handler = __f0;\n".padEnd(2225, "/* serialized provider */");
  return {
    version: 3,
    deployment: {
      manifest: { time: new Date().toISOString(), magic: "", version: "v3.265.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:bench" } },
      resources: groups.map((g) => {
        const inputs = {
          __provider: provider,
          appId: APP,
          groupName: g.groupName,
          phoneName: g.phoneName,
          quantity: g.quantity,
        };
        const accounts = Array.from(
          { length: g.quantity },
          (_, n) => `${g.phoneName}_${String(n + 1).padStart(3, "0")}`,
        );
        return {
          urn: `urn:pulumi:prod::fleet::pulumi:pulumi:Stack$${GROUP_TYPE}::${g.phoneName}`,
          custom: true,
          id: `${APP}/${g.groupName}`,
          type: GROUP_TYPE,
          inputs,
          outputs: { ...inputs, accounts, passwords: secret() },
          additionalSecretOutputs: ["passwords"],
          retainOnDelete: true,
        };
      }),
    },
  };
}

interface Run {
  code: number | null;
  ms: number;
  peakBytes: number;
  calls: number;
}

async function sipQueryCalls(url: string): Promise<number> {
  const { counters } = (await (await fetch(`${url}/_emulator/requests`)).json()) as {
    counters: Record<string, number>;
  };
  return counters["sipQuery"] ?? 0;
}

async function runCli(url: string, baseUrl: string, args: string[]): Promise<Run> {
  const before = await sipQueryCalls(url);
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--require", PRELOAD, CLI, ...args], {
      env: {
        PATH: process.env["PATH"],
        ITNIOTECH_API_KEY: DEMO_CREDENTIALS.apiKey,
        ITNIOTECH_API_SECRET: DEMO_CREDENTIALS.apiSecret,
        ITNIOTECH_BASE_URL: baseUrl,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("close", (c) => resolve({ code: c, stderr: err }));
  });
  const ms = performance.now() - started;
  const peak = /peak-rss-bytes: (\d+)/.exec(stderr);
  if (!peak || (code !== 0 && code !== 3))
    throw new Error(`itniotech ${args[0]} failed (${code}):\n${stderr}`);
  return { code, ms, peakBytes: Number(peak[1]), calls: (await sipQueryCalls(url)) - before };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "itniotech-bench-fleet-"));
  const groups = fleet();
  const phones = groups.reduce((n, g) => n + g.quantity, 0);
  const dataFile = path.join(dir, "platform.json");
  writeFileSync(dataFile, JSON.stringify(platformSnapshot(groups)));
  const state = path.join(dir, "stack.json");
  writeFileSync(state, JSON.stringify(stackState(groups)));
  const emulator = await spawnEmulator(["--data", dataFile, "--max-phones", "10000000"]);
  try {
    await fetch(`${emulator.url}/_emulator/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "latency", ms: LATENCY_MS }),
    });
    const commands: Array<[string, string[]]> = [
      ["export (yaml)", ["export", "--app", APP, "--out", path.join(dir, "phone-groups.yaml")]],
      ["export (ts)", ["export", "--app", APP, "--format", "ts", "--out", path.join(dir, "index.ts")]],
      ["inventory, no state", ["inventory", "--app", APP, "--json"]],
      ["inventory --state", ["inventory", "--app", APP, "--state", state, "--json"]],
    ];
    const pages = Math.ceil(phones / 100);
    const rows: string[] = [];
    for (const [label, args] of commands) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runCli(emulator.url, emulator.baseUrl, args));
      const calls = [...new Set(runs.map((r) => r.calls))].join("/");
      const wall = median(runs.map((r) => r.ms)) / 1000;
      const peak = Math.max(...runs.map((r) => r.peakBytes)) / 1024 / 1024;
      rows.push(
        `| ${label.padEnd(19)} | ${String(runs[0]?.code).padStart(4)} | ${calls.padStart(8)} | ${String(pages).padStart(8)} | ` +
          `${wall.toFixed(2).padStart(6)} | ${peak.toFixed(0).padStart(7)} |`,
      );
    }
    console.log(
      [
        `itniotech export / inventory: ${GROUPS.toLocaleString("en-US")} groups, ${phones.toLocaleString("en-US")} phones ` +
          `in one application; emulator in its own process with ${LATENCY_MS} ms latency per call;`,
        `each command the built bin in its own process; wall = median of ${RUNS} runs, spawn to exit; peak = highest maxRSS`,
        "",
        "| command             | exit | sipQuery | ⌈P/100⌉ | wall s | peak MB |",
        "| ------------------- | ---: | -------: | -------: | -----: | ------: |",
        ...rows,
        "",
        "targets: sipQuery = ⌈P/100⌉ (one scan), wall < 10 s, peak < 200 MB",
      ].join("\n"),
    );
  } finally {
    emulator.child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
