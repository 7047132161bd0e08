import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Status } from "../protocol/status";
import type { Endpoint } from "../protocol/types";
import { authenticate, normaliseAddress } from "./auth";
import { parseBody, type ParsedBody } from "./body";
import { commits, spoil, type FaultBook } from "./faults";
import type { Settings } from "./options";
import { reply, send, type Reply } from "./replies";
import { NO_STATUS, subjectOf, type RequestLog } from "./requestLog";
import { ROUTES } from "./routes";
import type { PhoneStore } from "./store";

/** What the API pipeline works with; the server owns each part. */
export interface ApiContext {
  settings: Settings;
  store: PhoneStore;
  faults: FaultBook;
  log: RequestLog;
  /** Resolves true once every change so far is on disk (or there is no disk), false if the write failed. */
  saved(): Promise<boolean>;
}

type Outcome = { reply: Reply; changed: boolean };

/**
 * One vendor API call, in order: count it, draw its faults (a gateway's failures
 * come before authentication), authenticate, parse, run the endpoint's handler,
 * make the change durable, answer (or spoil the answer), log it.
 */
export async function handleApi(
  context: ApiContext,
  endpoint: Endpoint,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  text: string,
): Promise<void> {
  const { settings, faults, log } = context;
  const started = performance.now();
  log.received(endpoint);
  const { latency, action } = faults.take(endpoint);
  const body = parseBody(text);
  const subject = subjectOf(endpoint, body.ok ? body.value : undefined);
  const finish = (status: string, httpStatus: number) =>
    log.record({
      endpoint,
      ...(subject === undefined ? {} : { subject }),
      status,
      httpStatus,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      at: new Date(settings.now()).toISOString(),
      ...(action || latency ? { fault: (action ?? latency)?.kind ?? "" } : {}),
    });

  if (latency && latency.phase !== "after") {
    await sleep(latency.ms);
    // The caller gave up while we waited: like a server that sees the closed socket, do nothing.
    if (req.socket.destroyed) return finish(NO_STATUS, 0);
  }
  if (action && !commits(action)) return spoil(action, res, undefined, finish);

  let outcome = answer(context, endpoint, req, body);
  if (outcome.changed && !(await context.saved())) {
    // The change stays in memory and reaches the file with the next successful
    // write; the caller cannot know that, so it gets the vendor's ambiguous -18.
    outcome = {
      reply: reply.fail(Status.SYSTEM, "system exception: the change could not be saved"),
      changed: true,
    };
  }
  if (latency?.phase === "after") await sleep(latency.ms);
  if (action) return spoil(action, res, outcome.reply, finish);
  send(res, 200, JSON.stringify(outcome.reply));
  finish(outcome.reply.status, 200);
}

/** The vendor's own answer to a call: authentication, then the body, then the endpoint's rules. */
function answer(
  context: ApiContext,
  endpoint: Endpoint,
  req: http.IncomingMessage,
  body: ParsedBody,
): Outcome {
  const { settings, store } = context;
  const denied = authenticate(req.headers, normaliseAddress(req.socket.remoteAddress), {
    secrets: settings.secrets,
    allowedIps: settings.allowedIps,
    windowSeconds: settings.windowSeconds,
    nowSeconds: Math.floor(settings.now() / 1000),
  });
  if (denied) return { reply: reply.auth(denied), changed: false };
  if (!body.ok)
    return { reply: reply.fail(Status.PARAMETER, "parameter error: the body is not JSON"), changed: false };
  return ROUTES[endpoint](body.value, { store, maxPhonesPerApp: settings.maxPhonesPerApp });
}
