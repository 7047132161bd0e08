import { signedHeaders, unixSeconds } from "../../protocol/signing";

export interface RawReply {
  httpStatus: number;
  status: string | undefined;
  reason: string | undefined;
  data: unknown;
  text: string;
}

/**
 * A signed POST that can send what VoiceClient never would: any body text, any
 * header values, a chosen timestamp.
 */
export async function post(
  baseUrl: string,
  endpoint: string,
  body: unknown,
  options: { apiKey?: string; apiSecret?: string; timestamp?: string; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  const timestamp = options.timestamp ?? unixSeconds();
  const headers = {
    "Content-Type": "application/json;charset=UTF-8",
    ...signedHeaders(options.apiKey ?? "demo-key", options.apiSecret ?? "demo-secret-change-me", timestamp),
    ...options.headers,
  };
  const response = await fetch(`${baseUrl}/${endpoint}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: { status?: string; reason?: string; data?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = {};
  }
  return {
    httpStatus: response.status,
    status: parsed.status,
    reason: parsed.reason,
    data: parsed.data,
    text,
  };
}
