import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the scripted server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Script = (
  request: SeenRequest,
  response: http.ServerResponse,
  socketOf: () => import("node:net").Socket,
) => void;

/**
 * A tiny HTTP server on 127.0.0.1:0 whose every reply a test scripts: the way to
 * produce exactly the wire behaviour (resets, truncation, redirects, slowness) a
 * client must survive. Each suite owns one and closes it.
 */
export async function startScriptedServer(script: Script): Promise<{
  url: string;
  requests: SeenRequest[];
  setScript(next: Script): void;
  close(): Promise<void>;
}> {
  let current = script;
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      current(seen, res, () => req.socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setScript(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies with the vendor's JSON envelope. */
export function reply(
  response: http.ServerResponse,
  status: string,
  data: unknown = null,
  reason = status === "0" ? "success" : "failed",
): void {
  response.writeHead(200, { "Content-Type": "application/json" });
  response.end(JSON.stringify({ status, reason, data }));
}

export type ScriptedServer = Awaited<ReturnType<typeof startScriptedServer>>;

/**
 * One scripted server for the enclosing describe block (or file): started before
 * its tests, closed after them, its request log emptied before each test.
 */
export function scriptedServerPerSuite(
  script: Script = (_req, res) => reply(res, "0"),
): Omit<ScriptedServer, "close"> {
  let server: ScriptedServer | undefined;
  beforeAll(async () => {
    server = await startScriptedServer(script);
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    if (server) server.requests.length = 0;
  });
  const started = (): ScriptedServer => {
    if (!server) throw new Error("the scripted server is used outside its suite");
    return server;
  };
  return {
    get url() {
      return started().url;
    },
    get requests() {
      return started().requests;
    },
    setScript: (next) => started().setScript(next),
  };
}
