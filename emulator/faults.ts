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

/** Bounds on faults; each is documented in docs/RELIABILITY.md. */
export const FAULT_LIMITS = Object.freeze({
  /** Faults armed at once: a runaway script gets a 400, not an ever slower emulator. */
  maxFaults: 1_000,
  /** The longest delay a Node.js timer takes; above it Node waits 1 ms instead. */
  maxLatencyMs: 2_147_483_647,
  /** Characters of `status` (logged), `reason` and `location` (answered). */
  maxStatusChars: 32,
  maxReasonChars: 256,
  maxLocationChars: 2_048,
});

/** The fields each kind takes besides `kind`, `endpoint`, `times` and `probability`. */
const KIND_FIELDS: Readonly<Record<Fault["kind"], readonly string[]>> = {
  status: ["status", "reason", "commit"],
  http: ["httpStatus", "commit"],
  truncated: ["commit"],
  nonJson: ["commit"],
  latency: ["ms", "phase"],
  drop: [],
  commitThenDrop: [],
  redirect: ["location"],
};
const COMMON_FIELDS = ["kind", "endpoint", "times", "probability"];
/** Every field some fault takes: another kind's field is dropped (callers build one object for several kinds), any other refused. */
const ALL_FIELDS = new Set([...COMMON_FIELDS, ...Object.values(KIND_FIELDS).flat()]);

/**
 * Checks a fault and returns a clean copy of it: only the fields its kind
 * takes, each a bounded primitive, so whatever is armed can always be listed.
 * A field no fault takes (a typo such as `time`) is refused; another kind's
 * field is dropped.
 * Throws a readable error for a fault that cannot be applied.
 */
export function validateFault(fault: unknown): Fault {
  const problem = (text: string): never => {
    throw new Error(`invalid fault: ${text}`);
  };
  if (typeof fault !== "object" || fault === null || Array.isArray(fault))
    return problem("must be an object");
  const f = fault as Record<string, unknown>;
  const kind = f["kind"] as Fault["kind"];
  if (!FAULT_KINDS.includes(kind)) problem(`kind must be one of ${FAULT_KINDS.join(", ")}`);
  const known = [...COMMON_FIELDS, ...KIND_FIELDS[kind]];
  const unknown = Object.keys(f).find((key) => !ALL_FIELDS.has(key));
  if (unknown !== undefined)
    problem(
      `${kind} faults take ${known.join(", ")}; no fault takes ${JSON.stringify(unknown.slice(0, 40))}`,
    );
  const text = (name: string, max: number) => {
    const value = f[name];
    if (value !== undefined && !(typeof value === "string" && value.length <= max))
      problem(`${name} must be a string of at most ${max} characters`);
  };
  if (f["endpoint"] !== undefined && !["sipAdd", "sipQuery", "sipReset"].includes(f["endpoint"] as string))
    problem("endpoint must be sipAdd, sipQuery or sipReset");
  if (f["times"] !== undefined && !(Number.isSafeInteger(f["times"]) && (f["times"] as number) > 0))
    problem("times must be a positive whole number");
  const probability = f["probability"];
  if (probability !== undefined && !(typeof probability === "number" && probability >= 0 && probability <= 1))
    problem("probability must be between 0 and 1");
  if (kind === "status" && typeof f["status"] !== "string")
    problem('status faults need a status string such as "-18"');
  text("status", FAULT_LIMITS.maxStatusChars);
  text("reason", FAULT_LIMITS.maxReasonChars);
  text("location", FAULT_LIMITS.maxLocationChars);
  const httpStatus = f["httpStatus"];
  if (
    kind === "http" &&
    !(Number.isInteger(httpStatus) && (httpStatus as number) >= 300 && (httpStatus as number) <= 599)
  )
    problem("http faults need an httpStatus from 300 to 599");
  const ms = f["ms"];
  if (kind === "latency" && !(typeof ms === "number" && ms >= 0 && ms <= FAULT_LIMITS.maxLatencyMs))
    problem(
      `latency faults need ms >= 0 and <= ${FAULT_LIMITS.maxLatencyMs} (the longest a Node.js timer waits)`,
    );
  if (f["phase"] !== undefined && !["before", "after"].includes(f["phase"] as string))
    problem('latency phase must be "before" or "after"');
  if (f["commit"] !== undefined && typeof f["commit"] !== "boolean") problem("commit must be true or false");
  const clean: Record<string, unknown> = {};
  for (const key of known) if (f[key] !== undefined) clean[key] = f[key];
  return clean as Fault;
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
    this.arm(this.prepare([fault]));
  }

  /**
   * Checks a list of faults as one: every fault valid and room for all of them,
   * or an error and nothing armed. Returns the clean copies for `arm`.
   */
  prepare(list: unknown[]): Fault[] {
    const clean = list.map(validateFault);
    if (this.#faults.length + clean.length > FAULT_LIMITS.maxFaults)
      throw new Error(
        `invalid fault: at most ${FAULT_LIMITS.maxFaults} faults can be armed at once (${this.#faults.length} are)`,
      );
    return clean;
  }

  /** Arms faults `prepare` returned. */
  arm(prepared: Fault[]): void {
    this.#faults.push(...prepared);
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
