/**
 * A Pulumi plugin process as the engine runs one (pkg/resource/plugin/plugin.go
 * `newPlugin`): started with the engine's address among its arguments, it prints the
 * port of its gRPC server as the first line of stdout; everything after that, and
 * stderr, is the plugin's own output. Shared by the provider-host client
 * (./host.ts) and the analyzer client (./analyzer.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

export interface PluginOptions {
  /** The plugin's working directory. */
  cwd: string;
  /** Its whole environment. */
  env: NodeJS.ProcessEnv;
  /** What to call it in errors. */
  label: string;
  /** @default 20000 */
  startTimeoutMs?: number;
}

export interface PluginProcess {
  readonly port: number;
  readonly pid: number;
  /** Every byte the plugin printed so far, stdout and stderr, in arrival order. */
  output(): string;
  /** Resolves with the output once `pattern` appears in it (prints arrive apart from answers). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kills the plugin and waits for it to exit. Safe to call twice. */
  kill(): Promise<void>;
}

/** Starts `node <script> ...args` and resolves once it printed its port; kills it on any failure to start. */
export async function spawnPlugin(
  script: string,
  args: string[],
  options: PluginOptions,
): Promise<PluginProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  let stdout = "";
  const watchers = new Set<() => void>();
  const append = (text: string) => {
    output += text;
    for (const watcher of watchers) watcher();
  };
  child.stderr?.on("data", (d: Buffer) => append(d.toString()));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`the ${options.label} printed no port within ${startTimeoutMs} ms: ${output}`)),
        startTimeoutMs,
      );
      child.stdout?.on("data", (d: Buffer) => {
        append(d.toString());
        if (stdout.includes("\n")) return;
        stdout += d.toString();
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        clearTimeout(timer);
        // The engine takes the whole first line as the port; the rest is the plugin's own output.
        const first = stdout.slice(0, newline).trim();
        if (/^\d+$/.test(first)) resolve(Number(first));
        else reject(new Error(`the ${options.label}'s first line is not a port: ${JSON.stringify(first)}`));
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the ${options.label} exited (${code}) before printing its port: ${output}`));
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }

  return {
    port,
    pid: child.pid as number,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return false;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(output);
          return true;
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(
            new Error(
              `the ${options.label} did not print ${pattern} within ${timeoutMs} ms; it printed: ${output}`,
            ),
          );
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * One unary gRPC call with a deadline, so a plugin that never answers fails the call
 * with DEADLINE_EXCEEDED instead of hanging the test. Rejects with the ServiceError.
 */
export function unaryCall<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generated stubs are untyped JS
  client: any,
  method: string,
  request: unknown,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)),
    );
  });
}
