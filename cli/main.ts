import { parseArgs } from "node:util";
import { VoiceApiError } from "../provider/client";
import { CommandError, EXIT, UsageError, type Command, type Io } from "./command";
import { exportCommand } from "./export";
import { inventoryCommand } from "./inventory";
import { passwordsCommand } from "./passwords";
import { terminalSafe } from "./printable";

/** Every command, in the order `itniotech --help` lists them. */
export const COMMANDS: readonly Command[] = [exportCommand, inventoryCommand, passwordsCommand];

const USAGE = `Usage: itniotech <command> [options]

Brings an Itniotech Voice application's existing SIP phone groups under Pulumi.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run \`itniotech <command> --help\` for a command's options.

Credentials come from the environment, with the provider's names:
  ITNIOTECH_API_KEY      the API key
  ITNIOTECH_API_SECRET   its secret
  ITNIOTECH_BASE_URL     the API (default https://api.itniotech.com/voice)
Exit codes: 0 success; 1 API or configuration error; 2 usage error (passwords:
also standard output is a terminal without --show); 3 differences found (inventory).`;

/**
 * The `itniotech` command line: runs `argv` (without `node` and the script) and
 * resolves its exit code. Never throws and never exits: the bin does that, so tests
 * run it in-process with their own streams.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "-h" || name === "--help" || name === "help") {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (name === undefined) {
    io.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    return usage(
      io,
      "itniotech",
      `unknown command '${name}' (expected ${COMMANDS.map((c) => c.name).join(", ")})`,
    );
  }
  let values;
  try {
    values = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return usage(io, `itniotech ${name}`, (e as Error).message);
  }
  if (values.help) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(values, io);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, `itniotech ${name}`, e.message);
    // API, configuration and input file errors: their messages name what to set or fix, and
    // carry no secret (the client's errors never quote headers, bodies or credentials).
    const known = e instanceof CommandError || e instanceof VoiceApiError;
    // A message may carry the vendor's words or a state file's names: inert before printing.
    io.stderr.write(
      `itniotech ${name}: ${terminalSafe(known ? e.message : `unexpected error: ${String(e)}`)}\n`,
    );
    return EXIT.failed;
  }
}

function usage(io: Io, who: string, message: string): number {
  io.stderr.write(`${who}: ${message} (see \`${who} --help\`)\n`);
  return EXIT.usage;
}
