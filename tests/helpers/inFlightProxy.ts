import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through HTTP proxy on 127.0.0.1:0 that counts the requests it has in
 * flight (from the request's arrival to the end of its reply): the way to see,
 * from outside the client, how many API requests a process really had open at once.
 * Each suite owns one and closes it.
 */
export async function startInFlightProxy(target: string): Promise<{
  /** `target`'s URL with the proxy's origin, e.g. the emulator's baseUrl through the proxy. */
  url: string;
  readonly inFlight: number;
  readonly highWater: number;
  readonly requests: number;
  resetHighWater(): void;
  close(): Promise<void>;
}> {
  const to = new URL(target);
  let inFlight = 0;
  let highWater = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    requests++;
    highWater = Math.max(highWater, inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight--;
      done = true;
    };
    res.on("close", finish);
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.href.replace(/\/+$/, ""),
    get inFlight() {
      return inFlight;
    },
    get highWater() {
      return highWater;
    },
    get requests() {
      return requests;
    },
    resetHighWater() {
      highWater = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
