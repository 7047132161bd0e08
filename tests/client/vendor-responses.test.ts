/**
 * The other direction of vendor conformance: VoiceClient reads every response
 * shape the vendor's pages show, and the variations a Java/JSON backend may
 * plausibly produce (docs/voice-api.md, "Client tolerance"). Where the vendor's
 * pages are beside the clone, their response examples are also served as they
 * are written there.
 */
import { VoiceApiError, VoiceClient } from "../../provider/client";
import { findVendorPages, readVendorPage, responseText } from "../helpers/vendorPages";
import { startScriptedServer } from "../helpers/scriptedServer";

type Server = Awaited<ReturnType<typeof startScriptedServer>>;
let server: Server;
let client: VoiceClient;
/** The next reply's body, written as is (pretty-printed like the pages, or not). */
let body = "";

beforeAll(async () => {
  server = await startScriptedServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json;charset=UTF-8" });
    res.end(body);
  });
  client = new VoiceClient({
    apiKey: "key",
    apiSecret: "secret",
    baseUrl: `${server.url}/voice`,
    maxAttempts: 1,
    timeoutMs: 5_000,
  });
});
afterAll(() => server.close());

const pretty = (value: unknown) => JSON.stringify(value, null, 4);
const GROUP = {
  appId: "4luaKsL2",
  groupName: "sipGroup",
  phoneName: "sip1",
  quantity: 30,
  displayNum: "861000000",
};

async function failure(promise: Promise<unknown>): Promise<VoiceApiError> {
  const error: unknown = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceApiError);
  return error as VoiceApiError;
}

describe("success replies", () => {
  it.each([
    ["the page's example", pretty({ status: "0", reason: "success", data: null })],
    ["compact", `{"status":"0","reason":"success","data":null}`],
    ["status as a number", `{"status":0,"reason":"success","data":null}`],
    [
      "data as an empty string (the page types it String, 'returns empty')",
      `{"status":"0","reason":"success","data":""}`,
    ],
    ["no data", `{"status":"0","reason":"success"}`],
    ["no reason", `{"status":"0","data":null}`],
    ["extra fields", `{"status":"0","reason":"success","data":null,"traceId":"a1"}`],
  ])("sipAdd reads %s", async (_what, text) => {
    body = text;
    await expect(client.sipAdd(GROUP)).resolves.toBeUndefined();
  });

  it.each([
    [
      "the page's example",
      pretty({ status: "0", reason: "success", data: { account: "account", password: "Zi6CsOka" } }),
    ],
    [
      "status as a number",
      `{"status":0,"reason":"success","data":{"account":"account","password":"Zi6CsOka"}}`,
    ],
    [
      "extra fields in data",
      `{"status":"0","reason":"success","data":{"account":"account","password":"Zi6CsOka","id":7}}`,
    ],
  ])("sipReset reads %s", async (_what, text) => {
    body = text;
    await expect(client.sipReset({ appId: "4luaKsL2", account: "account" })).resolves.toEqual({
      account: "account",
      password: "Zi6CsOka",
    });
  });

  const record = {
    groupName: "sipGroup",
    phoneName: "sip",
    account: "sip_001",
    password: "Zi6CsOka",
    displayNum: "861000000",
  };
  const page = { total: 31, size: 20, current: 1, pages: 2, records: [record] };
  it.each([
    ["the sipQuery page's example", page],
    ["displayNum as a number", { ...page, records: [{ ...record, displayNum: 861000000 }] }],
    [
      "extra fields in records",
      { ...page, records: [{ ...record, id: 1, createTime: "2021-09-01 12:00:00" }] },
    ],
    [
      "extra paging fields (a MyBatis-Plus page)",
      { ...page, orders: [], searchCount: true, optimizeCountSql: true },
    ],
  ])("sipQuery reads %s", async (_what, data) => {
    body = pretty({ status: "0", reason: "success", data });
    await expect(client.sipQuery({ appId: "4luaKsL2", current: 1, size: 20 })).resolves.toEqual(page);
  });
});

describe("failure replies", () => {
  it.each([
    ["status as a string, data null", `{"status":"-22","reason":"参数异常","data":null}`, "-22", "参数异常"],
    ["status as a number", `{"status":-20,"reason":"数据已存在","data":null}`, "-20", "数据已存在"],
    ["no reason", `{"status":"-23","data":null}`, "-23", ""],
    ["data not null", `{"status":"-24","reason":"数据不存在","data":{}}`, "-24", "数据不存在"],
    ["a code the pages do not list", `{"status":"-10","reason":"余额不足","data":null}`, "-10", "余额不足"],
  ])("%s: a status error with the vendor's code and reason", async (_what, text, code, reason) => {
    body = text;
    const error = await failure(client.sipReset({ appId: "4luaKsL2", account: "sip_001" }));
    expect([error.name, error.code, (error as VoiceApiError & { reason: string }).reason]).toEqual([
      "VoiceStatusError",
      code,
      reason,
    ]);
  });
});

describe("shapes not tolerated: a BAD_RESPONSE (ambiguous), never a wrong value", () => {
  const record = { groupName: "g", phoneName: "p", account: "p_001", password: "x", displayNum: "861000000" };
  it.each([
    ["paging numbers as strings", { total: "1", size: "20", current: "1", pages: "1", records: [record] }],
    [
      "a record without its password",
      { total: 1, size: 20, current: 1, pages: 1, records: [{ ...record, password: null }] },
    ],
    ["records that are not a list", { total: 1, size: 20, current: 1, pages: 1, records: null }],
  ])("sipQuery with %s", async (_what, data) => {
    body = JSON.stringify({ status: "0", reason: "success", data });
    const error = await failure(client.sipQuery({ appId: "a", current: 1, size: 20 }));
    expect([error.code, error.ambiguous]).toEqual(["BAD_RESPONSE", true]);
  });

  it.each([
    ["data null on success", `{"status":"0","reason":"success","data":null}`],
    ["no status", `{"reason":"success","data":{"account":"a","password":"b"}}`],
  ])("sipReset with %s", async (_what, text) => {
    body = text;
    const error = await failure(client.sipReset({ appId: "a", account: "sip_001" }));
    expect([error.code, error.ambiguous]).toEqual(["BAD_RESPONSE", true]);
  });
});

describe("the vendor pages' own response examples, served as written", () => {
  const pages = findVendorPages();
  const title = (what: string) => (pages.found ? what : `${what} (skipped here: ${pages.reason})`);
  // Reported as skipped, not passed, where the pages are absent (a clean clone).
  const withPages = pages.found ? it : it.skip;

  withPages(title("sipAdd's example reads as success, sipReset's as its account and password"), async () => {
    if (!pages.found) throw new Error(pages.reason);
    body = responseText(readVendorPage(pages.dir, "sipAdd"));
    await expect(client.sipAdd(GROUP)).resolves.toBeUndefined();
    body = responseText(readVendorPage(pages.dir, "sipReset"));
    const reset = await client.sipReset({ appId: "4luaKsL2", account: "account" });
    expect(reset).toEqual(JSON.parse(body).data);
    expect(reset.password).not.toBe("");
  });
});
