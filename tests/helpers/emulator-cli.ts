import { spawn, type ChildProcess } from "node:child_process";

export interface RunningCli {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The `baseUrl: …` line a wrapping process parses, as soon as it is printed. */
  baseUrl: Promise<string>;
  out(): string;
  err(): string;
}

/** Runs the emulator CLI (compiled at `cli`) with `args`, collecting its output. */
export function runCli(cli: string, args: string[]): RunningCli {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no baseUrl line: ${stdout} ${stderr}`)), 10_000);
    const look = () => {
      const match = /^baseUrl: (\S+)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before printing a baseUrl: ${stderr}`));
    });
  });
  baseUrl.catch(() => undefined); // judged only by the tests that wait for it
  return { child, exited, baseUrl, out: () => stdout, err: () => stderr };
}
