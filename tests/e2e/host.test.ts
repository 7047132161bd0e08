/**
 * The host client (tests/helpers/host.ts) against Pulumi's real dynamic-provider
 * host running the toy provider (tests/fixtures/toy). Each test starts and kills its
 * own host. What these tests pin down about the host of @pulumi/pulumi 3.248
 * (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js; the secret and
 * partial-failure facts are also pulumi/pulumi#3012 and the engine's
 * ErrorResourceInitFailed handling in pkg/resource/deploy/step.go):
 * - it prints its port as the first stdout line; Handshake is unimplemented;
 * - Configure must come first: before it, a call fails inside the provider's
 *   `configure` (`config.get` on undefined) and leaves that `__provider` text's
 *   instance cached unconfigured; one instance per distinct text;
 * - it answers acceptSecrets=false and supportsPreview=false; secret config arrives
 *   unwrapped; a key without a namespace is read under the project;
 * - the diff's stables never reach the engine;
 * - a thrown object with an `id` becomes ErrorResourceInitFailed; one whose
 *   properties hold `undefined` is never answered (shown here with a 1.5 s deadline);
 * - a failed check prints `${error}: ${stack}` on stderr (diff/read/delete share
 *   that code); a failed create/update prints nothing;
 * - what the provider prints with console.log arrives on the host's stdout.
 * The engine's side (what is sent; secrets stripped and restored) is cited in
 * tests/helpers/host.ts; engine.test.ts covers the order of the steps.
 */
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import {
  HostCallError,
  InitFailedError,
  closeAllHosts,
  resourceUrn,
  startHost,
  withHost,
  type Host,
} from "../helpers/host";
import { captureProviders } from "../helpers/mocks";
import { isSecret, outsideSecrets, reveal, secret, UNKNOWN, type Props } from "../helpers/values";
import { COUNTER_TYPE, toyProgram } from "../fixtures/toy/program";

const FIXTURE = path.join(__dirname, "..", "fixtures", "toy");
const SECRET = "ToyCanarySecret-51c";
const CONFIG = { "toy:apiKey": "toy-key-9f2", "toy:secret": SECRET, "harness:greeting": "hello" };
const URN = resourceUrn(COUNTER_TYPE, "c1");

let provider: string;

beforeAll(async () => {
  provider = (await captureProviders(toyProgram)).get(COUNTER_TYPE) as string;
  expect(provider).toContain("exports.handler");
});
afterAll(closeAllHosts);

async function configured(host: Host): Promise<Host> {
  await host.configure(CONFIG, ["toy:secret"]);
  return host;
}

/** Check then create, as the engine creates a resource. */
async function created(host: Host, news: Props = {}): Promise<{ id: string; inputs: Props; outputs: Props }> {
  const { inputs } = await host.check(URN, undefined, {
    label: "alpha",
    count: 1,
    tags: ["a", "b"],
    __provider: provider,
    ...news,
  });
  const { id, properties } = await host.create(URN, inputs);
  return { id, inputs, outputs: properties };
}

it("starts as the engine starts it (port on the first stdout line, Handshake unimplemented) and close kills it", async () => {
  const host = await startHost({ cwd: FIXTURE });
  try {
    expect(host.port).toBeGreaterThan(0);
    expect(host.output().split("\n")[0]).toBe(String(host.port));
    expect(host.version).toBe(require("@pulumi/pulumi/package.json").version);
    expect(host.exchanges.map((e) => [e.method, e.error?.code])).toEqual([
      ["handshake", grpc.status.UNIMPLEMENTED],
      ["getPluginInfo", undefined],
    ]);
  } finally {
    await host.close();
  }
  expect(() => process.kill(host.pid, 0)).toThrow(/ESRCH/);
  await host.close();
  await expect(host.configure(CONFIG)).rejects.toThrow();
});

