import type http from "node:http";

/** Bounds on what request bodies may cost; each is documented in docs/RELIABILITY.md. */
export const BODY_LIMITS = Object.freeze({
  /** One body above this is not kept: the API answers -22, the operator 413. */
  maxBodyBytes: 1024 * 1024,
  /**
   * Bytes of request bodies held at once, over every connection, from the first
   * byte until the reply is gone. With 1,024 connections of 1 MiB each the
   * emulator would otherwise hold 1 GiB for callers that never authenticate.
   */
  maxHeldBodyBytes: 64 * 1024 * 1024,
  /**
   * Nesting depth of any JSON body. The deepest legitimate one is 2 (sipQuery's
   * `params`, a list of faults); deeper bodies are refused before they are parsed,
   * so nothing the emulator keeps can make `JSON.stringify` overflow the stack.
   */
  maxJsonDepth: 32,
});

/** A request body as read: its text, or why it was not kept. */
export type ReadBody = { ok: true; text: string } | { ok: false; reason: "tooLarge" | "busy" };

/**
 * The bytes of request bodies held at once. A body counts from its first byte
 * until its reply is gone (`res` closes), since the handler holds its text that long.
 */
export class BodyBudget {
  #held = 0;

  constructor(private readonly limit = BODY_LIMITS.maxHeldBodyBytes) {}

  get held(): number {
    return this.#held;
  }

  /** Reads a whole request body, keeping at most one body's and the budget's worth in memory. */
  read(req: http.IncomingMessage, res: http.ServerResponse): Promise<ReadBody> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let charged = 0;
      let refused: "tooLarge" | "busy" | undefined;
      let gone = false;
      res.once("close", () => {
        gone = true;
        this.#held -= charged;
        charged = 0;
      });
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (refused || gone) return;
        if (size > BODY_LIMITS.maxBodyBytes) refused = "tooLarge";
        else if (this.#held + chunk.length > this.limit) refused = "busy";
        if (refused) {
          // Keep reading (to answer on this connection) but hold nothing more.
          chunks.length = 0;
          this.#held -= charged;
          charged = 0;
          return;
        }
        chunks.push(chunk);
        charged += chunk.length;
        this.#held += chunk.length;
      });
      req.on("end", () =>
        resolve(
          refused
            ? { ok: false, reason: refused }
            : { ok: true, text: Buffer.concat(chunks).toString("utf8") },
        ),
      );
    });
  }
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * The one place a request body's text becomes a value: parsed once per request
 * (the log's subject and the handler both need it), never deeper than
 * `maxJsonDepth`.
 */
export function parseBody(text: string, maxDepth = BODY_LIMITS.maxJsonDepth): ParsedBody {
  if (jsonDepth(text) > maxDepth)
    return { ok: false, reason: `the body nests deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
}

/**
 * The deepest nesting of `[` and `{` outside strings, in one pass without
 * recursion: it is measured before parsing, so text that is not JSON gets a
 * number too (and then fails to parse).
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return deepest;
}
