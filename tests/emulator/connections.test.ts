import net from "node:net";
import { CONNECTION_LIMITS, startEmulator, type ConnectionLimits, type Emulator } from "../../emulator";
import { rawRequest } from "../helpers/raw";

// Connection bounds, exercised with small limits so that each takes well under a
// second; the defaults are pinned separately (and documented in the README).
const small: ConnectionLimits = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  keepAliveTimeoutMs: 300,
  maxConnections: 3,
};
let emulator: Emulator;
let port: number;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, limits: small });
  port = Number(new URL(emulator.url).port);
});
afterAll(() => emulator.close());

/** A raw connection that records what it receives and when it is closed. */
function connect(): Promise<{ socket: net.Socket; received: () => string; closedAfter: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = "";
    const socket = net.connect(port, "127.0.0.1");
    socket.on("data", (chunk: Buffer) => (data += chunk.toString("latin1")));
    socket.on("error", () => undefined); // a reset is one way of being closed
    const closedAfter = new Promise<number>((done) => socket.once("close", () => done(Date.now() - started)));
    socket.once("connect", () => resolve({ socket, received: () => data, closedAfter }));
    socket.once("error", reject);
  });
}

/** Resolves to how long it took, or rejects when it has not happened by `ms`. */
function within(ms: number, closed: Promise<number>): Promise<number> {
  return Promise.race([
    closed,
    new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)),
  ]);
}

describe("connection bounds", () => {
  it("a connection that never sends a request is closed after the headers timeout", async () => {
    const idle = await connect();
    try {
      expect(await within(3_000, idle.closedAfter)).toBeGreaterThanOrEqual(small.headersTimeoutMs - 50);
      expect(idle.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      idle.socket.destroy();
    }
  });

  it("a body dripped a byte at a time is cut off after the request timeout", async () => {
    const slow = await connect();
    slow.socket.write("POST /voice/sipQuery HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n");
    const drip = setInterval(() => slow.socket.writable && slow.socket.write("a"), 50);
    try {
      expect(await within(3_000, slow.closedAfter)).toBeGreaterThanOrEqual(small.requestTimeoutMs - 50);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      slow.socket.destroy();
    }
  });

  it("an idle keep-alive connection is closed after the keep-alive timeout (plus Node's 1 s grace)", async () => {
    const kept = await connect();
    kept.socket.write("GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    try {
      // Node.js waits keepAliveTimeout + 1,000 ms, so that a client closes first.
      expect(await within(4_000, kept.closedAfter)).toBeGreaterThanOrEqual(small.keepAliveTimeoutMs);
      expect(kept.received()).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      kept.socket.destroy();
    }
  });

  it("connections past the cap are closed as they arrive; those within it are served", async () => {
    const held = await Promise.all(Array.from({ length: small.maxConnections }, connect));
    // The server counts a connection once it has accepted it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await connect();
    try {
      expect(await within(1_000, extra.closedAfter)).toBeLessThan(small.headersTimeoutMs);
      expect(extra.received()).toBe("");
      const first = held[0]?.socket;
      first?.write("GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(held[0]?.received()).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const c of [...held, extra]) c.socket.destroy();
    }
    // Room again once they are gone.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await rawRequest(emulator.url, "/_emulator/health")).httpStatus).toBe(200);
  });
});

describe("the bounds in force", () => {
  it("default to the documented figures", async () => {
    expect(CONNECTION_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_024,
    });
    const plain = await startEmulator({ port: 0 });
    try {
      expect(plain.limits).toEqual(CONNECTION_LIMITS);
    } finally {
      await plain.close();
    }
    expect(emulator.limits).toEqual(small);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a zero timeout", { headersTimeoutMs: 0 }, /limits\.headersTimeoutMs must be a whole number from 1/],
    ["an infinite timeout", { requestTimeoutMs: Infinity }, /limits\.requestTimeoutMs must be/],
    [
      "headers slower than the request",
      { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 },
      /must not exceed/,
    ],
    ["a fractional cap", { maxConnections: 1.5 }, /limits\.maxConnections must be/],
    ["an unknown bound", { bodyBytes: 1 }, /limits has no bodyBytes/],
  ])("%s is refused at start", async (_what, limits, message) => {
    await expect(startEmulator({ port: 0, limits: limits as Partial<ConnectionLimits> })).rejects.toThrow(
      message,
    );
  });
});
