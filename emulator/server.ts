import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Status } from "../protocol/status";
import { ENDPOINTS, type Endpoint, type PhoneRecord } from "../protocol/types";
import { authenticate, DEMO_CREDENTIALS, isLoopback, normaliseAddress, type Credential } from "./auth";
import { FaultBook, validateFault, type Fault, type FaultAction } from "./faults";
import { loadSnapshot, SnapshotWriter } from "./persistence";
import { reply, ROUTES, type Reply } from "./routes";
import { newPassword, PhoneStore } from "./store";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** API key/secret pairs accepted. @default [DEMO_CREDENTIALS] */
  credentials?: Credential[];
  /** Persist state to this JSON file (atomically); in memory when absent. */
  dataFile?: string;
  /** Accepted clock difference for the Timestamp header, in seconds. @default 300 */
  timestampWindowSeconds?: number;
  /** Caller IPs allowed; any other gets -2. @default every caller */
  allowedIps?: string[];
  /** Phones per application before sipAdd answers -23. @default 10000 */
  maxPhonesPerApp?: number;
  /** Seed of the fault RNG (probabilistic faults). @default 1 */
  seed?: number;
  /** The server's clock in epoch ms (tests of clock skew). @default Date.now */
  now?: () => number;
}

/** One line of the request log: never a header, body, secret or password. */
export interface LoggedRequest {
  endpoint: string;
  /** What the call was about: the group (sipAdd), the account (sipReset) or `appId#page` (sipQuery). */
  subject?: string;
  status: string;
  httpStatus: number;
  durationMs: number;
  at: string;
  fault?: string;
}

export type Counters = Record<Endpoint, number>;

export interface Emulator {
  /** The origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `url + "/voice"`: what `VoiceClient` takes as `baseUrl`. */
  baseUrl: string;
  /** API requests received per endpoint (all of them, rejected ones included). */
  counters(): Counters;
  resetCounters(): void;
  /** The request log (most recent last, at most 10,000 lines). */
  requests(): LoggedRequest[];
  /** The operator's view of the phones, passwords included. */
  phones(appId?: string): PhoneRecord[];
  /** Groups of an application with their phone counts. */
  groups(
    appId: string,
  ): Array<{ groupName: string; phoneName: string; displayNum: string; quantity: number }>;
  /** Creates a group out of band, as the vendor's console would. */
  seedGroup(group: {
    appId: string;
    groupName: string;
    phoneName: string;
    quantity: number;
    displayNum: string;
  }): PhoneRecord[];
  /** Resets a password out of band; returns the new one. */
  resetPasswordOutOfBand(appId: string, account: string): string;
  /** Operator only (the API cannot delete): removes a group, as if it had vanished. */
  removeGroup(appId: string, groupName: string): number;
  inject(fault: Fault): void;
  clearFaults(seed?: number): void;
  faults(): Fault[];
  /** Wipes phones, faults, counters and the log. */
  reset(): Promise<void>;
  /** Stops listening, drops open connections and flushes the data file. */
  close(): Promise<void>;
}

