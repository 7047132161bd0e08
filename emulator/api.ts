import type http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Status } from "../protocol/status";
import type { Endpoint } from "../protocol/types";
import { authenticate, header, mayUse, normaliseAddress } from "./auth";
import { BODY_LIMITS, parseBody, type ParsedBody, type ReadBody } from "./body";
import { commits, spoil, type FaultBook } from "./faults";
import type { Settings } from "./options";
import type { RateLimiter } from "./rateLimit";
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
  /** Present with `rateLimitPerSecond`. */
  limiter: RateLimiter | undefined;
  /** Aborted by close(): a latency fault stops waiting, so no timer outlives the server. */
  closing: AbortSignal;
}

type Outcome = { reply: Reply; changed: boolean };

/**
 * One vendor API call, in order: count it, rate-limit it and draw its faults (a
 * gateway's answers come before authentication), authenticate, parse, run the
 * endpoint's handler, make the change durable, answer (or spoil the answer), log it.
 */
export async function handleApi(
  context: ApiContext,
  endpoint: Endpoint,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  read: ReadBody,
): Promise<void> {
  const { settings, faults, log } = context;
  const started = performance.now();
  log.received(endpoint);
  const body: ParsedBody = read.ok
    ? parseBody(read.text)
    : { ok: false, reason: `the body is over ${BODY_LIMITS.maxBodyBytes} bytes` };
  const subject = subjectOf(endpoint, body.ok ? body.value : undefined);
  // Only a key the emulator accepts is logged: anything else is the caller's free text.
  const given = header(req.headers, "api-key");
  const apiKey = given !== undefined && settings.secrets.has(given) ? given : undefined;
  const record = (status: string, httpStatus: number, fault?: string) =>
    log.record({
      endpoint,
      ...(subject === undefined ? {} : { subject }),
      ...(apiKey === undefined ? {} : { apiKey }),
      status,
      httpStatus,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      at: new Date(settings.now()).toISOString(),
      ...(fault === undefined ? {} : { fault }),
    });

  const retryAfter = context.limiter?.take();
  if (retryAfter !== undefined) {
    log.rateLimited();
    const limit = settings.rateLimitPerSecond;
    send(res, 429, JSON.stringify({ error: `rate limit: ${limit} requests per second` }), undefined, {
      "Retry-After": String(retryAfter),
    });
    return record(NO_STATUS, 429);
  }
  if (!read.ok && read.reason === "busy") {
    // Like a gateway short of buffers: try again shortly, nothing was done.
    send(res, 503, JSON.stringify({ error: "busy: too many request bodies held at once" }), undefined, {
      "Retry-After": "1",
    });
    return record(NO_STATUS, 503);
  }
  const { latency, action } = faults.take(endpoint);
  const finish = (status: string, httpStatus: number) =>
    record(status, httpStatus, (action ?? latency)?.kind);
  if (latency && latency.phase !== "after") {
    // The caller gave up while we waited: like a server that sees the closed socket, do nothing.
    // The pause ends in the timers phase; a hang-up that arrived meanwhile is only seen in
    // the next poll phase, so look at the socket after one setImmediate (else a stalled
    // event loop applied changes whose caller had already timed out).
    const waited = await pause(latency.ms, context.closing);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!waited || req.socket.destroyed) return finish(NO_STATUS, 0);
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
  if (latency?.phase === "after" && !(await pause(latency.ms, context.closing))) return finish(NO_STATUS, 0);
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
    return { reply: reply.fail(Status.PARAMETER, `parameter error: ${body.reason}`), changed: false };
  const apiKey = header(req.headers, "api-key") as string;
  return ROUTES[endpoint](body.value, {
    store,
    maxPhonesPerApp: settings.maxPhonesPerApp,
    mayUse: (appId) => mayUse(settings, apiKey, appId),
  });
}

/** Waits `ms`; false when the server closed meanwhile. */
async function pause(ms: number, closing: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: closing });
    return true;
  } catch {
    return false;
  }
}
