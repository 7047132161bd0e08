// What the fault matrix judges a run by; the stack it drives is `GroupStack` (./engine.ts).
import type { Emulator } from "../../emulator";
import { reveal } from "../../provider/secrets";
import type { GroupStack } from "./engine";
import type { Props } from "./values";

/** What the invariants count, from the emulator's own state. */
export interface Verdict {
  lostPasswords: number;
  duplicates: number;
  orphans: number;
  converged: boolean;
}

export function verdict(stack: GroupStack, emulator: Emulator): Verdict {
  const { appId, groupName, phoneName } = stack.desired as {
    appId: string;
    groupName: string;
    phoneName: string;
  };
  const groups = emulator.groups(appId).filter((g) => g.groupName === groupName || g.phoneName === phoneName);
  const live = emulator.phones(appId).filter((p) => p.groupName === groupName);
  const known = stack.passwords();
  let lost = 0;
  for (const phone of live) if (known[phone.account] !== phone.password) lost++;
  const outs = reveal(stack.state?.outs ?? {}) as Props;
  const desiredTriggers = JSON.stringify(stack.desired["resetTriggers"] ?? []);
  return {
    lostPasswords: lost,
    duplicates: Math.max(0, groups.length - 1),
    orphans: stack.state === undefined && groups.length > 0 ? groups.length : 0,
    converged:
      stack.state !== undefined &&
      !stack.state.initError &&
      live.length === stack.desired["quantity"] &&
      JSON.stringify(outs["resetTriggers"] ?? []) === desiredTriggers,
  };
}

/**
 * From a slice of the emulator's log: the most requests one logical call made
 * (sipAdd by group, sipReset by account), and how many groups got a second sipAdd
 * that was not the resync after a definite -16 (a blind resend).
 */
export function attemptsPerCall(log: ReturnType<Emulator["requests"]>): {
  most: number;
  blindAddResends: number;
} {
  const counts = new Map<string, number>();
  const adds = new Map<string, number>();
  let most = 0;
  for (const entry of log) {
    if (entry.endpoint === "sipQuery" || entry.subject === undefined) continue;
    const key = `${entry.endpoint}:${entry.subject}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    most = Math.max(most, n);
    if (entry.endpoint === "sipAdd" && entry.status !== "-16")
      adds.set(entry.subject, (adds.get(entry.subject) ?? 0) + 1);
  }
  return { most, blindAddResends: [...adds.values()].filter((n) => n > 1).length };
}
