import type http from "node:http";
import { Status } from "../protocol/status";
import type { RuleFailure } from "../protocol/rules";

/** The vendor's reply envelope. */
export interface Reply {
  status: string;
  reason: string;
  data: unknown;
}

/** The error factory: every reply the emulator gives, in the vendor's terms. */
export const reply = {
  ok: (data: unknown = null): Reply => ({ status: Status.OK, reason: "success", data }),
  fail: (status: string, reason: string): Reply => ({ status, reason, data: null }),
  invalid: (failures: RuleFailure[]): Reply =>
    reply.fail(
      Status.PARAMETER,
      `parameter error: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`,
    ),
  auth: (status: string): Reply => reply.fail(status, AUTH_REASONS[status] ?? "failed"),
};

const AUTH_REASONS: Record<string, string> = {
  [Status.AUTH]: "account authentication error",
  [Status.IP_RESTRICTED]: "IP restriction",
  [Status.TIMESTAMP_EXPIRED]: "timestamp expired",
};

export const JSON_TYPE = "application/json;charset=UTF-8";

/** Writes a whole reply with its length; the only way the emulator answers. */
export function send(
  res: http.ServerResponse,
  status: number,
  text: string,
  contentType = JSON_TYPE,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
