import type { ParseArgsConfig } from "node:util";

/** Exit codes of every `itniotech` command. */
export const EXIT = {
  ok: 0,
  /** The API failed, or the configuration or an input file is unusable (the message names what to fix). */
  failed: 1,
  /** The command line is wrong. */
  usage: 2,
  /** `inventory`: the platform and the given states differ (a CI gate). */
  differences: 3,
} as const;

/** What a command may touch: its process's streams and environment (tests pass their own). */
export interface Io {
  stdout: Output;
  stderr: Output;
  /** Read by `--state -`. */
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Relative paths are resolved against this folder. */
  cwd: string;
}

export interface Output {
  write(text: string): unknown;
  /** A terminal: progress is drawn only there. */
  isTTY?: boolean | undefined;
}

/** A wrong command line: exit 2 with the message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An unusable configuration or input file: exit 1 with the message (which names what to set or fix). */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

/**
 * One `itniotech` command. Adding a command is a new file exporting one of these and
 * a line in the table in main.ts: parsing, `--help`, errors and exit codes are the
 * dispatcher's.
 */
export interface Command {
  name: string;
  /** One line for `itniotech --help`. */
  summary: string;
  /** The whole `itniotech <name> --help` text. */
  usage: string;
  /** node:util parseArgs options; `--help` is added to every command. */
  options: Options;
  /** Resolves the exit code; throws UsageError (2), CommandError or any API error (1). */
  run(values: Values, io: Io): Promise<number>;
}

/** The one option every command that reads the platform takes. */
export const APP_OPTION = { app: { type: "string" } } as const satisfies Options;

/** A string option that must be given. */
export function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

/** A string option given at most once (undefined when absent). */
export function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A string option that may be repeated. */
export function repeated(values: Values, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

/** `1,234`: counts in messages, the same on every machine. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `3 groups`, `1 group`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
