import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * The emulator in its own process, through its CLI, as the real API would be:
 * sharing the benchmark's event loop would charge the client for the server's work.
 */
export async function spawnEmulator(
  args: string[] = [],
): Promise<{ url: string; baseUrl: string; child: ChildProcess }> {
  const cli = path.resolve(__dirname, "../emulator/cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /^baseUrl: (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { url: baseUrl.replace(/\/voice$/, ""), baseUrl, child };
}
