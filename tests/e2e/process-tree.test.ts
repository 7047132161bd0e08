/**
 * scripts/processTree.ts: a process and everything it started die together, also a
 * grandchild in a process group of its own (as the Pulumi CLI starts its plugins).
 */
import { spawn } from "node:child_process";
import { killProcessTree, processTree } from "../../scripts/processTree";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("kills a process, its child and a grandchild that left the process group", async () => {
  // parent → child (same group) → grandchild (detached: a group of its own); each prints its pid.
  const grandchild = `require("node:child_process").spawn(process.execPath, ["-e", "console.log(process.pid); setInterval(() => {}, 1000)"], { detached: true, stdio: ["ignore", "inherit", "ignore"] }); setInterval(() => {}, 1000)`;
  const parent = spawn(
    process.execPath,
    [
      "-e",
      `require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(grandchild)}], { stdio: ["ignore", "inherit", "ignore"] }); setInterval(() => {}, 1000)`,
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const grandchildPid = await new Promise<number>((resolve) =>
    parent.stdout!.setEncoding("utf8").once("data", (d: string) => resolve(Number(d.trim()))),
  );
  const tree = processTree(parent.pid!);
  expect(tree).toHaveLength(3);
  expect(tree[0]).toBe(parent.pid);
  expect(tree).toContain(grandchildPid);

  killProcessTree(parent.pid!);
  await new Promise((resolve) => parent.once("exit", resolve));
  for (let i = 0; i < 50 && tree.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(tree.filter(alive)).toEqual([]);
});
