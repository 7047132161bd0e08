/**
 * Issue 11, client side: a server that misbehaves on purpose (or a broken gateway)
 * must not keep an attempt alive past its deadline, make a listing page without
 * end, or get anything of ours quoted back into an error message.
 */
import {
  MAX_PAGES,
  MAX_REPLY_BYTES,
  PAGE_SIZE,
  type VoiceApiError,
  VoiceClient,
} from "../../provider/client";
import {
  MAX_PASSWORD_LENGTH,
  MAX_REMEMBERED_CHARACTERS,
  MAX_REMEMBERED_SECRETS,
  Redactor,
} from "../../provider/client/redact";
import type { PhoneRecord } from "../../protocol/types";
import { apiFailure } from "../helpers/failure";
import { reply, scriptedServerPerSuite } from "../helpers/scriptedServer";

const API_KEY = "hostile-key";
const API_SECRET = "hostile-SECRET-5d1c9";
const PASSWORD = "SeenPw4711";

function record(n: number, password = `pw${n}xyz`): PhoneRecord {
  return {
    groupName: "grp1",
    phoneName: "phone",
    account: `phone_${String(n).padStart(5, "0")}`,
    password,
    displayNum: "8610000000",
  };
}

async function all(client: VoiceClient, appId = "app1"): Promise<PhoneRecord[]> {
  const seen: PhoneRecord[] = [];
  for await (const phone of client.phones(appId)) seen.push(phone);
  return seen;
}

const server = scriptedServerPerSuite();

function client(options: Partial<ConstructorParameters<typeof VoiceClient>[0]> = {}): VoiceClient {
  return new VoiceClient({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    baseUrl: `${server.url}/voice`,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
    ...options,
  });
}

describe("an attempt's deadline is wall-clock", () => {
  it("a body dripped one byte at a time is cut off at the deadline, the request aborted", async () => {
    const body = JSON.stringify({ status: "0", reason: "success", data: null });
    let connectionEnded!: (cutShort: boolean) => void;
    const cutShort = new Promise<boolean>((resolve) => (connectionEnded = resolve));
    server.setScript((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(body.length) });
      let sent = 0;
      // One byte every 40 ms (2 s in all): the socket is never idle long enough for an idle timer.
      const timer = setInterval(() => {
        if (sent < body.length) res.write(body[sent++]);
        else res.end();
      }, 40);
      res.on("close", () => {
        clearInterval(timer);
        connectionEnded(sent < body.length);
      });
    });
    const error = await apiFailure(client({ timeoutMs: 300, maxAttempts: 1 }).sipAdd(GROUP));
    expect([error.code, error.ambiguous]).toEqual(["TIMEOUT", true]);
    // The client hung up: the server never got to send the whole body.
    expect(await cutShort).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

const GROUP = { groupName: "grp1", phoneName: "phone", quantity: 1, displayNum: "8610000000", appId: "app1" };

describe("paging is bounded", () => {
  /** After this many requests the server gives up, so an unbounded client ends too. */
  const RUNAWAY = 400;

  function runaway(page: (current: number, size: number) => object): void {
    server.setScript((req, res) => {
      if (server.requests.length > RUNAWAY) return reply(res, "-22", null, "runaway client");
      const { current, size } = JSON.parse(req.body) as { current: number; size: number };
      reply(res, "0", page(current, size));
    });
  }

  it("pages: 2^53-1 with a small total reads ⌈total/size⌉ pages only", async () => {
    const records = Array.from({ length: 150 }, (_, i) => record(i + 1));
    runaway((current, size) => ({
      total: 150,
      size,
      current,
      pages: Number.MAX_SAFE_INTEGER,
      records: records.slice((current - 1) * size, current * size),
    }));
    expect((await all(client())).map((r) => r.account)).toEqual(records.map((r) => r.account));
    expect(server.requests).toHaveLength(2);
  });

  it("a first page that claims more pages than the cap fails at once with BAD_RESPONSE", async () => {
    runaway((current, size) => ({
      total: Number.MAX_SAFE_INTEGER,
      size,
      current,
      pages: Number.MAX_SAFE_INTEGER,
      records: Array.from({ length: size }, (_, i) => record((current - 1) * size + i + 1)),
    }));
    const error = await apiFailure(all(client()));
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.message).toMatch(/sipQuery.*1000 pages/);
    expect(server.requests).toHaveLength(1);
  });

  it("the same full page repeated for every page number fails with BAD_RESPONSE, bounded", async () => {
    const page = Array.from({ length: 100 }, (_, i) => record(i + 1));
    runaway((current, size) => ({ total: 100_000, size, current, pages: 1000, records: page }));
    const error = await apiFailure(all(client()));
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.message).toMatch(/repeats/);
    expect(server.requests.length).toBeLessThanOrEqual(1000);
  });

  it("a page with more records than its size is BAD_RESPONSE", async () => {
    runaway((current) => ({
      total: 10,
      size: 100,
      current,
      pages: 1,
      records: Array.from({ length: 101 }, (_, i) => record(i + 1)),
    }));
    const error = await apiFailure(all(client()));
    expect(error.code).toBe("BAD_RESPONSE");
  });
});

