/**
 * A PartialFailure carries the state the engine keeps — passwords included — yet no
 * inspector prints it: loggers, debuggers and `console.log("%o")` see the message,
 * the id and the reasons only. The host reads the state as `error.properties`
 * (grpcResponseFromError in @pulumi/pulumi/cmd/dynamic-provider), and gets it whole.
 */
import { format, inspect } from "node:util";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PartialFailure } from "../../provider/partial";
import { secret } from "../../provider/secrets";

const CANARY = "CanaryPassword-5e1f9a";
const STATE = {
  appId: "app",
  accounts: ["sip_001"],
  passwords: secret({ sip_001: CANARY }),
  __provider: "exports.handler = () => ({})",
};

function failure(): PartialFailure {
  return new PartialFailure("SipPhoneGroup app/g: 1 of 1 password resets failed", "app/g", STATE, ["reason"]);
}

describe("a PartialFailure's state is hidden from every inspector", () => {
  it.each<[string, (e: PartialFailure) => string]>([
    ["util.inspect with showHidden", (e) => inspect(e, { showHidden: true, depth: Infinity })],
    [
      "util.inspect with showHidden and getters",
      (e) => inspect(e, { showHidden: true, getters: true, depth: null }),
    ],
    ['console.log("%o")', (e) => format("%o", e)],
    ['console.log("%j")', (e) => format("%j", e)],
    ["JSON.stringify", (e) => JSON.stringify(e)],
    ["String and the stack", (e) => `${String(e)} ${e.stack ?? ""}`],
    ["its own property descriptors", (e) => inspect(Object.getOwnPropertyDescriptors(e), { depth: null })],
    ["a spread copy", (e) => JSON.stringify({ ...e })],
    ["the properties printed on their own", (e) => inspect(e.properties, { depth: null })],
  ])("%s", (_how, print) => {
    const text = print(failure());
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain("sip_001");
  });

  it("what the host reads, it gets whole: error.properties, through the struct encoding", () => {
    const error = failure();
    expect(error.id).toBe("app/g");
    expect(error.reasons).toEqual(["reason"]);
    expect(error.properties).toEqual(STATE);
    expect(Struct.fromJavaScript(error.properties as never).toJavaScript()).toEqual(STATE);
  });

  it("inspection still shows what it is about", () => {
    expect(format("%o", failure())).toMatch(/PartialFailure.*1 of 1 password resets failed/s);
  });
});
