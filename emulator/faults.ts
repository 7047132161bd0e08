import type http from "node:http";
import type { Endpoint } from "../protocol/types";
import { reply, send, type Reply } from "./replies";
import { NO_STATUS } from "./requestLog";

/**
 * What a fault does to one request. "Committed" means the request's change (a
 * created group, a reset password) is applied before the reply is spoiled, which
 * is what makes a failure ambiguous for the client.
 */
export type FaultAction =
  /**
   * Answer this vendor status (e.g. "-18") with HTTP 200. `commit`: apply the change
   * first ("-18, but it took effect"; default false: no effect).
   */
  | { kind: "status"; status: string; reason?: string; commit?: boolean }
  /** Answer an HTTP error (e.g. 500, 502, 503). `commit`: apply the change first (default false). */
  | { kind: "http"; httpStatus: number; commit?: boolean }
  /** Cut the JSON body in half. `commit` defaults to true: the server did the work. */
  | { kind: "truncated"; commit?: boolean }
  /** Answer an HTML page with HTTP 200. `commit` defaults to true. */
  | { kind: "nonJson"; commit?: boolean }
  /**
   * Delay by `ms`. `before` (default) the request is processed — if the client has
   * gone by then, nothing is applied; `after` the change is applied, before replying.
   */
  | { kind: "latency"; ms: number; phase?: "before" | "after" }
  /** Destroy the connection without applying anything. */
  | { kind: "drop" }
  /** Apply the change, then destroy the connection: the lost-response case. */
  | { kind: "commitThenDrop" }
  /** Answer 302 with a Location (default: another origin), without any effect. */
  | { kind: "redirect"; location?: string };

/** When a fault applies. Without `times` or `probability` it applies to every call until cleared. */
export type Fault = FaultAction & {
  /** The endpoint it applies to; all three when absent. */
  endpoint?: Endpoint;
  /** Apply to the next N matching calls only. */
  times?: number;
  /** Apply to each matching call with this probability, drawn from the seeded RNG. */
  probability?: number;
};

export const FAULT_KINDS = [
  "status",
  "http",
  "truncated",
  "nonJson",
  "latency",
  "drop",
  "commitThenDrop",
  "redirect",
] as const;

/** Throws a readable error for a fault that cannot be applied. */
export function validateFault(fault: unknown): Fault {
  const f = fault as Partial<Fault> | null;
  const problem = (text: string): never => {
    throw new Error(`invalid fault: ${text}`);
  };
  if (typeof f !== "object" || f === null) problem("must be an object");
  const kind = f?.kind;
  if (!FAULT_KINDS.includes(kind as never)) problem(`kind must be one of ${FAULT_KINDS.join(", ")}`);
  if (f?.endpoint !== undefined && !["sipAdd", "sipQuery", "sipReset"].includes(f.endpoint))
    problem("endpoint must be sipAdd, sipQuery or sipReset");
  if (f?.times !== undefined && !(Number.isInteger(f.times) && f.times > 0))
    problem("times must be a positive whole number");
  if (
    f?.probability !== undefined &&
    !(typeof f.probability === "number" && f.probability >= 0 && f.probability <= 1)
  ) {
    problem("probability must be between 0 and 1");
  }
  const action = f as FaultAction;
  if (action.kind === "status" && typeof action.status !== "string")
    problem('status faults need a status string such as "-18"');
  if (
    action.kind === "http" &&
    !(Number.isInteger(action.httpStatus) && action.httpStatus >= 300 && action.httpStatus <= 599)
  ) {
    problem("http faults need an httpStatus from 300 to 599");
  }
  if (action.kind === "latency" && !(typeof action.ms === "number" && action.ms >= 0))
    problem("latency faults need ms >= 0");
  if (action.kind === "latency" && action.phase !== undefined && !["before", "after"].includes(action.phase))
    problem('latency phase must be "before" or "after"');
  if (action.kind === "redirect" && action.location !== undefined && typeof action.location !== "string")
    problem("redirect location must be a string");
  if ("commit" in action && action.commit !== undefined && typeof action.commit !== "boolean")
    problem("commit must be true or false");
  return f as Fault;
}

/** mulberry32: a small seeded PRNG, so a fault run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The active faults; the first that matches a call is applied (latency adds up with one other). */
export class FaultBook {
  #faults: Fault[] = [];
  #random: () => number;

  constructor(seed = 1) {
    this.#random = seededRandom(seed);
  }

  add(fault: Fault): void {
    this.#faults.push({ ...validateFault(fault) });
  }

  clear(seed?: number): void {
    this.#faults = [];
    if (seed !== undefined) this.#random = seededRandom(seed);
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** The faults for one call: at most one latency and at most one other action. */
  take(endpoint: Endpoint): { latency?: Extract<FaultAction, { kind: "latency" }>; action?: FaultAction } {
    const out: { latency?: Extract<FaultAction, { kind: "latency" }>; action?: FaultAction } = {};
    for (const fault of [...this.#faults]) {
      if (fault.endpoint !== undefined && fault.endpoint !== endpoint) continue;
      const isLatency = fault.kind === "latency";
      if (isLatency ? out.latency : out.action) continue;
      if (fault.probability !== undefined && this.#random() >= fault.probability) continue;
      if (fault.times !== undefined) {
        fault.times--;
        if (fault.times <= 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
      }
      if (fault.kind === "latency") out.latency = fault;
      else out.action = fault;
    }
    return out;
  }
}

/** Whether a fault lets the request take effect before spoiling the reply. */
export function commits(action: FaultAction): boolean {
  switch (action.kind) {
    case "commitThenDrop":
      return true;
    case "truncated":
    case "nonJson":
      return action.commit ?? true;
    case "http":
    case "status":
      return action.commit ?? false;
    default:
      return false;
  }
}

/**
 * Answers a request the way the fault says, in place of `done` (the reply the
 * request earned, when it was processed), and reports what went out.
 */
export function spoil(
  action: FaultAction,
  res: http.ServerResponse,
  done: Reply | undefined,
  finish: (status: string, httpStatus: number) => void,
): void {
  const text = JSON.stringify(done ?? reply.ok(null));
  switch (action.kind) {
    case "status":
      send(res, 200, JSON.stringify(reply.fail(action.status, action.reason ?? "injected fault")));
      return finish(action.status, 200);
    case "http":
      send(res, action.httpStatus, `<html><body>${action.httpStatus} injected</body></html>`, "text/html");
      return finish(NO_STATUS, action.httpStatus);
    case "truncated":
      send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return finish(NO_STATUS, 200);
    case "nonJson":
      send(res, 200, "<html><body>Service temporarily unavailable</body></html>", "text/html");
      return finish(NO_STATUS, 200);
    case "redirect":
      res.writeHead(302, { Location: action.location ?? "http://127.0.0.2:9/voice", "Content-Length": 0 });
      res.end();
      return finish(NO_STATUS, 302);
    case "drop":
    case "commitThenDrop":
      res.socket?.destroy();
      return finish(NO_STATUS, 0);
    case "latency":
      return;
  }
}