describe("a reply is bounded", () => {
  it(`a body over MAX_REPLY_BYTES (${MAX_REPLY_BYTES} bytes) is BAD_RESPONSE, never parsed`, async () => {
    const padding = "x".repeat(MAX_REPLY_BYTES);
    server.setScript((_req, res) => reply(res, "-22", null, padding));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.message).toMatch(/could not be read/);
  });

  it("a body just under it is read", async () => {
    const padding = "x".repeat(MAX_REPLY_BYTES - 1000);
    server.setScript((_req, res) => reply(res, "-22", null, padding));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect(error.code).toBe("-22");
  });
});

describe("the base URL is validated", () => {
  it.each([
    "https://api.example.com/voice?token=abc",
    "https://api.example.com/voice?",
    "https://api.example.com/voice#frag",
    "https://api.example.com/voice#",
  ])("%s is refused as a configuration error, not silently mangled", (baseUrl) => {
    let thrown: unknown;
    try {
      new VoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: "CONFIGURATION", ambiguous: false });
    expect((thrown as Error).message).toMatch(/query string or fragment/);
    expect((thrown as Error).message).not.toContain("token=abc");
  });
});

describe("nothing from the server is trusted into messages", () => {
  function leaks(e: VoiceApiError, secrets: readonly string[]): string[] {
    const texts = [e.message, String(e), JSON.stringify(e), e.stack ?? "", String(Object(e).reason ?? "")];
    return secrets.filter((s) => texts.some((t) => t.includes(s)));
  }

  it("a gateway that echoes the request's Sign, the secret and a known password in reason: all redacted", async () => {
    const voice = client({ maxAttempts: 1 });
    // The client has read this password before, so it knows it is one.
    server.setScript((_req, res) =>
      reply(res, "0", { total: 1, size: 100, current: 1, pages: 1, records: [record(1, PASSWORD)] }),
    );
    await all(voice);
    server.setScript((req, res) =>
      reply(
        res,
        "-22",
        null,
        `bad request; headers Sign=${String(req.headers["sign"])} secret ${API_SECRET} last ${PASSWORD}.`,
      ),
    );
    const error = await apiFailure(voice.sipReset({ appId: "app1", account: "phone_00001" }));
    const sign = String(server.requests.at(-1)?.headers["sign"]);
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
    expect(leaks(error, [sign, API_SECRET, PASSWORD])).toEqual([]);
    expect(error.message).toContain("bad request; headers Sign=[redacted]");
  });

  it("a password the client received in a reset is redacted from later reasons", async () => {
    const voice = client({ maxAttempts: 1 });
    server.setScript((_req, res) => reply(res, "0", { account: "phone_00001", password: "Fresh9988" }));
    await voice.sipReset({ appId: "app1", account: "phone_00001" });
    server.setScript((_req, res) => reply(res, "-18", null, "could not store Fresh9988"));
    const error = await apiFailure(voice.sipReset({ appId: "app1", account: "phone_00001" }));
    expect(leaks(error, ["Fresh9988"])).toEqual([]);
  });

  it("a secret straddling the length cap is not shown in part", async () => {
    const reason = `${"x".repeat(190)}${API_SECRET}`;
    server.setScript((_req, res) => reply(res, "-22", null, reason));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect(error.message).not.toContain(API_SECRET.slice(0, 8));
  });

  it("the quoted reason is capped at 200 characters", async () => {
    server.setScript((_req, res) => reply(res, "-22", null, "y".repeat(100_000)));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect((error as VoiceApiError & { reason: string }).reason.length).toBeLessThanOrEqual(201);
    expect(error.message.length).toBeLessThan(400);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "status %j is an unknown status, a definite rejection",
    async (status) => {
      server.setScript((_req, res) => reply(res, status, null, "odd"));
      const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
      expect(error.code).toBe(status);
      expect(error.ambiguous).toBe(false);
      expect(error.message).toContain(`status ${status} (unknown status)`);
      expect(error.message).not.toContain("undefined");
    },
  );

  it("a password equal to a status code does not change what that status means", async () => {
    const voice = client({ maxAttempts: 1 });
    server.setScript((_req, res) =>
      reply(res, "0", { total: 1, size: 100, current: 1, pages: 1, records: [record(1, "-22")] }),
    );
    await all(voice);
    server.setScript((_req, res) => reply(res, "-22", null, "parameter error"));
    const error = await apiFailure(voice.sipReset({ appId: "app1", account: "phone_00001" }));
    expect([error.code, error.ambiguous]).toEqual(["-22", false]);
  });

  it.each([
    ["-123456789012345", "a status"],
    ["-1234567890123456", "BAD_RESPONSE"],
  ])("a status of 16 characters is a code, of 17 is not: %s", async (status, outcome) => {
    server.setScript((_req, res) => reply(res, status, null, "odd"));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect(error.code).toBe(outcome === "a status" ? status : "BAD_RESPONSE");
  });

  it("a status too long to be a code is BAD_RESPONSE and is not quoted", async () => {
    server.setScript((req, res) => reply(res, `-${String(req.headers["sign"])}`, null, "odd"));
    const error = await apiFailure(client({ maxAttempts: 1 }).sipAdd(GROUP));
    expect(error.code).toBe("BAD_RESPONSE");
    expect(error.message).not.toContain(String(server.requests.at(-1)?.headers["sign"]));
  });
});

describe("passwords remembered for redaction", () => {
  it(`a password longer than ${MAX_PASSWORD_LENGTH} characters makes the reply BAD_RESPONSE, never quoted`, async () => {
    const absurd = `Absurd${"x".repeat(MAX_PASSWORD_LENGTH)}`;
    server.setScript((_req, res) =>
      reply(res, "0", { total: 1, size: 100, current: 1, pages: 1, records: [record(1, absurd)] }),
    );
    const listing = await apiFailure(
      client({ maxAttempts: 1 }).sipQuery({ appId: "app1", current: 1, size: 100 }),
    );
    expect(listing.code).toBe("BAD_RESPONSE");
    expect(listing.message).not.toContain(absurd.slice(0, 20));
    server.setScript((_req, res) => reply(res, "0", { account: "phone_00001", password: absurd }));
    const reset = await apiFailure(
      client({ maxAttempts: 1 }).sipReset({ appId: "app1", account: "phone_00001" }),
    );
    expect(reset.code).toBe("BAD_RESPONSE");
    expect(reset.message).not.toContain(absurd.slice(0, 20));
    // The longest accepted is remembered and redacted.
    const longest = `Pw${"y".repeat(MAX_PASSWORD_LENGTH - 2)}`;
    const redactor = new Redactor([]);
    redactor.remember(longest);
    expect(redactor.quote(`reason: ${longest}`, 300)).toBe("reason: [redacted]");
  });

  it(`what it remembers is bounded in characters (${MAX_REMEMBERED_CHARACTERS}) and in distinct lengths (${MAX_PASSWORD_LENGTH}), whatever the vendor lists`, () => {
    const redactor = new Redactor([]);
    // 2,000 distinct lengths, as a hostile listing could hold: only those a reply can carry count.
    for (let length = 1; length <= 2_000; length++) redactor.remember("z".repeat(length));
    expect(redactor.size.lengths).toBe(MAX_PASSWORD_LENGTH);
    // Passwords of the longest accepted length until far past the character bound.
    const many = Math.ceil((2 * MAX_REMEMBERED_CHARACTERS) / MAX_PASSWORD_LENGTH);
    const password = (i: number) => `${String(i).padStart(10, "0")}${"p".repeat(MAX_PASSWORD_LENGTH - 10)}`;
    for (let i = 0; i < many; i++) redactor.remember(password(i));
    expect(redactor.size.characters).toBeLessThanOrEqual(MAX_REMEMBERED_CHARACTERS);
    // The newest are still redacted, the oldest forgotten first.
    expect(redactor.quote(password(many - 1), 500)).toBe("[redacted]");
    expect(redactor.quote(password(0), 500)).toBe(password(0));
  });

  it("as many as the largest listing holds, the oldest forgotten first", () => {
    expect(MAX_REMEMBERED_SECRETS).toBe(MAX_PAGES * PAGE_SIZE);
    const redactor = new Redactor(["fixed-secret"], 3);
    for (const password of ["pwOne111", "pwTwo222", "pwThree3"]) redactor.remember(password);
    redactor.remember("pwOne111"); // used again: now the most recent
    redactor.remember("pwFour44"); // one too many: pwTwo222, the oldest, goes
    const quoted = redactor.quote("pwOne111 pwTwo222 pwThree3 pwFour44 fixed-secret", 200);
    expect(quoted).toBe("[redacted] pwTwo222 [redacted] [redacted] [redacted]");
  });
});
