/**
 * The program harness (tests/helpers/mocks.ts) with the toy provider
 * (tests/fixtures/toy): programs run under `setMocks` with their real
 * serialized providers, several runs in one file.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProgramFailedError, captureProviders, runProgram, settle } from "../helpers/mocks";
import { isSecret, UNKNOWN, viaStruct } from "../helpers/values";
import { Counter } from "../fixtures/toy/provider";
import { COUNTER_TYPE, chainedProgram, toyProgram } from "../fixtures/toy/program";

const SECRET = "ToyMockSecret-3f7";
const CONFIG = { "toy:apiKey": "toy-key-m1", "toy:secret": SECRET };

it("runs the real serialized provider: outputs resolve, arrays stay arrays, secrets are secret as the engine stores them", async () => {
  const { result, registrations } = await runProgram(chainedProgram, CONFIG, { secretKeys: ["toy:secret"] });
  const { first, second } = result;

  expect(await settle(first.tags)).toEqual({ value: ["x", "y"], secret: false, known: true });
  // Secret three ways: returned as a sentinel, listed in additionalSecretOutputs, echoed from a secret input.
  expect(await settle(first.token)).toEqual({ value: `tok-${SECRET}-first`, secret: true, known: true });
  expect(await settle(first.note)).toMatchObject({ value: "note for first", secret: true });
  expect(await settle(second.pin)).toEqual({ value: "4321", secret: true, known: true });
  expect(await settle(first.keyId)).toEqual({ value: "toy-key-m1", secret: false, known: true });
  // The second counter was fed the first one's outputs.
  const suffix = (await settle(first.suffix)).value;
  expect((await settle(second.label)).value).toBe(`second-${suffix}`);
  expect((await settle(second.count)).value).toBe(2);
  expect((await settle(second.id)).value).toBe(`second-${suffix}-${(await settle(second.suffix)).value}`);

  expect(registrations.map((r) => [r.type, r.name, r.additionalSecretOutputs])).toEqual([
    [COUNTER_TYPE, "first", ["note"]],
    [COUNTER_TYPE, "second", ["note"]],
  ]);
  const stored = registrations[1]?.outputs ?? {};
  expect(isSecret(stored["pin"]) && isSecret(stored["note"]) && isSecret(stored["token"])).toBe(true);
  expect(isSecret(registrations[1]?.inputs["pin"])).toBe(true);
});

it("captures __provider as the engine receives it: self-contained text without credentials", async () => {
  const { registrations } = await runProgram(toyProgram, CONFIG, { secretKeys: ["toy:secret"] });
  const text = registrations[0]?.providerText ?? "";
  expect(text).toMatch(/^exports\.handler = /);
  expect(text).not.toMatch(/require\(/);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain("toy-key-m1");
  expect(Buffer.byteLength(text)).toBeLessThan(16_384);
  expect(registrations[0]?.inputs["__provider"]).toBe(text);
  const captured = await captureProviders(toyProgram);
  expect(captured.get(COUNTER_TYPE)).toBe(text);
});

it("a second program in the same file starts from a clean runtime and sees its own config", async () => {
  const run = await runProgram(
    () => {
      const config = new pulumi.Config();
      return new Counter("configured", {
        label: config.require("label"),
        count: config.requireNumber("count"),
      });
    },
    { ...CONFIG, "itniotech-test:label": "from-config", "itniotech-test:count": "7" },
  );
  expect(run.registrations.map((r) => r.name)).toEqual(["configured"]);
  expect((await settle(run.result.label)).value).toBe("from-config");
  expect((await settle(run.result.count)).value).toBe(7);
});

it("a preview runs check only: outputs beyond the checked inputs are unknown, nothing is created", async () => {
  const { result, registrations } = await runProgram(chainedProgram, CONFIG, { preview: true });
  expect(await settle(result.first.label)).toMatchObject({ value: "first", known: true });
  expect((await settle(result.first.token)).known).toBe(false);
  expect((await settle(result.first.id)).known).toBe(false);
  // A preview's outputs are the checked inputs, so check's own defaults are known already...
  expect((await settle(result.second.label)).known).toBe(true);
  // ...and the rest is not: check saw the wire's unknown sentinel for `count` and let it pass.
  expect((await settle(result.second.count)).known).toBe(false);
  expect(registrations[1]?.outputs?.["count"]).toBe(UNKNOWN);
  expect(registrations.every((r) => r.id === "" && r.error === undefined)).toBe(true);
  expect(Object.keys(registrations[0]?.outputs ?? {})).not.toContain("token");
});

it("failed registrations fail the run; with allowErrors the partial failure's state is kept", async () => {
  const program = () => ({
    bad: new Counter("bad", { label: "", count: -1 }),
    broken: new Counter("broken", {
      label: "broken",
      count: 1,
      failCreate: { reason: "half done", partial: true },
    }),
    fine: new Counter("fine", { label: "fine", count: 1 }),
  });
  const error = await runProgram(program, CONFIG).catch((e) => e);
  expect(error).toBeInstanceOf(ProgramFailedError);
  expect((error as ProgramFailedError).errors.map((e) => e.message)).toEqual([
    "bad: check failed: label: label must be 1 to 20 characters; count: count must be a whole number of 0 or more",
    expect.stringMatching(/^broken: created as broken-\w+ but failed to initialize: half done$/),
  ]);

  const run = await runProgram(program, CONFIG, { allowErrors: true });
  expect(run.errors).toHaveLength(2);
  const broken = run.registrations.find((r) => r.name === "broken");
  expect(broken?.id).toMatch(/^broken-/);
  expect(isSecret(broken?.outputs?.["token"])).toBe(true);
  expect((await settle(run.result.fine.label)).value).toBe("fine");
});

it("encodes values exactly as the host does: arrays survive, undefined fails as it fails there", () => {
  expect(viaStruct({ list: ["a", 1, null], nested: { ok: true } })).toEqual({
    list: ["a", 1, null],
    nested: { ok: true },
  });
  expect(() => viaStruct({ lost: undefined })).toThrow("Unexpected struct type.");
});
