import { createHash } from "node:crypto";
import { ItniotechError, VoiceApiError, VoiceClient, VoiceConfigurationError } from "../../provider/client";
import type { PhoneRecord } from "../../protocol/types";
import { apiFailure } from "../helpers/failure";
import { reply, startScriptedServer, type SeenRequest } from "../helpers/scriptedServer";

// Canaries: none of these may ever appear in an error's message, string or JSON form.
const API_KEY = "canary-key-7f3a";
const API_SECRET = "canary-SECRET-91b2e";
const PASSWORD = "PwCanary42";

/** A one-phone group, for the calls whose arguments do not matter. */
const GROUP = { groupName: "grp1", phoneName: "phone", quantity: 1, displayNum: "8610000000", appId: "app1" };

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

function record(n: number): PhoneRecord {
  return {
    groupName: "grp1",
    phoneName: "phone",
    account: `phone_${String(n).padStart(3, "0")}`,
    password: PASSWORD,
    displayNum: "8610000000",
  };
}

type Server = Awaited<ReturnType<typeof startScriptedServer>>;

describe("VoiceClient over real HTTP", () => {
  let server: Server;
  let client: VoiceClient;

  beforeAll(async () => {
    server = await startScriptedServer((_req, res) => reply(res, "0"));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    client = new VoiceClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: `${server.url}/voice/`,
      timeoutMs: 300,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
    });
  });

  async function failure(promise: Promise<unknown>): Promise<VoiceApiError> {
    const e = await apiFailure(promise);
    // The leak check, on every failure this suite produces.
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack ?? ""]) {
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(PASSWORD);
      for (const seen of server.requests) expect(text).not.toContain(String(seen.headers["sign"]));
    }
    return e;
  }

  it("sends the contract's headers and body, signed fresh", async () => {
    const before = Math.floor(Date.now() / 1000);
    await client.sipAdd({
      groupName: "grp1",
      phoneName: "phone",
      quantity: 2,
      displayNum: "8610000000",
      appId: "app1",
    });
    const [seen] = server.requests as [SeenRequest];
    expect(seen.method).toBe("POST");
    expect(seen.path).toBe("/voice/sipAdd");
    expect(seen.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(seen.headers["api-key"]).toBe(API_KEY);
    const timestamp = String(seen.headers["timestamp"]);
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(seen.headers["sign"]).toBe(md5(API_KEY + API_SECRET + timestamp));
    expect(JSON.parse(seen.body)).toEqual({
      groupName: "grp1",
      phoneName: "phone",
      quantity: 2,
      displayNum: "8610000000",
      appId: "app1",
    });
    expect(seen.body).not.toContain(API_SECRET);
  });

  it("pages through every phone of an application with size 100", async () => {
    const all = Array.from({ length: 231 }, (_, i) => record(i + 1));
    server.setScript((req, res) => {
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      const records = all.slice((current - 1) * size, current * size);
      reply(res, "0", { total: all.length, size, current, pages: Math.ceil(all.length / size), records });
    });
    const seen: string[] = [];
    for await (const phone of client.phones("app1")) seen.push(phone.account);
    expect(seen).toEqual(all.map((r) => r.account));
    // Pages 2 and 3 are read at once, so they may arrive in either order.
    const bodies = server.requests.map((r) => JSON.parse(r.body) as { current: number });
    expect(bodies.sort((a, b) => a.current - b.current)).toEqual(
      [1, 2, 3].map((current) => ({ current, size: 100, params: { appId: "app1" } })),
    );
  });

  it("reads ⌈total/size⌉ pages as the first page reports them, whatever `pages` and the records say", async () => {
    server.setScript((req, res) => {
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      reply(res, "0", { total: 500, size, current, pages: 2, records: current === 1 ? [record(1)] : [] });
    });
    const seen: PhoneRecord[] = [];
    for await (const phone of client.phones("app1")) seen.push(phone);
    expect(seen).toHaveLength(1);
    expect(server.requests).toHaveLength(5);
  });

  it("returns the reset password", async () => {
    server.setScript((req, res) =>
      reply(res, "0", { account: JSON.parse(req.body).account, password: "NewPass1" }),
    );
    await expect(client.sipReset({ account: "phone_001", appId: "app1" })).resolves.toEqual({
      account: "phone_001",
      password: "NewPass1",
    });
  });

  it.each([
    ["-1", 1],
    ["-2", 1],
    ["-20", 1],
    ["-22", 1],
    ["-23", 1],
    ["-24", 1],
    ["-18", 3],
  ])("sipReset status %s: %i attempt(s), code kept", async (status, attempts) => {
    server.setScript((_req, res) => reply(res, status, null, `reason for ${status}`));
    const error = await failure(client.sipReset({ account: "phone_001", appId: "app1" }));
    expect(error.code).toBe(status);
    expect(error.message).toContain(`reason for ${status}`);
    expect(server.requests).toHaveLength(attempts);
  });

  it("HTTP 500: sipQuery retries up to 3 attempts, sipAdd never resends", async () => {
    server.setScript((_req, res) => {
      res.writeHead(500);
      res.end("Internal Server Error " + PASSWORD);
    });
    const query = await failure(client.sipQuery({ appId: "app1", current: 1, size: 10 }));
    expect([query.code, query.httpStatus, query.ambiguous]).toEqual(["HTTP_ERROR", 500, true]);
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    const add = await failure(client.sipAdd(GROUP));
    expect([add.code, add.ambiguous]).toEqual(["HTTP_ERROR", true]);
    expect(server.requests).toHaveLength(1);
  });

  it("recovers when a transient failure clears", async () => {
    let calls = 0;
    server.setScript((req, res) => {
      if (++calls < 3) return reply(res, "-18");
      reply(res, "0", { account: JSON.parse(req.body).account, password: "AfterRetry" });
    });
    await expect(client.sipReset({ account: "phone_001", appId: "app1" })).resolves.toEqual({
      account: "phone_001",
      password: "AfterRetry",
    });
    expect(server.requests).toHaveLength(3);
    // Every attempt signed on its own (timestamps may coincide within a second; signs then match too).
    for (const seen of server.requests)
      expect(seen.headers["sign"]).toBe(md5(API_KEY + API_SECRET + String(seen.headers["timestamp"])));
  });

  it("a truncated body is BAD_RESPONSE, ambiguous, never quoted", async () => {
    server.setScript((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`{"status":"0","reason":"success","data":{"account":"phone_001","password":"${PASSWORD}`);
    });
    const error = await failure(client.sipReset({ account: "phone_001", appId: "app1" }));
    expect([error.code, error.ambiguous]).toEqual(["BAD_RESPONSE", true]);
  });

  it("a body cut off mid-transfer (Content-Length not met) is ambiguous", async () => {
    server.setScript((_req, res, socketOf) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "500" });
      res.write(`{"status":"0","reason":"success","data":{"password":"${PASSWORD}`);
      setTimeout(() => socketOf().destroy(), 10);
    });
    const error = await failure(client.sipAdd(GROUP));
    expect(error.ambiguous).toBe(true);
    expect(["BAD_RESPONSE", "CONNECTION"]).toContain(error.code);
    expect(server.requests).toHaveLength(1);
  });

  it("a non-JSON body (an HTML error page with HTTP 200) is BAD_RESPONSE", async () => {
    server.setScript((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html><body>Bad gateway</body></html>");
    });
    const error = await failure(client.sipQuery({ appId: "app1", current: 1, size: 10 }));
    expect(error.code).toBe("BAD_RESPONSE");
    expect(server.requests).toHaveLength(3);
  });

  it("a success whose data has the wrong shape is BAD_RESPONSE", async () => {
    server.setScript((_req, res) => reply(res, "0", { account: "phone_001" }));
    const error = await failure(client.sipReset({ account: "phone_001", appId: "app1" }));
    expect(error.code).toBe("BAD_RESPONSE");
  });

  it("a connection reset is CONNECTION and ambiguous; sipAdd is not resent", async () => {
    server.setScript((_req, _res, socketOf) => socketOf().destroy());
    const error = await failure(client.sipAdd(GROUP));
    expect([error.code, error.ambiguous]).toEqual(["CONNECTION", true]);
    expect(server.requests).toHaveLength(1);
  });

  it("a timeout is TIMEOUT and ambiguous; reads retry", async () => {
    server.setScript(() => {
      /* never answers */
    });
    const error = await failure(client.sipQuery({ appId: "app1", current: 1, size: 10 }));
    expect([error.code, error.ambiguous]).toEqual(["TIMEOUT", true]);
    expect(error.message).toContain("300 ms");
    expect(server.requests).toHaveLength(3);
  });

  it("a 302 to another origin is not followed: nothing is sent there", async () => {
    const elsewhere = await startScriptedServer((_req, res) => reply(res, "0"));
    try {
      server.setScript((_req, res) => {
        res.writeHead(302, { Location: `${elsewhere.url}/voice/sipAdd` });
        res.end();
      });
      const error = await failure(client.sipAdd(GROUP));
      expect([error.code, error.httpStatus, error.ambiguous]).toEqual(["HTTP_ERROR", 302, false]);
      expect(error.message).toMatch(/never followed/);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("connection refused: not sent, so even sipAdd may retry; ends as a definite failure", async () => {
    const gone = await startScriptedServer(() => undefined);
    await gone.close();
    const refused = new VoiceClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: gone.url,
      retryBaseDelayMs: 1,
    });
    const error = await failure(refused.sipAdd(GROUP));
    expect([error.code, error.ambiguous]).toEqual(["CONNECTION", false]);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("-16 with the local clock an hour slow: resyncs from Date once, then succeeds", async () => {
    server.setScript((req, res) => {
      const skew = Math.abs(Number(req.headers["timestamp"]) - Math.floor(Date.now() / 1000));
      if (skew > 300) return reply(res, "-16", null, "timestamp expired");
      reply(res, "0");
    });
    const slow = new VoiceClient({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      baseUrl: `${server.url}/voice`,
      now: () => Date.now() - 3_600_000,
    });
    await slow.sipAdd(GROUP);
    expect(server.requests).toHaveLength(2);
    expect(slow.clockOffsetMs).toBeGreaterThan(3_590_000);
    // The offset is kept: the next call is right first time.
    await slow.sipAdd({
      groupName: "grp2",
      phoneName: "phone2",
      quantity: 1,
      displayNum: "8610000000",
      appId: "app1",
    });
    expect(server.requests).toHaveLength(3);
  });

  it("-16 that persists after the resync fails with -16 after exactly two attempts", async () => {
    server.setScript((_req, res) => reply(res, "-16"));
    const error = await failure(client.sipQuery({ appId: "app1", current: 1, size: 10 }));
    expect(error.code).toBe("-16");
    expect(server.requests).toHaveLength(2);
  });

  it("never shows the secret when inspected or serialised", () => {
    const { inspect } = jest.requireActual<typeof import("node:util")>("node:util");
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_SECRET);
    expect(JSON.stringify(client)).not.toContain(API_SECRET);
  });
});

