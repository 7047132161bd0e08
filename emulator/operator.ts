import type http from "node:http";
import { isLoopback, isLoopbackHost, isOwnOrigin, normaliseAddress } from "./auth";
import { BODY_LIMITS, parseBody, type ReadBody } from "./body";
import type { FaultBook } from "./faults";
import { errorMessage, send } from "./replies";
import { truncate, type RequestLog } from "./requestLog";
import type { PhoneStore } from "./store";

/** What the operator endpoints reach; the server owns each part. */
export interface OperatorContext {
  store: PhoneStore;
  faults: FaultBook;
  log: RequestLog;
  /** Wipes phones, faults, counters and the log, and saves the empty state. */
  reset(): Promise<void>;
  /** The port the server listens on: its own origin is `http://<loopback name>:<port>`. */
  port(): number;
}

export const OPERATOR_PREFIX = "/_emulator/";

/**
 * Why a request may not use the operator endpoints, or undefined. They have no
 * signature, so they serve only this machine, and never a web page: a page
 * elsewhere reaches 127.0.0.1 either under its own rebound DNS name (the Host
 * check), or cross-site with a simple request — a form or a `text/plain` fetch,
 * which a browser sends without asking (the Origin check, and JSON required for
 * POST: a JSON POST from another origin needs a preflight this server never grants).
 */
export function operatorRefusal(
  req: http.IncomingMessage,
  port: number,
): { httpStatus: number; error: string } | undefined {
  if (!isLoopback(normaliseAddress(req.socket.remoteAddress)))
    return { httpStatus: 403, error: "operator endpoints answer loopback callers only" };
  if (!isLoopbackHost(req.headers.host))
    return {
      httpStatus: 403,
      error: `operator endpoints answer requests for localhost or a loopback address only, not Host ${shown(req.headers.host)}`,
    };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, port))
    return {
      httpStatus: 403,
      error: `operator endpoints refuse requests from another origin (${shown(origin)})`,
    };
  if (req.method === "POST" && !isJson(req.headers["content-type"]))
    return { httpStatus: 415, error: "operator POSTs need Content-Type: application/json" };
  return undefined;
}

/**
 * `/_emulator/…`: the operator's view and controls, without a signature, so only
 * for callers on this machine (see {@link operatorRefusal}).
 */
export async function handleOperator(
  context: OperatorContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  read: ReadBody,
): Promise<void> {
  const json = (status: number, value: unknown) => send(res, status, JSON.stringify(value));
  const refused = operatorRefusal(req, context.port());
  if (refused) return json(refused.httpStatus, { error: refused.error });

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
  if (path === "summary" && method === "GET") return json(200, log.summary());
  if (path === "requests" && method === "GET")
    return json(200, { counters: log.counters(), summary: log.summary(), requests: log.lines() });
  if (path === "requests" && method === "DELETE") {
    log.clear();
    return json(200, { status: "ok" });
  }
  if (path === "phones" && method === "GET")
    return json(200, { phones: store.phones(url.searchParams.get("appId") ?? undefined) });
  if (path === "faults" && method === "GET") return json(200, { faults: faults.list() });
  if (path === "faults" && method === "DELETE") {
    faults.clear();
    return json(200, { status: "ok" });
  }
  if (path === "faults" && method === "POST") {
    if (!read.ok)
      return read.reason === "tooLarge"
        ? json(413, { error: `the body is over ${BODY_LIMITS.maxBodyBytes} bytes` })
        : json(503, { error: "busy: too many request bodies held at once" });
    const body = parseBody(read.text);
    if (!body.ok) return json(400, { error: body.reason });
    let text: string;
    let prepared;
    try {
      // All or none: every fault checked, and the answer written, before any is armed.
      prepared = faults.prepare(Array.isArray(body.value) ? body.value : [body.value]);
      text = JSON.stringify({ status: "ok", faults: [...faults.list(), ...prepared] });
    } catch (e) {
      return json(400, { error: errorMessage(e) });
    }
    faults.arm(prepared);
    return send(res, 200, text);
  }
  return json(404, { error: `no operator endpoint ${method} ${OPERATOR_PREFIX}${truncate(path, 80)}` });
}

/** `application/json`, with or without parameters such as `charset`. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** A header value quoted in an error: bounded, and visibly quoted. */
function shown(value: string | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(truncate(value, 80));
}
