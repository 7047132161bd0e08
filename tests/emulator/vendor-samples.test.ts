/**
 * The requests the vendor's own sample clients send, pinned at the HTTP level so
 * this runs everywhere (tests/e2e/vendor-php-samples.test.ts runs the PHP samples
 * themselves where PHP and the vendor's pages exist). The PHP samples send
 * `quantity` as a JSON string and write their headers as `Name:value` lines; the
 * Java samples and the pages' JSON examples send it as a number. The table below
 * is the one in docs/voice-api.md ("Emulator conformance").
 */
import net from "node:net";
import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";
import { sign, unixSeconds } from "../../protocol/signing";
import { post } from "../helpers/raw";

let emulator: Emulator;
let n = 0;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.close());

/**
 * One HTTP/1.1 request written byte for byte, its header lines exactly as given,
 * so nothing (fetch, node:http) normalises them on the way.
 */
function rawHttp(
  endpoint: string,
  headerLines: string[],
  body: string,
): Promise<{ statusLine: string; json: { status: string; reason: string; data: unknown } }> {
  const { hostname, port } = new URL(emulator.url);
  const head = [
    `POST /voice/${endpoint} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    ...headerLines,
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
  ];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () =>
      socket.end(`${head.join("\r\n")}\r\n\r\n${body}`),
    );
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      try {
        resolve({
          statusLine: text.slice(0, text.indexOf("\r\n")),
          json: JSON.parse(text.slice(split + 4)) as { status: string; reason: string; data: unknown },
        });
      } catch (e) {
        reject(new Error(`not a JSON reply: ${text}`, { cause: e }));
      }
    });
  });
}

/** The header array of the PHP samples: `'Content-Type:application/json;charset=UTF-8',"Sign:$sign",…`. */
function phpHeaders(apiSecret: string = DEMO_CREDENTIALS.apiSecret): string[] {
  const timeStamp = unixSeconds();
  const apiKey = DEMO_CREDENTIALS.apiKey;
  return [
    "Content-Type:application/json;charset=UTF-8",
    `Sign:${sign(apiKey, apiSecret, timeStamp)}`,
    `Timestamp:${timeStamp}`,
    `Api-Key:${apiKey}`,
  ];
}

const fresh = () => ({
  groupName: `vendor-group-${++n}`,
  phoneName: `vendorphone${n}`,
  quantity: 3,
  displayNum: "861000000",
  appId: `vendorApp${n}`,
});

describe("requests as the vendor's PHP samples send them", () => {
  it("sipAdd with quantity as a JSON string and `Name:value` header lines creates the group", async () => {
    const group = fresh();
    // json_encode of the sample's $dataArr, in its order: every value a string.
    const body = JSON.stringify({ ...group, quantity: String(group.quantity) });
    expect(body).toContain(`"quantity":"3"`);
    const reply = await rawHttp("sipAdd", phpHeaders(), body);
    expect(reply.statusLine).toBe("HTTP/1.1 200 OK");
    expect(reply.json).toEqual({ status: "0", reason: "success", data: null });
    // Stored with the documented types: a number of phones, a string caller ID.
    expect(emulator.groups(group.appId)).toEqual([
      { groupName: group.groupName, phoneName: group.phoneName, displayNum: "861000000", quantity: 3 },
    ]);
  });

  it("sipReset returns the account and its new password", async () => {
    const group = fresh();
    const [phone] = emulator.seedGroup({ ...group, quantity: 1 });
    if (!phone) throw new Error("seedGroup returned no phones");
    const reply = await rawHttp(
      "sipReset",
      phpHeaders(),
      JSON.stringify({ account: phone.account, appId: group.appId }),
    );
    const now = emulator.phones(group.appId)[0];
    expect(reply.json).toEqual({
      status: "0",
      reason: "success",
      data: { account: phone.account, password: now?.password },
    });
    expect(now?.password).not.toBe(phone.password);
  });

  it("a wrong secret gets -1 and changes nothing", async () => {
    const group = fresh();
    const body = JSON.stringify({ ...group, quantity: String(group.quantity) });
    const reply = await rawHttp("sipAdd", phpHeaders("not-the-secret"), body);
    expect(reply.json).toEqual({ status: "-1", reason: "account authentication error", data: null });
    expect(emulator.groups(group.appId)).toEqual([]);
  });
});

describe("requests as the vendor's Java samples and JSON examples send them", () => {
  const javaHeaders = () => phpHeaders().map((line) => line.replace(":", ": ")); // HttpURLConnection writes "Name: value"

  it("quantity as a JSON number, `Name: value` header lines", async () => {
    const group = fresh();
    const reply = await rawHttp("sipAdd", javaHeaders(), JSON.stringify(group));
    expect(reply.json.status).toBe("0");
    expect(emulator.groups(group.appId)[0]?.quantity).toBe(3);
  });

  it('the sipAdd page\'s own example, `"phoneName": "sip"`, is -22: the documented 4-32 rule is kept', async () => {
    const group = { ...fresh(), phoneName: "sip" };
    const reply = await rawHttp("sipAdd", javaHeaders(), JSON.stringify(group));
    expect(reply.json).toEqual({
      status: "-22",
      reason: "parameter error: phoneName must be 4-32 characters long (got 3)",
      data: null,
    });
  });

  it.each([
    [
      "lower case",
      (line: string) => line.toLowerCase().replace(/^(sign|api-key):(.*)$/, (_m, k, v) => `${k}:${v}`),
    ],
    ["upper case names", (line: string) => line.replace(/^[^:]+/, (name) => name.toUpperCase())],
  ])("header names in %s are the same headers", async (_what, change) => {
    const group = fresh();
    const reply = await rawHttp("sipAdd", phpHeaders().map(change), JSON.stringify(group));
    expect(reply.json.status).toBe("0");
  });
});

/**
 * The coercion table: how each request field is read when it comes in another
 * JSON type than documented. Decided case by case; inferred from the vendor's
 * samples (see docs/voice-api.md).
 */
describe("scalar coercion (docs/voice-api.md, Emulator conformance)", () => {
  type Row = [field: string, value: unknown, status: "0" | "-22", stored?: unknown];
  const sipAdd: Row[] = [
    ["quantity", 3, "0", 3],
    ["quantity", "3", "0", 3],
    ["quantity", "03", "0", 3],
    ["quantity", "50", "0", 50],
    ["quantity", "0", "-22"],
    ["quantity", "51", "-22"],
    ["quantity", "99999999999999999999", "-22"],
    ["quantity", 1.5, "-22"],
    ["quantity", "1.5", "-22"],
    ["quantity", "3.0", "-22"],
    ["quantity", "", "-22"],
    ["quantity", " 3", "-22"],
    ["quantity", "3 ", "-22"],
    ["quantity", "+3", "-22"],
    ["quantity", "-3", "-22"],
    ["quantity", "3e0", "-22"],
    ["quantity", "0x3", "-22"],
    ["quantity", "three", "-22"],
    ["quantity", "３", "-22"], // a full-width digit
    ["quantity", true, "-22"],
    ["quantity", [3], "-22"],
    ["quantity", ["3"], "-22"],
    ["quantity", { value: 3 }, "-22"],
    ["quantity", null, "-22"],
    ["displayNum", "861000000", "0", "861000000"],
    ["displayNum", "0861000000", "0", "0861000000"],
    ["displayNum", 861000000, "0", "861000000"],
    ["displayNum", 8613800138000, "0", "8613800138000"],
    ["displayNum", 123456, "-22"],
    ["displayNum", 86138001380001, "-22"],
    ["displayNum", 861000000.5, "-22"],
    ["displayNum", -861000000, "-22"],
    ["displayNum", true, "-22"],
    ["displayNum", ["861000000"], "-22"],
    ["displayNum", { number: "861000000" }, "-22"],
    ["groupName", 12345678, "-22"],
    ["groupName", true, "-22"],
    ["groupName", ["group-name"], "-22"],
    ["phoneName", 12345678, "-22"],
    ["phoneName", { name: "phone-name" }, "-22"],
    ["appId", 12345678, "-22"],
    ["appId", ["app"], "-22"],
  ];

  // Rest parameters: with a fourth named one jest would pass `done` to the 3-column rows.
  it.each(sipAdd)("sipAdd %s=%j -> %s", async (...[field, value, status, stored]: Row) => {
    const group: Record<string, unknown> = { ...fresh(), [field]: value };
    const reply = await post(emulator.baseUrl, "sipAdd", group);
    expect(reply.status).toBe(status);
    if (status === "-22") {
      expect(reply.reason).toContain(field);
      return;
    }
    const [created] = emulator.groups(group["appId"] as string);
    expect(created?.[field as "quantity" | "displayNum"]).toEqual(stored);
  });

  it.each([
    ["account", 12345678, "-22"],
    ["account", ["vendorphone_001"], "-22"],
    ["appId", 12345678, "-22"],
    ["appId", { id: "app" }, "-22"],
  ])("sipReset %s=%j -> %s", async (field, value, status) => {
    const group = fresh();
    const [phone] = emulator.seedGroup({ ...group, quantity: 1 });
    const reply = await post(emulator.baseUrl, "sipReset", {
      account: phone?.account,
      appId: group.appId,
      [field]: value,
    });
    expect([reply.status, reply.reason]).toEqual([status, expect.stringContaining(field)]);
  });

  it.each([
    [{ current: "1", size: "2" }, "0", { current: 1, size: 2 }],
    [{ current: 1, size: 2 }, "0", { current: 1, size: 2 }],
    [{ current: "2" }, "0", { current: 2, size: 25 }],
    [{ size: "1.5" }, "-22", undefined],
    [{ current: "one" }, "-22", undefined],
    [{ size: ["2"] }, "-22", undefined],
    [{ size: "101" }, "-22", undefined],
  ])("sipQuery %j -> %s, the page's numbers as numbers", async (paging, status, page) => {
    const group = fresh();
    emulator.seedGroup({ ...group, quantity: 3 });
    const reply = await post(emulator.baseUrl, "sipQuery", { ...paging, params: { appId: group.appId } });
    expect(reply.status).toBe(status);
    if (page) expect(reply.data).toMatchObject({ ...page, total: 3 });
  });
});
