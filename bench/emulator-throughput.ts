/**
 * `npm run bench:emulator`: signed requests per second the emulator sustains. The
 * emulator runs as its own process (the CLI), driven over keep-alive HTTP on
 * 127.0.0.1 by a fixed number of concurrent loops for a fixed time. Prints figures;
 * asserts nothing.
 */
import http from "node:http";
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

async function main(): Promise<void> {
  const { baseUrl, child } = await spawnEmulator();
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
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
    console.log(
      `emulator throughput: ${latencies.length} signed requests in ${elapsed.toFixed(2)} s, ${CONCURRENCY} concurrent (sipQuery pages 1-3 of 20 and sipReset, half each)`,
    );
    console.log(
      `| requests/s | p50 ms | p99 ms | errors |\n|---:|---:|---:|---:|\n| ${(latencies.length / elapsed).toFixed(0)} | ${pct(50)} | ${pct(99)} | ${errors} |`,
    );
    agent.destroy();
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