it("Configure must come first: a call before it fails and leaves that provider text unconfigured for good", async () => {
  await withHost(FIXTURE, async (host) => {
    const early = await host
      .check(URN, undefined, { label: "alpha", count: 1, __provider: provider })
      .catch((e) => e);
    expect(early).toBeInstanceOf(HostCallError);
    expect((early as HostCallError).message).toMatch(/Cannot read properties of undefined/);
    await host.waitForOutput(/TypeError: Cannot read properties of undefined.*\n\s+at /);

    await configured(host);
    // The cached instance never runs configure again.
    const inputs = (await host.check(URN, undefined, { label: "alpha", count: 1, __provider: provider }))
      .inputs;
    await expect(host.create(URN, inputs)).rejects.toThrow("toy: not configured");
    // A different text is a different instance, configured on first use.
    const variant = `${provider}\n// another build of the same provider\n`;
    const fresh = await host.check(URN, undefined, { label: "alpha", count: 1, __provider: variant });
    expect((await host.create(URN, fresh.inputs)).id).toMatch(/^alpha-/);
  });
});

it("Configure gets the namespaced config with secrets wrapped; the host unwraps them and accepts no secrets", async () => {
  await withHost(FIXTURE, async (host) => {
    const capabilities = await host.configure(CONFIG, ["toy:secret"]);
    expect(capabilities).toEqual({ acceptSecrets: false, supportsPreview: false, acceptResources: false });
    const { outputs } = await created(host);
    expect(outputs["keyId"]).toBe("toy-key-9f2");
    // Unwrapped: a sentinel object would have printed as [object Object].
    expect(reveal(outputs["token"])).toBe(`tok-${SECRET}-alpha`);
    // `config.get("greeting")` is read as `<project>:greeting`.
    expect(outputs["greeting"]).toBe("hello");
  });
});

it("check: olds and news as sent, failures by property, unknowns only in previews", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const bad = await host.check(URN, undefined, { label: "", count: -1, __provider: provider });
    expect(bad.failures).toEqual([
      { property: "label", reason: "label must be 1 to 20 characters" },
      { property: "count", reason: "count must be a whole number of 0 or more" },
    ]);
    // No olds is an empty struct on the wire.
    expect(host.exchanges.at(-1)?.request["olds"]).toEqual({});

    const kept = await host.check(
      URN,
      { suffix: "keep01" },
      { label: "alpha", count: 1, __provider: provider },
    );
    expect(kept.inputs["suffix"]).toBe("keep01");
    expect(kept.inputs["__provider"]).toBe(provider);

    const preview = await host.check(
      URN,
      undefined,
      { label: UNKNOWN, count: 1, __provider: provider },
      { allowUnknowns: true },
    );
    expect(preview.failures).toEqual([]);
    expect(preview.inputs["label"]).toBe(UNKNOWN);
    // Outside a preview the engine leaves an unknown out, so the provider sees no label.
    const up = await host.check(URN, undefined, { label: UNKNOWN, count: 1, __provider: provider });
    expect(up.failures.map((f) => f.property)).toEqual(["label"]);
    expect(host.exchanges.at(-1)?.request["news"]).not.toHaveProperty("label");
  });
});

it("diff: changes, replaces and deleteBeforeReplace come through; stables do not; no opinion is unknown", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const { id, inputs, outputs } = await created(host);
    const diff = (news: Props) => host.diff(URN, id, outputs, { ...inputs, ...news }, inputs);
    expect(await diff({})).toEqual({
      changes: "none",
      replaces: [],
      stables: [],
      diffs: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ count: 2 })).toMatchObject({ changes: "some", replaces: [] });
    expect(await diff({ label: "beta" })).toMatchObject({
      changes: "some",
      replaces: ["label"],
      deleteBeforeReplace: false,
    });
    expect(await diff({ label: "beta", deleteBeforeReplace: true })).toMatchObject({
      replaces: ["label"],
      deleteBeforeReplace: true,
    });
    expect((await diff({ count: 2, diffUnknown: true })).changes).toBe("unknown");
  });
});

it("create: secrets travel bare to the provider and come back secret; the provider's sentinel stays secret", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const { id, outputs } = await created(host, { pin: secret("1234") });
    expect(id).toBe(`alpha-${outputs["suffix"]}`);
    const sent = host.exchanges.find((e) => e.method === "create")?.request["properties"] as Props;
    expect(sent["pin"]).toBe("1234");
    expect(outputs["pin"]).toEqual(secret("1234"));
    expect(isSecret(outputs["token"])).toBe(true);
    expect(outputs["tags"]).toEqual(["a", "b"]);
    expect(outputs["__provider"]).toBe(provider);
    // The config secret is only ever inside a secret, in answers and in what the host printed.
    expect(outsideSecrets(outputs)).not.toContain(SECRET);
    expect(host.transcript.join("\n")).toContain(SECRET);
    for (const text of host.transcript) expect(outsideSecrets(tryParse(text))).not.toContain(SECRET);
    expect(host.output()).not.toContain(SECRET);
  });
});

