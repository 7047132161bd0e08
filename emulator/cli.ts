#!/usr/bin/env node
/**
 * `itniotech-emulator`: runs the local Itniotech Voice API emulator until SIGINT or
 * SIGTERM. Prints a `baseUrl: …` line that wrappers can parse.
 */
import { parseArgs } from "node:util";
import { DEMO_CREDENTIALS, type Credential } from "./auth";
import { parseCredentialFlag } from "./options";
import { startEmulator, type Emulator } from "./server";

const USAGE = `Usage: itniotech-emulator [options]

  --port <n>         TCP port (default 8787; 0 picks a free one)
  --host <address>   interface to listen on (default 127.0.0.1)
  --data <file>      keep state in this JSON file (default: in memory)
  --api-key <key>    accept this API key instead of the demo one
  --api-secret <s>   ...with this secret (both or neither)
  --credential <key>:<secret>[:<appId>,…]
                     accept this pair too (repeatable): another account; with
                     application ids it owns them, and other keys cannot see them
  --max-phones <n>   phones per application before sipAdd answers -23 (default 10000)
  --rate-limit <n>   API requests per second before HTTP 429 + Retry-After (default: none)
  -h, --help         show this help`;

/** One line on stderr and exit 2: a usage error is the caller's to fix, so no stack trace. */
function fail(message: string, hint = " (see --help)"): never {
  process.stderr.write(`itniotech-emulator: ${message}${hint}\n`);
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
        credential: { type: "string", multiple: true },
        "max-phones": { type: "string" },
        "rate-limit": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Enough to tell two secrets apart at a glance; a short secret shows nothing of itself. */
function mask(secret: string): string {
  return secret.length < 8 ? "********" : `${secret.slice(0, 2)}${"*".repeat(secret.length - 2)}`;
}

function whole(name: string, value: string, min: number, max: number): number {
  // Digits only: Number() would also take "", " 12", "1e3" and "0x10".
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * Stops on SIGINT/SIGTERM: close() drops connections and flushes the data file,
 * then exit 0. The handlers are installed before anything is printed: a wrapper
 * may signal as soon as it has read the baseUrl line, and a signal that arrives
 * before a handler exists kills the process with the default action instead.
 * A second signal while closing exits at once (the file is still whole: every
 * write is atomic).
 */
function onSignals(dataFile: string | undefined): { started(emulator: Emulator): void } {
  let emulator: Emulator | undefined;
  let signalled: string | undefined;
  const close = (running: Emulator, signal: string) => {
    process.stdout.write(`${signal}: stopping${dataFile === undefined ? "" : `; flushing ${dataFile}`}\n`);
    running.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`itniotech-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string) => {
    if (signalled !== undefined) {
      process.stderr.write(`itniotech-emulator: ${signal} again; exiting without waiting\n`);
      process.exit(1);
    }
    signalled = signal;
    // Before the server is up there is nothing to flush.
    if (emulator) close(emulator, signal);
    else process.exit(0);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return {
    started(running) {
      emulator = running;
    },
  };
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
  const extra: Credential[] = [];
  for (const text of args.credential ?? []) {
    try {
      extra.push(parseCredentialFlag(text));
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const credentials = [
    apiKey !== undefined && apiSecret !== undefined ? { apiKey, apiSecret } : DEMO_CREDENTIALS,
    ...extra,
  ];
  const port = whole("port", args.port, 0, 65535);
  const maxPhones =
    args["max-phones"] === undefined ? undefined : whole("max-phones", args["max-phones"], 1, 10_000_000);
  const rateLimit =
    args["rate-limit"] === undefined ? undefined : whole("rate-limit", args["rate-limit"], 1, 1_000_000);
  const signals = onSignals(args.data);
  const emulator = await startEmulator({
    port,
    host: args.host,
    credentials,
    ...(args.data === undefined ? {} : { dataFile: args.data }),
    ...(maxPhones === undefined ? {} : { maxPhonesPerApp: maxPhones }),
    ...(rateLimit === undefined ? {} : { rateLimitPerSecond: rateLimit }),
  }).catch((e: unknown) => fail(`cannot start: ${e instanceof Error ? e.message : String(e)}`, ""));
  signals.started(emulator);

  const shown = apiSecret === undefined ? DEMO_CREDENTIALS.apiSecret : mask(apiSecret);
  process.stdout.write(
    [
      `Itniotech Voice API emulator listening on ${emulator.url}`,
      `baseUrl: ${emulator.baseUrl}`,
      `apiKey: ${credentials[0]?.apiKey}`,
      `apiSecret: ${shown}${apiSecret === undefined ? " (the documented demo secret)" : ""}`,
      ...extra.map(
        (c) =>
          `credential: ${c.apiKey} / ${mask(c.apiSecret)}` +
          (c.appIds === undefined ? "" : ` (owns ${c.appIds.join(", ")})`),
      ),
      `data: ${args.data ?? "in memory"}`,
      ...(rateLimit === undefined ? [] : [`rate limit: ${rateLimit} requests per second`]),
      `operator endpoints: ${emulator.url}/_emulator/health, /summary, /requests, /faults, /reset (loopback only)`,
      "",
    ].join("\n"),
  );
}

void main();