const MAX_LOG = 10_000;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts a local emulator of the Itniotech Voice API's SIP endpoints
 * (`POST /voice/sipAdd`, `/voice/sipQuery`, `/voice/sipReset`) and its operator
 * endpoints under `/_emulator/` (loopback callers only).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const secrets = new Map((options.credentials ?? [DEMO_CREDENTIALS]).map((c) => [c.apiKey, c.apiSecret]));
  const allowedIps = options.allowedIps ? new Set(options.allowedIps.map(normaliseAddress)) : undefined;
  const windowSeconds = options.timestampWindowSeconds ?? 300;
  const maxPhonesPerApp = options.maxPhonesPerApp ?? 10_000;
  const store = new PhoneStore(options.dataFile ? loadSnapshot(options.dataFile) : undefined);
  const writer = options.dataFile ? new SnapshotWriter(options.dataFile, () => store.snapshot()) : undefined;
  const faults = new FaultBook(options.seed ?? 1);
  let counters = zeroCounters();
  let log: LoggedRequest[] = [];

  const persist = async (): Promise<void> => {
    if (writer) await writer.save();
  };
  // Out-of-band changes do not wait for the disk; a failed write is kept by the
  // writer and reported by close(), never left as an unhandled rejection.
  const persistLater = (): void => {
    persist().catch(() => undefined);
  };
  const saved = (): Promise<boolean> =>
    persist().then(
      () => true,
      () => false,
    );

  const record = (entry: LoggedRequest) => {
    log.push(entry);
    if (log.length > MAX_LOG) log = log.slice(-MAX_LOG / 2);
  };

  async function handleApi(
    endpoint: Endpoint,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    text: string,
  ): Promise<void> {
    const started = performance.now();
    counters[endpoint]++;
    const { latency, action } = faults.take(endpoint);
    const body = parseBody(text);
    const subject = subjectOf(endpoint, body);
    const finish = (status: string, httpStatus: number) =>
      record({
        endpoint,
        ...(subject === undefined ? {} : { subject }),
        status,
        httpStatus,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        at: new Date(now()).toISOString(),
        ...(action || latency ? { fault: (action ?? latency)?.kind ?? "" } : {}),
      });

    if (latency && latency.phase !== "after") {
      await sleep(latency.ms);
      // The caller gave up while we waited: like a server that sees the closed socket, do nothing.
      if (req.socket.destroyed) return finish("-", 0);
    }
    if (action && !commits(action)) return spoil(action, res, req.socket, undefined, finish);

    let outcome = process(endpoint, req, body);
    if (outcome.changed && !(await saved())) {
      // The change stays in memory and reaches the file with the next successful
      // write; the caller cannot know that, so it gets the vendor's ambiguous -18.
      outcome = {
        reply: reply.fail(Status.SYSTEM, "system exception: the change could not be saved"),
        changed: true,
      };
    }
    if (latency?.phase === "after") await sleep(latency.ms);
    if (action) return spoil(action, res, req.socket, outcome.reply, finish);
    send(res, 200, JSON.stringify(outcome.reply));
    finish(outcome.reply.status, 200);
  }

  function process(
    endpoint: Endpoint,
    req: http.IncomingMessage,
    body: ParsedBody,
  ): { reply: Reply; changed: boolean } {
    const denied = authenticate(req.headers, normaliseAddress(req.socket.remoteAddress), {
      secrets,
      allowedIps,
      windowSeconds,
      nowSeconds: Math.floor(now() / 1000),
    });
    if (denied) return { reply: reply.auth(denied), changed: false };
    if (!body.ok)
      return { reply: reply.fail(Status.PARAMETER, "parameter error: the body is not JSON"), changed: false };
    return ROUTES[endpoint](body.value, { store, maxPhonesPerApp });
  }

  async function handleOperator(
    path: string,
    method: string,
    url: URL,
    res: http.ServerResponse,
    body: string,
  ): Promise<void> {
    const json = (status: number, value: unknown) => send(res, status, JSON.stringify(value));
    if (path === "health" && method === "GET")
      return json(200, { status: "ok", phones: store.phones().length });
    if (path === "reset" && method === "POST") {
      try {
        await api.reset();
      } catch (e) {
        return json(500, { error: `reset in memory, but the data file could not be written: ${message(e)}` });
      }
      return json(200, { status: "ok" });
    }
    if (path === "requests" && method === "GET") return json(200, { counters, requests: log });
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
        return json(400, { error: message(e) });
      }
    }
    return json(404, { error: `no operator endpoint ${method} /_emulator/${path}` });
  }

  const server = http.createServer((req, res) => {
    // The vendor's clock, not the host's: a client resynchronises from it after a -16.
    res.setHeader("Date", new Date(now()).toUTCString());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const body = size > MAX_BODY_BYTES ? "" : Buffer.concat(chunks).toString("utf8");
      route(req, res, body).catch((e: unknown) => {
        // Never crash the server; an emulator bug answers -18 like the vendor's own.
        if (!res.headersSent)
          send(res, 200, JSON.stringify(reply.fail(Status.SYSTEM, `system exception: ${message(e)}`)));
      });
    });
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith("/_emulator/")) {
      if (!isLoopback(normaliseAddress(req.socket.remoteAddress)))
        return send(res, 403, JSON.stringify({ error: "operator endpoints answer loopback callers only" }));
      return handleOperator(url.pathname.slice("/_emulator/".length), method, url, res, body);
    }
    const match = /^\/voice\/([A-Za-z]+)$/.exec(url.pathname);
    const endpoint = match?.[1] as Endpoint | undefined;
    if (endpoint === undefined || !ENDPOINTS.includes(endpoint)) {
      return send(res, 404, JSON.stringify(reply.fail("-22", `no such endpoint: ${method} ${url.pathname}`)));
    }
    if (method !== "POST") return send(res, 405, JSON.stringify(reply.fail("-22", "use POST")));
    return handleApi(endpoint, req, res, body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const api: Emulator = {
    url,
    baseUrl: `${url}/voice`,
    counters: () => ({ ...counters }),
    resetCounters: () => void (counters = zeroCounters()),
    requests: () => log.map((e) => ({ ...e })),
    phones: (appId) =>
      store.phones(appId).map(({ groupName, phoneName, account, password, displayNum }) => ({
        groupName,
        phoneName,
        account,
        password,
        displayNum,
      })),
    groups(appId) {
      const groups = new Map<
        string,
        { groupName: string; phoneName: string; displayNum: string; quantity: number }
      >();
      for (const p of store.phones(appId)) {
        const g = groups.get(p.groupName) ?? {
          groupName: p.groupName,
          phoneName: p.phoneName,
          displayNum: p.displayNum,
          quantity: 0,
        };
        g.quantity++;
        groups.set(p.groupName, g);
      }
      return [...groups.values()];
    },
    seedGroup(group) {
      if (store.hasGroup(group.appId, group.groupName) || store.hasPhoneName(group.appId, group.phoneName)) {
        throw new Error(
          `seedGroup: a name of ${group.groupName}/${group.phoneName} is taken in ${group.appId}`,
        );
      }
      const created = store.addGroup(group);
      persistLater();
      return created.map(({ groupName, phoneName, account, password, displayNum }) => ({
        groupName,
        phoneName,
        account,
        password,
        displayNum,
      }));
    },
    resetPasswordOutOfBand(appId, account) {
      const phone = store.find(appId, account);
      if (!phone) throw new Error(`resetPasswordOutOfBand: no account ${account} in ${appId}`);
      phone.password = newPassword();
      persistLater();
      return phone.password;
    },
    removeGroup(appId, groupName) {
      const removed = store.removeGroup(appId, groupName);
      persistLater();
      return removed;
    },
    inject: (fault) => faults.add(fault),
    clearFaults: (seed) => faults.clear(seed),
    faults: () => faults.list(),
    async reset() {
      store.clear();
      faults.clear(options.seed ?? 1);
      counters = zeroCounters();
      log = [];
      await persist();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (writer) await writer.flush();
    },
  };
  return api;
}

