import { parseReply, transportError, VoiceApiError } from "../../provider/client/errors";

const body = (status: unknown, reason = "why", data: unknown = null) =>
  JSON.stringify({ status, reason, data });

describe("parseReply: one mapper from reply to error", () => {
  it.each([
    ["-1", "VoiceStatusError", false],
    ["-2", "VoiceStatusError", false],
    ["-16", "VoiceStatusError", false],
    ["-18", "VoiceStatusError", true],
    ["-20", "VoiceStatusError", false],
    ["-22", "VoiceStatusError", false],
    ["-23", "VoiceStatusError", false],
    ["-24", "VoiceStatusError", false],
    ["-10", "VoiceStatusError", false], // another endpoint's code: surfaced, not a crash
  ])("status %s -> %s, ambiguous=%s", (status, name, ambiguous) => {
    const reply = parseReply("sipAdd", 200, body(status, "vendor says no"));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toBeInstanceOf(VoiceApiError);
    expect(reply.error).toBeInstanceOf(Error);
    expect(reply.error.name).toBe(name);
    expect(reply.error.code).toBe(status);
    expect(reply.error.ambiguous).toBe(ambiguous);
    expect(reply.error.message).toContain("sipAdd");
    expect(reply.error.message).toContain(`status ${status}`);
    expect(reply.error.message).toContain("vendor says no");
  });

  it.each([
    [500, true],
    [502, true],
    [503, true],
    [302, false],
    [404, false],
  ])("HTTP %i -> HTTP_ERROR, ambiguous=%s", (httpStatus, ambiguous) => {
    const reply = parseReply("sipReset", httpStatus, "<html>oops</html>");
    if (reply.ok) throw new Error("expected a failure");
    expect(reply.error.code).toBe("HTTP_ERROR");
    expect(reply.error.httpStatus).toBe(httpStatus);
    expect(reply.error.ambiguous).toBe(ambiguous);
  });

  it.each([
    ["", "empty body"],
    ['{"status":"0","reason":"success","da', "not JSON"],
    ["<html>", "not JSON"],
    ["[1,2]", "not a JSON object"],
    ['{"reason":"x"}', "no status"],
  ])("unreadable body %j -> BAD_RESPONSE (ambiguous), body never quoted", (text, what) => {
    const reply = parseReply("sipQuery", 200, text);
    if (reply.ok) throw new Error("expected a failure");
    expect(reply.error.code).toBe("BAD_RESPONSE");
    expect(reply.error.ambiguous).toBe(true);
    expect(reply.error.message).toContain(what);
    if (text.length > 2) expect(reply.error.message).not.toContain(text);
  });

  it("accepts status 0 (string or number) as success", () => {
    expect(parseReply("sipAdd", 200, body("0"))).toEqual({ ok: true, data: null });
    expect(parseReply("sipAdd", 200, body(0))).toEqual({ ok: true, data: null });
  });

  it("clips a long vendor reason", () => {
    const reply = parseReply("sipAdd", 200, body("-22", "x".repeat(1000)));
    if (reply.ok) throw new Error("expected a failure");
    expect(reply.error.message.length).toBeLessThan(400);
  });

  it("has a safe JSON form with a stable code", () => {
    const reply = parseReply("sipAdd", 200, body("-20", "exists"));
    if (reply.ok) throw new Error("expected a failure");
    expect(JSON.parse(JSON.stringify(reply.error))).toEqual({
      name: "VoiceStatusError",
      code: "-20",
      ambiguous: false,
      endpoint: "sipAdd",
      message: reply.error.message,
    });
  });
});

describe("transportError", () => {
  it.each([
    ["ECONNABORTED", "TIMEOUT", true],
    ["ETIMEDOUT", "TIMEOUT", true],
    ["ECONNREFUSED", "CONNECTION", false],
    ["ENOTFOUND", "CONNECTION", false],
    ["ECONNRESET", "CONNECTION", true],
    ["EPIPE", "CONNECTION", true],
    [undefined, "CONNECTION", true],
  ])("%s -> %s, ambiguous=%s", (systemCode, code, ambiguous) => {
    const error = transportError("sipReset", systemCode, 1000);
    expect(error.code).toBe(code);
    expect(error.ambiguous).toBe(ambiguous);
  });
});
