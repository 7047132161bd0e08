import type http from "node:http";

/** Request bodies above this are not kept: the API answers -22, the operator 400. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request body as read: its text, or the fact that it was too large to keep. */
export type ReadBody = { ok: true; text: string } | { ok: false; reason: "tooLarge" };

/** Reads a whole request body, keeping at most MAX_BODY_BYTES of it in memory. */
export function readBody(req: http.IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () =>
      resolve(
        size > MAX_BODY_BYTES
          ? { ok: false, reason: "tooLarge" }
          : { ok: true, text: Buffer.concat(chunks).toString("utf8") },
      ),
    );
  });
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

/**
 * The one place a request body's text becomes a value: parsed once per request
 * (the log's subject and the handler both need it).
 */
export function parseBody(text: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
