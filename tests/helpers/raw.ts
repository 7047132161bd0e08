import http from "node:http";
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

/** A POST to an operator endpoint, as the operator sends it: JSON. */
export function operatorPost(url: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}/_emulator/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/**
 * A request through node:http, which sends what fetch will not: any `Host`,
 * any `Origin`, any method and body, on a fresh connection.
 */
export function rawRequest(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ httpStatus: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method: options.method ?? "GET", headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            httpStatus: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
