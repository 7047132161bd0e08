/**
 * Killing a Pulumi command with everything it started. The CLI starts each plugin
 * (its language host, each provider host) in a process group of its own, so a kill
 * of the CLI, or of its process group, leaves them running, orphaned (measured with
 * pulumi v3.276.0: a provider host outlived a `kill -9` of its CLI's group by over
 * 15 minutes). Used by the real-CLI tests and benchmarks for their timeouts and for
 * the "runner dies mid-rotation" fault.
 */
import { spawnSync } from "node:child_process";

/** `pid` and every process below it, as `ps` lists them now. */
export function processTree(pid: number): number[] {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8", timeout: 5000 });
  const children = new Map<number, number[]>();
  for (const line of (ps.stdout ?? "").split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined || Number.isNaN(child) || Number.isNaN(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/**
 * SIGKILL to `pid`, its process group and every process below it; twice, so that none
 * started in between survives.
 */
export function killProcessTree(pid: number): void {
  const kill = (target: number) => {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // Already gone (or not a group leader).
    }
  };
  for (let pass = 0; pass < 2; pass++) {
    const tree = processTree(pid);
    kill(-pid);
    for (const p of tree) kill(p);
  }
}
