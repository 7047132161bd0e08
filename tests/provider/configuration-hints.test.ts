/**
 * Issue 18: the client speaks of its own options; the provider's configuration
 * turns its errors into the stack config key and environment variable to set.
 */
import { ItniotechError, VoiceConfigurationError } from "../../provider/client";
import { apiClient, configure, resetConfiguration } from "../../provider/config";
import { configLookup } from "../helpers/config";

const ENV = ["ITNIOTECH_API_KEY", "ITNIOTECH_API_SECRET", "ITNIOTECH_BASE_URL"] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
beforeEach(() => ENV.forEach((name) => delete process.env[name]));
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
});
afterEach(() => resetConfiguration());

function errorFor(config: Record<string, string>): Promise<VoiceConfigurationError> {
  return configure({ config: configLookup(config) }).then(() => {
    try {
      apiClient();
    } catch (e) {
      expect(e).toBeInstanceOf(VoiceConfigurationError);
      expect(e).toBeInstanceOf(ItniotechError);
      return e as VoiceConfigurationError;
    }
    throw new Error("expected a configuration error");
  });
}

it.each([
  [
    { "itniotech:apiSecret": "s" },
    /API key is missing: set the stack config 'itniotech:apiKey' \(`pulumi config set itniotech:apiKey <value>`\) or the environment variable ITNIOTECH_API_KEY\./,
  ],
  [
    { "itniotech:apiKey": "k" },
    /API secret is missing: set .*`pulumi config set --secret itniotech:apiSecret <value>`.*ITNIOTECH_API_SECRET/,
  ],
  [
    {
      "itniotech:apiKey": "k",
      "itniotech:apiSecret": "s",
      "itniotech:baseUrl": "https://h.example/voice?token=abc",
    },
    /query string or fragment: check the stack config 'itniotech:baseUrl' or the environment variable ITNIOTECH_BASE_URL/,
  ],
  [
    {
      "itniotech:apiKey": "k",
      "itniotech:apiSecret": "s",
      "itniotech:baseUrl": "https://u:p@h.example/voice",
    },
    /must not contain credentials: check the stack config 'itniotech:baseUrl'/,
  ],
  [
    { "itniotech:apiKey": "k", "itniotech:apiSecret": "s", "itniotech:baseUrl": "ftp://h.example" },
    /http\(s\) URL .*'itniotech:baseUrl'.*ITNIOTECH_BASE_URL/,
  ],
  [
    // Plain http:// to another host: the passwords in replies would travel in clear text.
    {
      "itniotech:apiKey": "k",
      "itniotech:apiSecret": "s",
      "itniotech:baseUrl": "http://api.example.com/voice",
    },
    /^The Itniotech base URL must use https:\/\/ for api\.example\.com: over plain http:\/\/ the passwords in sipQuery and sipReset replies cross the network in clear text.*allowInsecureHttp is the stack config 'itniotech:allowInsecureHttp' or ITNIOTECH_ALLOW_INSECURE_HTTP=true\): check the stack config 'itniotech:baseUrl' or the environment variable ITNIOTECH_BASE_URL\.$/,
  ],
  [
    { "itniotech:apiKey": "k", "itniotech:apiSecret": "s", "itniotech:allowInsecureHttp": "yes" },
    /'itniotech:allowInsecureHttp' \(or ITNIOTECH_ALLOW_INSECURE_HTTP\) must be true or false; got 'yes'/,
  ],
])("%j: the error names the stack config key and environment variable", async (config, message) => {
  const error = await errorFor(config);
  expect([error.code, error.ambiguous]).toEqual(["CONFIGURATION", false]);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain("token=abc");
  expect(error.message).not.toContain("u:p@");
});

describe("plain http:// is refused to any host but this machine, unless allowed explicitly", () => {
  const base = { "itniotech:apiKey": "k", "itniotech:apiSecret": "s" };
  const clientWith = async (config: Record<string, string>, account?: string) => {
    await configure({ config: configLookup({ ...base, ...config }) });
    return apiClient(account);
  };

  it.each([
    "http://127.0.0.1:8787/voice",
    "http://127.1.2.3/voice",
    "http://localhost:9/voice",
    "http://[::1]:9/voice",
  ])("%s (this machine: the emulator) is allowed", async (baseUrl) => {
    expect((await clientWith({ "itniotech:baseUrl": baseUrl })).baseUrl).toBe(baseUrl);
  });

  it("another host over http:// is allowed with itniotech:allowInsecureHttp true", async () => {
    const baseUrl = "http://10.1.2.3/voice";
    expect(
      (await clientWith({ "itniotech:baseUrl": baseUrl, "itniotech:allowInsecureHttp": "true" })).baseUrl,
    ).toBe(baseUrl);
  });

  it("an entry of itniotech:accounts with an http:// baseUrl is refused, naming the entry's key", async () => {
    const accounts = JSON.stringify({
      eu: { apiKey: "k", apiSecret: "s", baseUrl: "http://10.1.2.3/voice" },
    });
    await expect(clientWith({ "itniotech:accounts": accounts }, "eu")).rejects.toThrow(
      /must use https:\/\/ for 10\.1\.2\.3.*: check the stack config 'itniotech:accounts\.eu\.baseUrl'\.$/,
    );
    // The default credentials (https by default) are not affected.
    expect((await clientWith({ "itniotech:accounts": accounts })).baseUrl).toBe(
      "https://api.itniotech.com/voice",
    );
  });
});
