/**
 * Issue 18: the client knows nothing of Pulumi, and one root error class sits
 * above the API errors and the configuration error (as OpenAIError in openai-node).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseReply } from "../../provider/client/errors";
import {
  ErrorCode,
  ItniotechError,
  type ItniotechErrorCode,
  VoiceApiError,
  VoiceBadResponseError,
  VoiceConfigurationError,
  VoiceConnectionError,
  VoiceHttpError,
  VoiceStatusError,
  VoiceTimeoutError,
} from "../../provider/client";

const CLIENT_DIR = path.join(__dirname, "..", "..", "provider", "client");

it.each(readdirSync(CLIENT_DIR).filter((f) => f.endsWith(".ts")))(
  "provider/client/%s names no Pulumi config key, environment variable or Pulumi import",
  (file) => {
    const text = readFileSync(path.join(CLIENT_DIR, file), "utf8");
    expect(text).not.toMatch(/itniotech:(apiKey|apiSecret|baseUrl|concurrency|timeoutMs)/);
    expect(text).not.toMatch(/ITNIOTECH_[A-Z_]+/);
    expect(text).not.toMatch(/@pulumi\/|pulumi config/);
  },
);

it.each([
  ["VoiceStatusError", new VoiceStatusError("sipAdd", "-20", "exists"), "-20", false],
  ["VoiceTimeoutError", new VoiceTimeoutError("sipReset", 1000), ErrorCode.TIMEOUT, true],
  [
    "VoiceConnectionError",
    new VoiceConnectionError("sipQuery", "ECONNRESET", true),
    ErrorCode.CONNECTION,
    true,
  ],
  ["VoiceHttpError", new VoiceHttpError("sipQuery", 404), ErrorCode.HTTP_ERROR, false],
  ["VoiceBadResponseError", new VoiceBadResponseError("sipAdd", "not JSON"), ErrorCode.BAD_RESPONSE, true],
])("%s is an ItniotechError and a VoiceApiError with code and ambiguous", (name, error, code, ambiguous) => {
  expect(error).toBeInstanceOf(Error);
  expect(error).toBeInstanceOf(ItniotechError);
  expect(error).toBeInstanceOf(VoiceApiError);
  expect([error.name, error.code, error.ambiguous]).toEqual([name, code, ambiguous]);
});

it("the configuration error is an ItniotechError with its own code, not an API failure", () => {
  const error = new VoiceConfigurationError("The Itniotech API key is missing", {
    option: "apiKey",
    missing: true,
  });
  expect(error).toBeInstanceOf(ItniotechError);
  expect(error).not.toBeInstanceOf(VoiceApiError);
  const code: ItniotechErrorCode = ErrorCode.CONFIGURATION;
  expect([error.name, error.code, error.ambiguous, error.option, error.missing]).toEqual([
    "VoiceConfigurationError",
    code,
    false,
    "apiKey",
    true,
  ]);
  expect(JSON.parse(JSON.stringify(error))).toEqual({
    name: "VoiceConfigurationError",
    code: "CONFIGURATION",
    ambiguous: false,
    message: "The Itniotech API key is missing (VoiceClient option 'apiKey').",
  });
});

it.each([
  [429, 2_000],
  [503, 2_000],
  [500, undefined],
  [404, undefined],
])("HTTP %i keeps a Retry-After only where it means something (%p)", (status, kept) => {
  const reply = parseReply("sipQuery", status, "", undefined, 2_000);
  if (reply.ok) throw new Error("expected a failure");
  expect(reply.error).toBeInstanceOf(VoiceHttpError);
  expect((reply.error as VoiceHttpError).retryAfterMs).toBe(kept);
});