it("read returns properties and inputs, an empty id once gone; delete's console output is captured", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const { id, inputs, outputs } = await created(host, { pin: secret("1234") });
    const read = await host.read(URN, id, outputs, inputs);
    expect(read.id).toBe(id);
    expect(read.properties).toEqual(outputs);
    expect(read.inputs).toEqual(inputs);
    expect(read.inputs?.["pin"]).toEqual(secret("1234"));

    await host.delete(URN, id, outputs, inputs);
    await host.waitForOutput(new RegExp(`toy: deleted ${id}`));
    expect((await host.read(URN, id, outputs, inputs)).id).toBe("");
  });
});

it("update, and a partial failure decoded from ErrorResourceInitFailed with its properties and reasons", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const { id, inputs, outputs } = await created(host);
    const updated = await host.update(URN, id, outputs, { ...inputs, count: 2 }, inputs);
    expect(updated.properties).toMatchObject({ count: 2, revision: 1 });
    // The engine sent the token bare; the provider wrapped it again.
    expect(updated.raw["token"]).toEqual(outputs["token"]);

    const failing = { ...inputs, count: 3, failUpdate: { reason: "disk full" } };
    const error = await host.update(URN, id, updated.properties, failing, inputs).catch((e) => e);
    expect(error).toBeInstanceOf(InitFailedError);
    const failure = error as InitFailedError;
    expect(failure.message).toBe("toy: disk full");
    expect(failure.id).toBe(id);
    expect(failure.reasons).toEqual(["disk full"]);
    expect(failure.properties).toMatchObject({ count: 2, revision: 1, __provider: provider });
    expect(isSecret(failure.properties["token"])).toBe(true);
    expect(host.transcript.some((t) => t.includes('"reasons":["disk full"]'))).toBe(true);
    // A failed update prints nothing; the engine reports it.
    expect(host.output()).not.toMatch(/disk full/);
  });
});

it("create failures: a plain error keeps its message; one with an id is a partial failure", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const hard = await created(host, { failCreate: { reason: "quota" } }).catch((e) => e);
    expect(hard).toBeInstanceOf(HostCallError);
    expect(hard).toMatchObject({ message: "toy: quota", code: grpc.status.UNKNOWN, method: "create" });

    const partial = await created(host, { failCreate: { reason: "half done", partial: true } }).catch(
      (e) => e,
    );
    expect(partial).toBeInstanceOf(InitFailedError);
    expect((partial as InitFailedError).id).toMatch(/^alpha-/);
    expect((partial as InitFailedError).properties).toMatchObject({ label: "alpha", revision: 0 });
  });
});

it("a partial failure whose properties hold undefined is never answered; the call deadline ends it", async () => {
  await withHost({ cwd: FIXTURE, callTimeoutMs: 1500 }, async (host) => {
    await configured(host);
    const { id, inputs, outputs } = await created(host);
    const news = { ...inputs, failUpdate: { reason: "lost", undefinedValue: true } };
    const error = await host.update(URN, id, outputs, news, inputs).catch((e) => e);
    expect(error).toBeInstanceOf(HostCallError);
    expect((error as HostCallError).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await host.waitForOutput(/Unexpected struct type/);
  });
});

it("a preview Create or Update never reaches a host without supportsPreview", async () => {
  await withHost(FIXTURE, async (host) => {
    await configured(host);
    const before = host.exchanges.length;
    const inputs = { label: "alpha", count: 1, __provider: provider };
    expect(await host.create(URN, inputs, { preview: true })).toEqual({
      id: "",
      properties: inputs,
      raw: inputs,
    });
    expect((await host.update(URN, "x", {}, inputs, {}, { preview: true })).properties).toBe(inputs);
    expect(host.exchanges).toHaveLength(before);
  });
});

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
