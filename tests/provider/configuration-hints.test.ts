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
])("%j: the error names the stack config key and environment variable", async (config, message) => {
  const error = await errorFor(config);
  expect([error.code, error.ambiguous]).toEqual(["CONFIGURATION", false]);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain("token=abc");
  expect(error.message).not.toContain("u:p@");
});
