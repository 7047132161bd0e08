import { signedHeaders, unixSeconds } from "../../protocol/signing";
import { startEmulator, type Emulator } from "../../emulator";
import { rawRequest } from "../helpers/raw";

// Operator endpoints have no signature: a web page must never reach them, neither
// by rebinding its DNS name to 127.0.0.1 nor by a cross-site "simple" request.
let emulator: Emulator;
let port: number;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  port = Number(new URL(emulator.url).port);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.reset();
  emulator.seedGroup({
    appId: "op",
    groupName: "op-group",
    phoneName: "opphone",
    quantity: 2,
    displayNum: "8610000000",
  });
});

const passwords = () => emulator.phones("op").map((p) => p.password);

describe("DNS rebinding: only loopback Host names", () => {
  it.each([
    "attacker.example",
    "attacker.example:80",
    "127.0.0.1.nip.io",
    "evil.test:8787",
    "user@127.0.0.1",
  ])("Host %j cannot read the passwords: 403", async (host) => {
    const reply = await rawRequest(emulator.url, "/_emulator/phones", { headers: { Host: host } });
    expect(reply.httpStatus).toBe(403);
    for (const password of passwords()) expect(reply.text).not.toContain(password);
  });

  it.each(["localhost", `localhost:${0}`, "127.0.0.1", "127.0.0.1:80", "[::1]:9", "app.localhost:3000"])(
    "Host %j is this machine: 200",
    async (host) => {
      const reply = await rawRequest(emulator.url, "/_emulator/phones", {
        headers: { Host: host.replace(":0", `:${port}`) },
      });
      expect(reply.httpStatus).toBe(200);
    },
  );

  it("the vendor API refuses another Host too while the emulator listens on loopback", async () => {
    // With the public demo pair a rebinding page could sign sipQuery itself.
    const headers = {
      Host: "attacker.example",
      "Content-Type": "application/json",
      ...signedHeaders("demo-key", "demo-secret-change-me", unixSeconds()),
    };
    const reply = await rawRequest(emulator.url, "/voice/sipQuery", {
      method: "POST",
      headers,
      body: JSON.stringify({ params: { appId: "op" } }),
    });
    expect(reply.httpStatus).toBe(403);
    for (const password of passwords()) expect(reply.text).not.toContain(password);
    const honest = await rawRequest(emulator.url, "/voice/sipQuery", {
      method: "POST",
      headers: { ...headers, Host: `localhost:${port}` },
      body: JSON.stringify({ params: { appId: "op" } }),
    });
    expect(JSON.parse(honest.text)).toMatchObject({ status: "0" });
  });
});

describe("cross-site requests: a foreign Origin is refused, POSTs must be JSON", () => {
  it("a form-like text/plain POST from another site cannot wipe the data", async () => {
    const before = passwords();
    const reply = await rawRequest(emulator.url, "/_emulator/reset", {
      method: "POST",
      headers: { Origin: "http://attacker.example", "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(reply.httpStatus).toBe(403);
    expect(passwords()).toEqual(before);
  });

  it("a text/plain POST from another site cannot arm a fault", async () => {
    const reply = await rawRequest(emulator.url, "/_emulator/faults", {
      method: "POST",
      headers: { Origin: "https://attacker.example", "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ kind: "drop" }),
    });
    expect(reply.httpStatus).toBe(403);
    expect(emulator.faults()).toEqual([]);
  });

  it.each([
    "null",
    "http://localhost:1",
    "http://127.0.0.1",
    "https://127.0.0.1:PORT",
    "http://attacker.example:PORT",
  ])("Origin %j is not this server: 403, even for a JSON POST", async (origin) => {
    const reply = await rawRequest(emulator.url, "/_emulator/faults", {
      method: "POST",
      headers: { Origin: origin.replace("PORT", String(port)), "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "drop" }),
    });
    expect(reply.httpStatus).toBe(403);
    expect(emulator.faults()).toEqual([]);
  });

  it("a GET with a foreign Origin is refused as well", async () => {
    const reply = await rawRequest(emulator.url, "/_emulator/phones", {
      headers: { Origin: "http://attacker.example" },
    });
    expect(reply.httpStatus).toBe(403);
  });

  it("an operator POST that is not JSON is refused with 415 and does nothing", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const reply = await rawRequest(emulator.url, "/_emulator/faults", {
        method: "POST",
        headers: { "Content-Type": type },
        body: JSON.stringify({ kind: "drop" }),
      });
      expect([type, reply.httpStatus]).toEqual([type, 415]);
      expect(reply.text).toMatch(/Content-Type: application\/json/);
    }
    const reset = await rawRequest(emulator.url, "/_emulator/reset", { method: "POST" });
    expect(reset.httpStatus).toBe(415);
    expect(emulator.faults()).toEqual([]);
    expect(passwords()).toHaveLength(2);
  });

  it("the server's own origin, or none, with JSON, is served", async () => {
    for (const headers of [
      { "Content-Type": "application/json", Origin: `http://127.0.0.1:${port}` },
      { "Content-Type": "application/json; charset=utf-8", Origin: `http://localhost:${port}` },
      { "Content-Type": "Application/JSON" },
    ]) {
      const reply = await rawRequest(emulator.url, "/_emulator/faults", {
        method: "POST",
        headers,
        body: JSON.stringify({ kind: "drop", times: 1 }),
      });
      expect(reply.httpStatus).toBe(200);
    }
    expect(emulator.faults()).toHaveLength(3);
  });
});
