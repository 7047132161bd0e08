import http from "node:http";
import type { AddressInfo } from "node:net";
import { Status } from "../protocol/status";
import { ENDPOINTS, type Endpoint, type PhoneRecord } from "../protocol/types";
import { handleApi } from "./api";
import { readBody } from "./body";
import { FaultBook, type Fault } from "./faults";
import { handleOperator, OPERATOR_PREFIX } from "./operator";
import { resolveOptions, type EmulatorOptions } from "./options";
import { loadSnapshot, SnapshotWriter } from "./persistence";
import { errorMessage, reply, send } from "./replies";
import { RequestLog, type Counters, type LoggedRequest } from "./requestLog";
import { newPassword, PhoneStore, toRecord, type GroupSummary } from "./store";

export type { EmulatorOptions } from "./options";
export type { Counters, LoggedRequest } from "./requestLog";

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
  /** Stops listening, drops open connections and flushes the data file. */
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
  const store = new PhoneStore(settings.dataFile ? loadSnapshot(settings.dataFile) : undefined);
  const writer = settings.dataFile
    ? new SnapshotWriter(settings.dataFile, () => store.snapshot())
    : undefined;
  const faults = new FaultBook(settings.seed);
  const log = new RequestLog();

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

  const apiContext = { settings, store, faults, log, saved };
  const operatorContext = { store, faults, log, reset };

  async function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = req.method ?? "GET";
    if (url.pathname.startsWith(OPERATOR_PREFIX)) return handleOperator(operatorContext, req, res, url, body);
    const match = /^\/voice\/([A-Za-z]+)$/.exec(url.pathname);
    const endpoint = match?.[1] as Endpoint | undefined;
    if (endpoint === undefined || !ENDPOINTS.includes(endpoint)) {
      return send(
        res,
        404,
        JSON.stringify(reply.fail(Status.PARAMETER, `no such endpoint: ${method} ${url.pathname}`)),
      );
    }
    if (method !== "POST") return send(res, 405, JSON.stringify(reply.fail(Status.PARAMETER, "use POST")));
    return handleApi(apiContext, endpoint, req, res, body);
  }

  const server = http.createServer((req, res) => {
    // The vendor's clock, not the host's: a client resynchronises from it after a -16.
    res.setHeader("Date", new Date(settings.now()).toUTCString());
    readBody(req)
      .then((body) => route(req, res, body.ok ? body.text : ""))
      .catch((e: unknown) => {
        // Never crash the server; an emulator bug answers -18 like the vendor's own.
        if (!res.headersSent)
          send(res, 200, JSON.stringify(reply.fail(Status.SYSTEM, `system exception: ${errorMessage(e)}`)));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    baseUrl: `${url}/voice`,
    counters: () => log.counters(),
    resetCounters: () => log.resetCounters(),
    requests: () => log.lines(),
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
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (writer) await writer.flush();
    },
  };
}
