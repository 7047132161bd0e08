/**
 * `npm run bench:emulator`: signed requests per second the emulator sustains. The
 * emulator runs as its own process (the CLI), driven over keep-alive HTTP on
 * 127.0.0.1 by a fixed number of concurrent loops for a fixed time, once in memory
 * and once with a data file. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { signedHeaders, unixSeconds } from "../protocol/signing";
import { spawnEmulator } from "./cliEmulator";

const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 5);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 32);
const KEY = "demo-key";
const SECRET = "demo-secret-change-me";

function request(agent: http.Agent, baseUrl: string, endpoint: string, body: object): Promise<string> {
  const url = new URL(`${baseUrl}/${endpoint}`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json;charset=UTF-8",
          "Content-Length": Buffer.byteLength(payload),
          ...signedHeaders(KEY, SECRET, unixSeconds()),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve(text));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

interface Figures {
  requests: number;
  elapsed: number;
  p50: string;
  p99: string;
  errors: number;
}

/** One run against a fresh emulator process started with `args`. */
async function measure(args: string[]): Promise<Figures> {
  const { baseUrl, child } = await spawnEmulator(args);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await request(agent, baseUrl, "sipAdd", {
      appId: "bench",
      groupName: "bench-group",
      phoneName: "benchphone",
      quantity: 50,
      displayNum: "8610000000",
    });

    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const loop = async (worker: number) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const started = performance.now();
        const reset = (worker + i) % 2 === 0;
        const text = await request(
          agent,
          baseUrl,
          reset ? "sipReset" : "sipQuery",
          reset
            ? { appId: "bench", account: `benchphone_${String(((worker + i) % 50) + 1).padStart(3, "0")}` }
            : // 50 phones in pages of 20: pages 1-3, the last one short.
              { current: ((worker + i) % 3) + 1, size: 20, params: { appId: "bench" } },
        ).catch(() => "");
        latencies.push(performance.now() - started);
        if (!text.includes('"status":"0"')) errors++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loop(w)));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(2);
    return { requests: latencies.length, elapsed, p50: pct(50), p99: pct(99), errors };
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "itniotech-bench-"));
  try {
    // With a data file every sipReset replies only once its snapshot is on disk:
    // the second row is what durability costs.
    const runs: Array<[string, string[]]> = [
      ["in memory", []],
      ["--data (durable writes)", ["--data", path.join(dir, "data.json")]],
    ];
    console.log(
      `emulator throughput: ${CONCURRENCY} concurrent keep-alive loops for ${SECONDS} s per row, sipQuery pages 1-3 of 20 and sipReset, half each`,
    );
    console.log(
      "| state | requests | requests/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|",
    );
    for (const [name, args] of runs) {
      const f = await measure(args);
      console.log(
        `| ${name} | ${f.requests} | ${(f.requests / f.elapsed).toFixed(0)} | ${f.p50} | ${f.p99} | ${f.errors} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
