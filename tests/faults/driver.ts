import type { Emulator } from "../../emulator";
import { sipPhoneGroupProvider as provider } from "../../provider";
import { diffGroup } from "../../provider/diff";
import { directory } from "../../provider/directory";
import { PartialFailure } from "../../provider/partial";
import { reveal } from "../../provider/secrets";

type Props = Record<string, unknown>;

/** The engine's view of one SipPhoneGroup, driven in-process the way `pulumi up` drives it. */
export class GroupStack {
  state: { id: string; outs: Props; initError: boolean } | undefined;
  readonly errors: unknown[] = [];
  /**
   * The platform's passwords when the faulty run began, for a rotation or a destroy:
   * each must be gone from the platform by the end.
   */
  replaced: Record<string, string> | undefined;

  constructor(readonly desired: Props) {}

  /** One `pulumi up`: create, or update when the diff or an earlier init error asks for it. */
  async up(news: Props = this.desired): Promise<boolean> {
    try {
      if (!this.state) {
        const { id, outs } = await provider.create(news);
        this.state = { id, outs: outs as Props, initError: false };
        return true;
      }
      const olds = reveal(this.state.outs) as Props;
      if (!this.state.initError && !diffGroup(olds, news).changes) return true;
      const { outs } = await provider.update(this.state.id, olds, news);
      this.state = { id: this.state.id, outs: outs as Props, initError: false };
      return true;
    } catch (e) {
      this.errors.push(e);
      if (e instanceof PartialFailure) this.state = { id: e.id, outs: e.properties, initError: true };
      return false;
    }
  }

  /** One `pulumi refresh`, in a new provider process (no shared snapshot). */
  async refresh(): Promise<boolean> {
    if (!this.state) return true;
    directory.clear();
    try {
      const result = await provider.read(this.state.id, reveal(this.state.outs) as Props);
      if (!result.id) this.state = undefined;
      else this.state = { ...this.state, outs: result.props as Props };
      return true;
    } catch (e) {
      this.errors.push(e);
      return false;
    }
  }

  /** One `pulumi destroy`: a failed delete keeps the resource in the stack, as the engine does. */
  async destroy(): Promise<boolean> {
    if (!this.state) return true;
    try {
      await provider.delete(this.state.id, reveal(this.state.outs) as Props);
      this.state = undefined;
      return true;
    } catch (e) {
      this.errors.push(e);
      return false;
    }
  }

  passwords(): Record<string, string> {
    return (reveal(this.state?.outs["passwords"]) ?? {}) as Record<string, string>;
  }
}

/** What the invariants count, from the emulator's own state. */
export interface Verdict {
  lostPasswords: number;
  duplicates: number;
  orphans: number;
  /** Phones that still have a password from before the rotation or destroy. */
  unrevoked: number;
  converged: boolean;
}

/**
 * Converged means: the stack wants the group and holds it, with no init error, the
 * quantity asked for and every account's password as the platform has it; after a
 * rotation, no account keeps a password from before it (triggers that match prove
 * nothing: a partial rotation that stored the new ones would stop there). After a
 * destroy: the stack no longer holds the group, and no account keeps an old password.
 */
export function verdict(stack: GroupStack, emulator: Emulator, destroyed = false): Verdict {
  const { appId, groupName, phoneName } = stack.desired as {
    appId: string;
    groupName: string;
    phoneName: string;
  };
  const groups = emulator.groups(appId).filter((g) => g.groupName === groupName || g.phoneName === phoneName);
  const live = emulator.phones(appId).filter((p) => p.groupName === groupName);
  const known = stack.passwords();
  const lost = destroyed ? 0 : live.filter((phone) => known[phone.account] !== phone.password).length;
  const unrevoked = live.filter((phone) => stack.replaced?.[phone.account] === phone.password).length;
  const outs = reveal(stack.state?.outs ?? {}) as Props;
  const desiredTriggers = JSON.stringify(stack.desired["resetTriggers"] ?? []);
  const held =
    stack.state !== undefined &&
    !stack.state.initError &&
    live.length === stack.desired["quantity"] &&
    lost === 0 &&
    JSON.stringify(outs["resetTriggers"] ?? []) === desiredTriggers;
  return {
    lostPasswords: lost,
    duplicates: Math.max(0, groups.length - 1),
    orphans: !destroyed && stack.state === undefined && groups.length > 0 ? groups.length : 0,
    unrevoked,
    converged: (destroyed ? stack.state === undefined : held) && unrevoked === 0,
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