type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** Parsed once per request: the log's subject and the handler both need it. */
function parseBody(text: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The non-secret identity of a request, for the log: never a password, header or whole body. */
function subjectOf(endpoint: Endpoint, body: ParsedBody): string | undefined {
  if (!body.ok || typeof body.value !== "object" || body.value === null) return undefined;
  const parsed = body.value as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 64) : undefined);
  if (endpoint === "sipAdd") return text(parsed["groupName"]);
  if (endpoint === "sipReset") return text(parsed["account"]);
  const params = parsed["params"] as Record<string, unknown> | undefined;
  const appId = text(params?.["appId"]);
  return appId === undefined ? undefined : `${appId}#${String(parsed["current"] ?? 1)}`;
}

/** Readable errors for options that would otherwise fail obscurely, or silently, later. */
function checkOptions(options: EmulatorOptions): void {
  const problem = (text: string): never => {
    throw new TypeError(`startEmulator: ${text}`);
  };
  const { credentials, timestampWindowSeconds, maxPhonesPerApp, allowedIps, port, seed } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    problem("port must be a whole number from 0 to 65535");
  if (credentials !== undefined) {
    if (!Array.isArray(credentials) || credentials.length === 0)
      problem("credentials must be a non-empty array of { apiKey, apiSecret }");
    const seen = new Set<string>();
    for (const c of credentials as unknown[]) {
      const { apiKey, apiSecret } = (c ?? {}) as Partial<Credential>;
      if (typeof apiKey !== "string" || apiKey === "" || typeof apiSecret !== "string" || apiSecret === "")
        return problem("every credential needs a non-empty apiKey and apiSecret string");
      // Two secrets for one key would make the accepted signature depend on the order.
      if (seen.has(apiKey)) problem(`apiKey ${JSON.stringify(apiKey)} is listed twice`);
      seen.add(apiKey);
    }
  }
  if (timestampWindowSeconds !== undefined && !(timestampWindowSeconds >= 0))
    problem("timestampWindowSeconds must be a number >= 0");
  if (maxPhonesPerApp !== undefined && !(Number.isInteger(maxPhonesPerApp) && maxPhonesPerApp >= 0))
    problem("maxPhonesPerApp must be a whole number >= 0");
  if (
    allowedIps !== undefined &&
    !(Array.isArray(allowedIps) && allowedIps.every((ip) => typeof ip === "string"))
  )
    problem("allowedIps must be an array of IP address strings");
  if (seed !== undefined && !Number.isFinite(seed)) problem("seed must be a finite number");
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function zeroCounters(): Counters {
  return { sipAdd: 0, sipQuery: 0, sipReset: 0 };
}

function send(
  res: http.ServerResponse,
  status: number,
  text: string,
  contentType = "application/json;charset=UTF-8",
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Whether a fault lets the request take effect before spoiling the reply. */
function commits(action: FaultAction): boolean {
  switch (action.kind) {
    case "commitThenDrop":
      return true;
    case "truncated":
    case "nonJson":
      return action.commit ?? true;
    case "http":
      return action.commit ?? false;
    default:
      return false;
  }
}

function spoil(
  action: FaultAction,
  res: http.ServerResponse,
  socket: Socket,
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
      return finish("-", action.httpStatus);
    case "truncated":
      send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return finish("-", 200);
    case "nonJson":
      send(res, 200, "<html><body>Service temporarily unavailable</body></html>", "text/html");
      return finish("-", 200);
    case "redirect":
      res.writeHead(302, { Location: action.location ?? "http://127.0.0.2:9/voice", "Content-Length": 0 });
      res.end();
      return finish("-", 302);
    case "drop":
    case "commitThenDrop":
      socket.destroy();
      return finish("-", 0);
    case "latency":
      return;
  }
}
