import type http from "node:http";
import { isLoopback, normaliseAddress } from "./auth";
import { validateFault, type Fault, type FaultBook } from "./faults";
import { errorMessage, send } from "./replies";
import type { RequestLog } from "./requestLog";
import type { PhoneStore } from "./store";

/** What the operator endpoints reach; the server owns each part. */
export interface OperatorContext {
  store: PhoneStore;
  faults: FaultBook;
  log: RequestLog;
  /** Wipes phones, faults, counters and the log, and saves the empty state. */
  reset(): Promise<void>;
}

export const OPERATOR_PREFIX = "/_emulator/";

/**
 * `/_emulator/…`: the operator's view and controls, without a signature, so only
 * for callers on this machine.
 */
export async function handleOperator(
  context: OperatorContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: string,
): Promise<void> {
  const json = (status: number, value: unknown) => send(res, status, JSON.stringify(value));
  if (!isLoopback(normaliseAddress(req.socket.remoteAddress)))
    return json(403, { error: "operator endpoints answer loopback callers only" });

  const { store, faults, log } = context;
  const path = url.pathname.slice(OPERATOR_PREFIX.length);
  const method = req.method ?? "GET";
  if (path === "health" && method === "GET")
    return json(200, { status: "ok", phones: store.phones().length });
  if (path === "reset" && method === "POST") {
    try {
      await context.reset();
    } catch (e) {
      return json(500, {
        error: `reset in memory, but the data file could not be written: ${errorMessage(e)}`,
      });
    }
    return json(200, { status: "ok" });
  }
  if (path === "requests" && method === "GET")
    return json(200, { counters: log.counters(), requests: log.lines() });
  if (path === "phones" && method === "GET")
    return json(200, { phones: store.phones(url.searchParams.get("appId") ?? undefined) });
  if (path === "faults" && method === "GET") return json(200, { faults: faults.list() });
  if (path === "faults" && method === "DELETE") {
    faults.clear();
    return json(200, { status: "ok" });
  }
  if (path === "faults" && method === "POST") {
    try {
      const parsed = JSON.parse(body) as unknown;
      const list = Array.isArray(parsed) ? parsed : [parsed];
      // All or nothing: a list with one bad fault must not leave the good ones half-applied.
      for (const fault of list) validateFault(fault);
      for (const fault of list) faults.add(fault as Fault);
      return json(200, { status: "ok", faults: faults.list() });
    } catch (e) {
      return json(400, { error: errorMessage(e) });
    }
  }
  return json(404, { error: `no operator endpoint ${method} /_emulator/${path}` });
}
