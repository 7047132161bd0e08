import { setMaxListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Status } from "../protocol/status";
import { ENDPOINTS, type Endpoint, type PhoneRecord } from "../protocol/types";
import { handleApi } from "./api";
import { isLoopback, isLoopbackHost, normaliseAddress } from "./auth";
import { BodyBudget, type ReadBody } from "./body";
import { FaultBook, type Fault } from "./faults";
import { handleOperator, OPERATOR_PREFIX } from "./operator";
import { resolveOptions, type ConnectionLimits, type EmulatorOptions, type Settings } from "./options";
import { openDataFile, SnapshotWriter, type OpenedDataFile } from "./persistence";
import { RateLimiter } from "./rateLimit";
import { errorMessage, reply, send } from "./replies";
import { RequestLog, truncate, type Counters, type LoggedRequest, type RequestSummary } from "./requestLog";
import { newPassword, PhoneStore, toRecord, type GroupSummary } from "./store";

export { CONNECTION_LIMITS, type ConnectionLimits, type EmulatorOptions } from "./options";
export type { Counters, LoggedRequest, RequestSummary } from "./requestLog";

export interface Emulator {
  /** The origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `url + "/voice"`: what `VoiceClient` takes as `baseUrl`. */
  baseUrl: string;
  /** The connection bounds in force. */
  limits: Readonly<ConnectionLimits>;
  /** API requests received per endpoint (all of them, rejected ones included). */
  counters(): Counters;
  /** Zeroes the counters and the rate-limited count; the in-flight high-water mark restarts from now. */
  resetCounters(): void;
  /** The request log (most recent last; at most 10,000 lines and 2 MiB). */
  requests(): LoggedRequest[];
  /** Counters, requests in flight now and their high-water mark, 429s answered, the log's size. */
  summary(): RequestSummary;
  /** The operator's view of the phones, passwords included. */
  phones(appId?: string): PhoneRecord[];
  /** Groups of an application with their phone counts. */
  groups(appId: string): GroupSummary[];
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
  /** Stops listening, drops open connections, flushes the data file and releases its lock. */
  close(): Promise<void>;
}

/**
 * Starts a local emulator of the Itniotech Voice API's SIP endpoints
 * (`POST /voice/sipAdd`, `/voice/sipQuery`, `/voice/sipReset`) and its operator
 * endpoints under `/_emulator/` (loopback callers only).
 *
 * The factory wires the parts and owns the lifecycle: the store and its data
 * file, the request log, the faults, the HTTP server; `api.ts` and `operator.ts`
 * are the handlers.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = resolveOptions(options);
  const data = settings.dataFile === undefined ? undefined : openDataFile(settings.dataFile);
  try {
    return await start(settings, data);
  } catch (e) {
    data?.lock.release();
    throw e;
  }
}

async function start(settings: Settings, data: OpenedDataFile | undefined): Promise<Emulator> {
  const store = new PhoneStore(data?.snapshot);
  const writer = data ? new SnapshotWriter(data.file, () => store.snapshot()) : undefined;
  // The file exists from the start, as `--data` promises; a folder it cannot be written in fails here.
  if (writer && !data?.snapshot) await writer.save();
  const faults = new FaultBook(settings.seed);
  const log = new RequestLog();
  const bodies = new BodyBudget();
  const limiter = settings.rateLimitPerSecond ? new RateLimiter(settings.rateLimitPerSecond) : undefined;
  const closing = new AbortController();
  // Every request a latency fault holds listens on it until its wait ends: one per
  // connection at most. Node warns of a leak past 10, which a benchmark's 16 are not.
  setMaxListeners(settings.limits.maxConnections, closing.signal);

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
  const reset = async (): Promise<void> => {
    store.clear();
    faults.clear(settings.seed);
    log.clear();
    await persist();
  };

  // Known once the server listens; nothing reads them before a request arrives.
  let port = 0;
  let loopbackOnly = true;
  const apiContext = { settings, store, faults, log, saved, limiter, closing: closing.signal };
  const operatorContext = { store, faults, log, reset, port: () => port };

  async function route(req: http.IncomingMessage, res: http.ServerResponse, body: ReadBody): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith(OPERATOR_PREFIX)) return handleOperator(operatorContext, req, res, url, body);
    // Listening on loopback only, every caller is on this machine and names it so;
    // another name is a web page that rebound its DNS name to 127.0.0.1.
    // The emulator's own refusals, in the vendor's envelope.
    const refuse = (httpStatus: number, reason: string) =>
      send(res, httpStatus, JSON.stringify(reply.fail(Status.PARAMETER, reason)));
    if (loopbackOnly && !isLoopbackHost(req.headers.host))
      return refuse(403, "this emulator serves localhost and loopback addresses only");
    const match = /^\/voice\/([A-Za-z]+)$/.exec(url.pathname);
    const endpoint = match?.[1] as Endpoint | undefined;
    if (endpoint === undefined || !ENDPOINTS.includes(endpoint))
      return refuse(404, `no such endpoint: ${method} ${truncate(url.pathname, 80)}`);
    if (method !== "POST") return refuse(405, "use POST");
    return handleApi(apiContext, endpoint, req, res, body);
  }

  const { limits } = settings;
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node checks the two timeouts above; its default (30 s) would let them run late.
      connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (req, res) => {
      // The vendor's clock, not the host's: a client resynchronises from it after a -16.
      res.setHeader("Date", new Date(settings.now()).toUTCString());
      if (req.url?.startsWith("/voice/")) res.once("close", log.started());
      bodies
        .read(req, res)
        .then((body) => route(req, res, body))
        .catch((e: unknown) => {
          // Never crash the server; an emulator bug answers -18 like the vendor's own.
          if (!res.headersSent)
            send(res, 200, JSON.stringify(reply.fail(Status.SYSTEM, `system exception: ${errorMessage(e)}`)));
        });
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  loopbackOnly = isLoopback(normaliseAddress(address.address));
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  let closed: Promise<void> | undefined;

  return {
    url,
    baseUrl: `${url}/voice`,
    limits: Object.freeze({ ...limits }),
    counters: () => log.counters(),
    resetCounters: () => log.resetCounters(),
    requests: () => log.lines(),
    summary: () => log.summary(),
    phones: (appId) => store.records(appId),
    groups: (appId) => store.groups(appId),
    seedGroup(group) {
      if (store.hasGroup(group.appId, group.groupName) || store.hasPhoneName(group.appId, group.phoneName)) {
        throw new Error(
          `seedGroup: a name of ${group.groupName}/${group.phoneName} is taken in ${group.appId}`,
        );
      }
      const created = store.addGroup(group);
      persistLater();
      return created.map(toRecord);
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
    reset,
    close() {
      closed ??= (async () => {
        closing.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        try {
          if (writer) await writer.flush();
        } finally {
          data?.lock.release();
        }
      })();
      return closed;
    },
  };
}
