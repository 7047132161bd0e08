/**
 * Several accounts on one emulator: a credential that lists its applications
 * (`appIds`) owns them, as the vendor's console gives each account its own. Another
 * key sees such an application as one that does not exist.
 */
import { DEMO_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { parseCredentialFlag } from "../../emulator/options";
import { post } from "../helpers/raw";

const SALES = { apiKey: "sales-key", apiSecret: "sales-secret-1", appIds: ["sales-app", "shared-name"] };
const SUPPORT = { apiKey: "support-key", apiSecret: "support-secret-2", appIds: ["support-app"] };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [SALES, SUPPORT, DEMO_CREDENTIALS] });
});
afterAll(() => emulator.close());

const group = (appId: string, n: string) => ({
  appId,
  groupName: `group-${n}`,
  phoneName: `phone${n}`,
  quantity: 2,
  displayNum: "8610000000",
});
const query = (appId: string) => ({ size: 100, params: { appId } });

it("an account uses its own applications; to another key they answer as applications that do not exist", async () => {
  expect((await post(emulator.baseUrl, "sipAdd", group("sales-app", "a"), SALES)).status).toBe("0");
  const own = await post(emulator.baseUrl, "sipQuery", query("sales-app"), SALES);
  expect((own.data as { total: number }).total).toBe(2);

  // Another account: nothing listed, no reset, no add — and nothing changed.
  const listed = await post(emulator.baseUrl, "sipQuery", query("sales-app"), SUPPORT);
  expect(listed.status).toBe("0");
  expect(listed.data).toMatchObject({ total: 0, records: [] });
  expect(listed.text).not.toContain("phonea_001");
  const reset = await post(
    emulator.baseUrl,
    "sipReset",
    { appId: "sales-app", account: "phonea_001" },
    SUPPORT,
  );
  expect([reset.status, reset.reason]).toEqual(["-24", "data does not exist: account phonea_001"]);
  const added = await post(emulator.baseUrl, "sipAdd", group("sales-app", "b"), SUPPORT);
  expect([added.status, added.reason]).toEqual(["-22", "parameter error: appId: no such application"]);
  expect(emulator.phones("sales-app").map((p) => p.groupName)).toEqual(["group-a", "group-a"]);
});

it("a key that lists no applications uses every application no key lists, and none that one does", async () => {
  expect((await post(emulator.baseUrl, "sipAdd", group("open-app", "c"))).status).toBe("0");
  expect((await post(emulator.baseUrl, "sipQuery", query("open-app"))).data).toMatchObject({ total: 2 });
  expect((await post(emulator.baseUrl, "sipQuery", query("sales-app"))).data).toMatchObject({ total: 0 });
  // ...and a key that lists some cannot use the open ones.
  expect((await post(emulator.baseUrl, "sipQuery", query("open-app"), SUPPORT)).data).toMatchObject({
    total: 0,
  });
});

it("the request log says which key made each call, never a secret", async () => {
  const before = emulator.requests().length;
  await post(emulator.baseUrl, "sipQuery", query("support-app"), SUPPORT);
  await post(emulator.baseUrl, "sipQuery", query("sales-app"), SALES);
  await post(emulator.baseUrl, "sipQuery", query("x"), { apiKey: "unknown-key-text" });
  const lines = emulator.requests().slice(before);
  expect(lines.map((l) => l.apiKey)).toEqual(["support-key", "sales-key", undefined]);
  expect(JSON.stringify(lines)).not.toMatch(/secret-|unknown-key-text/);
});

it.each<[string, EmulatorOptions, RegExp]>([
  [
    "an application listed by two keys",
    {
      credentials: [
        { apiKey: "a", apiSecret: "s", appIds: ["x"] },
        { apiKey: "b", apiSecret: "t", appIds: ["x"] },
      ],
    },
    /appId "x" is listed by two credentials/,
  ],
  [
    "appIds that are not a list of ids",
    { credentials: [{ apiKey: "a", apiSecret: "s", appIds: [" "] }] },
    /appIds of "a" must be an array of non-blank application ids/,
  ],
])("%s is refused with a readable error", async (_what, options, message) => {
  await expect(startEmulator({ port: 0, ...options })).rejects.toThrow(message);
});

describe("the command line's --credential <apiKey>:<apiSecret>[:<appId>,…]", () => {
  it.each<[string, object]>([
    ["k:s", { apiKey: "k", apiSecret: "s" }],
    ["k:s:app-a", { apiKey: "k", apiSecret: "s", appIds: ["app-a"] }],
    ["k:s:app-a,app-b", { apiKey: "k", apiSecret: "s", appIds: ["app-a", "app-b"] }],
  ])("%s", (text, credential) => {
    expect(parseCredentialFlag(text)).toEqual(credential);
  });

  it.each(["k", "k:", ":s", "k:s:", "k:s:a:b", "k:s:a,,b"])(
    "%j is refused, never quoting the secret",
    (text) => {
      expect(() => parseCredentialFlag(text)).toThrow(/--credential/);
      try {
        parseCredentialFlag(text);
      } catch (e) {
        if (text.startsWith("k:s")) expect((e as Error).message).not.toContain("k:s");
      }
    },
  );
});
