#!/usr/bin/env node
/**
 * `itniotech-emulator`: runs the local Itniotech Voice API emulator until SIGINT or
 * SIGTERM. Prints a `baseUrl: …` line that wrappers can parse.
 */
import { parseArgs } from "node:util";
import { DEMO_CREDENTIALS } from "./auth";
import { startEmulator } from "./server";

const USAGE = `Usage: itniotech-emulator [options]

  --port <n>         TCP port (default 8787; 0 picks a free one)
  --host <address>   interface to listen on (default 127.0.0.1)
  --data <file>      keep state in this JSON file (default: in memory)
  --api-key <key>    accept this API key instead of the demo one
  --api-secret <s>   ...with this secret (both or neither)
  --max-phones <n>   phones per application before sipAdd answers -23 (default 10000)
  -h, --help         show this help`;

function fail(message: string): never {
  process.stderr.write(`itniotech-emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        data: { type: "string" },
        "api-key": { type: "string" },
        "api-secret": { type: "string" },
        "max-phones": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

function whole(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const args = parse();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const apiKey = args["api-key"];
  const apiSecret = args["api-secret"];
  if ((apiKey === undefined) !== (apiSecret === undefined)) fail("--api-key and --api-secret go together");
  const credentials =
    apiKey !== undefined && apiSecret !== undefined ? [{ apiKey, apiSecret }] : [DEMO_CREDENTIALS];
  const emulator = await startEmulator({
    port: whole("port", args.port, 0, 65535),
    host: args.host,
    credentials,
    ...(args.data === undefined ? {} : { dataFile: args.data }),
    ...(args["max-phones"] === undefined
      ? {}
      : { maxPhonesPerApp: whole("max-phones", args["max-phones"], 1, 10_000_000) }),
  }).catch((e: unknown) => fail(`cannot start: ${e instanceof Error ? e.message : String(e)}`));

  const shown =
    apiSecret === undefined
      ? DEMO_CREDENTIALS.apiSecret
      : `${apiSecret.slice(0, 2)}${"*".repeat(Math.max(4, apiSecret.length - 2))}`;
  process.stdout.write(
    [
      `Itniotech Voice API emulator listening on ${emulator.url}`,
      `baseUrl: ${emulator.baseUrl}`,
      `apiKey: ${credentials[0]?.apiKey}`,
      `apiSecret: ${shown}${apiSecret === undefined ? " (the documented demo secret)" : ""}`,
      `data: ${args.data ?? "in memory"}`,
      `operator endpoints: ${emulator.url}/_emulator/health, /requests, /faults, /reset (loopback only)`,
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping; flushing the data file\n`);
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`itniotech-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main();