describe("VoiceClient options", () => {
  it.each([
    [{ apiKey: "", apiSecret: "s" }, "apiKey", /API key is missing/],
    [{ apiKey: "k", apiSecret: " " }, "apiSecret", /API secret is missing/],
    [{ apiKey: "k", apiSecret: "s", baseUrl: "ftp://x" }, "baseUrl", /http\(s\) URL/],
    [{ apiKey: "k", apiSecret: "s", baseUrl: "not a url" }, "baseUrl", /http\(s\) URL/],
    [{ apiKey: "k", apiSecret: "s", maxAttempts: 0 }, "maxAttempts", /at least 1/],
    [{ apiKey: "k", apiSecret: "s", maxConcurrency: 2.5 }, "maxConcurrency", /whole number/],
  ])("rejects %j naming the option %s, and nothing of Pulumi", (options, option, message) => {
    let thrown: unknown;
    try {
      new VoiceClient(options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(VoiceConfigurationError);
    expect(thrown).toBeInstanceOf(ItniotechError);
    const error = thrown as VoiceConfigurationError;
    expect([error.code, error.ambiguous, error.option]).toEqual(["CONFIGURATION", false, option]);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`option '${option}'`);
    // A user of VoiceClient alone is not told to run `pulumi config set`.
    expect(error.message).not.toMatch(/itniotech:|ITNIOTECH_|pulumi/i);
  });

  it("defaults to the production base URL", () => {
    expect(new VoiceClient({ apiKey: "k", apiSecret: "s" }).baseUrl).toBe("https://api.itniotech.com/voice");
  });
});
