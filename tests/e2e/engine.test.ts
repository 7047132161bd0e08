/**
 * The engine-like driver (tests/helpers/engine.ts) over Pulumi's real
 * dynamic-provider host running the toy provider (tests/fixtures/toy): each step
 * `pulumi preview/up/refresh/destroy` takes for one resource, in the engine's order
 * (pulumi/pulumi step_generator.go, step.go, step_executor.go; cited in the harness).
 * Also re-verified against the host of @pulumi/pulumi 3.248: the replacement's
 * no-olds re-check regenerates what check defaults (step_generator.go); secrets
 * reach the provider bare (the host answers acceptSecrets=false), so update must
 * re-wrap what it carries over; a partial failure needs `__provider` in its
 * properties, or later calls cannot load the provider (cmd/dynamic-provider).
 * Each test starts and kills its own host.
 */
import path from "node:path";
import { EngineResource, CheckFailedError, type ResourceOptions } from "../helpers/engine";
import {
  HostCallError,
  InitFailedError,
  closeAllHosts,
  resourceUrn,
  startHost,
  type Host,
} from "../helpers/host";
import { captureProviders } from "../helpers/mocks";
import { isSecret, outsideSecrets, reveal, UNKNOWN, type Props } from "../helpers/values";
import { COUNTER_TYPE, toyProgram } from "../fixtures/toy/program";

const FIXTURE = path.join(__dirname, "..", "fixtures", "toy");
const SECRET = "ToyEngineSecret-8d2";
const CONFIG = { "toy:apiKey": "toy-key-e1", "toy:secret": SECRET };

let provider: string;

beforeAll(async () => {
  provider = (await captureProviders(toyProgram)).get(COUNTER_TYPE) as string;
});
afterAll(closeAllHosts);

async function configuredHost(): Promise<Host> {
  const host = await startHost({ cwd: FIXTURE });
  await host.configure(CONFIG, ["toy:secret"]);
  return host;
}

/** A resource on a fresh, configured host that is always killed afterwards. */
async function withResource(
  body: (resource: EngineResource) => Promise<void>,
  options: ResourceOptions = { additionalSecretOutputs: ["note"] },
  name = "c1",
): Promise<void> {
  const host = await configuredHost();
  try {
    await body(new EngineResource(host, resourceUrn(COUNTER_TYPE, name), options));
  } finally {
    await host.close();
  }
}

/** The inputs the program registers. */
function news(extra: Props = {}): Props {
  return { label: "alpha", count: 1, tags: ["a"], __provider: provider, ...extra };
}

/** The engine's calls as compact text: "check:none", "create:<id>", … */
function steps(resource: EngineResource): string[] {
  return resource.log.map((c) => [c.method, c.olds ?? c.id].filter(Boolean).join(":"));
}

it("preview, up, preview, up, refresh, destroy: only the calls the engine makes, and no secret in plaintext", async () => {
  await withResource(async (counter) => {
    expect(await counter.preview(news({ label: UNKNOWN }))).toBe("create");
    expect(steps(counter)).toEqual(["check:none"]);
    // A preview Create is answered by the engine's provider client: the host never sees it.
    expect(counter.host.exchanges.map((e) => e.method)).not.toContain("create");
    expect(counter.host.exchanges.at(-1)?.request["news"]).toMatchObject({ label: UNKNOWN });
    expect(counter.state).toBeUndefined();

    counter.log.length = 0;
    expect(await counter.up(news())).toBe("create");
    const id = counter.state?.id as string;
    expect(steps(counter)).toEqual(["check:none", `create:${id}`]);
    const outputs = counter.state?.outputs as Props;
    expect(isSecret(outputs["token"])).toBe(true);
    // `note` is secret only because the resource option says so.
    expect(isSecret(outputs["note"])).toBe(true);
    expect(outputs["tags"]).toEqual(["a"]);

    counter.log.length = 0;
    expect(await counter.preview(news())).toBe("same");
    expect(await counter.up(news())).toBe("same");
    expect(steps(counter)).toEqual(["check:old inputs", `diff:${id}`, "check:old inputs", `diff:${id}`]);
    expect(await counter.refresh()).toBe("same");
    expect(counter.lastRefresh?.shown).toBe("same");

    await counter.destroy();
    expect(counter.state).toBeUndefined();
    expect(steps(counter).slice(-3)).toEqual([`read:${id}`, `diff:${id}`, `delete:${id}`]);
    await counter.host.waitForOutput(new RegExp(`toy: deleted ${id}`));

    const texts = [counter.host.output(), ...counter.host.transcript.map((t) => outsideSecrets(tryParse(t)))];
    expect(texts.join("\n")).not.toContain(SECRET);
    expect(counter.host.transcript.join("\n")).toContain(SECRET);
  });
});

it("an in-place change updates, secrets stay secret; a refresh after drift reports the change", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    const before = counter.state?.outputs as Props;
    expect(await counter.preview(news({ count: 2 }))).toBe("update");
    expect(await counter.up(news({ count: 2 }))).toBe("update");
    const after = counter.state?.outputs as Props;
    expect(after).toMatchObject({ count: 2, revision: 1 });
    expect(after["token"]).toEqual(before["token"]);
    expect(isSecret(after["note"])).toBe(true);
    const sent = counter.host.exchanges.find((e) => e.method === "update")?.request["olds"] as Props;
    expect(sent["token"]).toBe(reveal(before["token"]));

    // Drift: the resource changes behind the engine's back.
    const state = counter.state as { id: string; inputs: Props; outputs: Props };
    await counter.host.update(
      counter.urn,
      state.id,
      state.outputs,
      { ...state.inputs, count: 5 },
      state.inputs,
    );
    expect(await counter.refresh()).toBe("changed");
    expect(counter.state?.outputs["count"]).toBe(5);
    expect(counter.state?.inputs["count"]).toBe(5);
    expect(counter.lastRefresh).toMatchObject({ stateChanged: true, shown: "update" });
  });
});

it("a replacement re-checks with no olds and creates the new resource before deleting the old", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    const old = counter.state as { id: string; outputs: Props };
    counter.log.length = 0;
    expect(await counter.preview(news({ label: "beta" }))).toBe("replace");
    expect(steps(counter)).toEqual(["check:old inputs", `diff:${old.id}`, "check:none"]);
    expect(counter.plan?.diff?.replaces).toEqual(["label"]);

    counter.log.length = 0;
    expect(await counter.up(news({ label: "beta" }))).toBe("replace");
    const fresh = counter.state as { id: string; outputs: Props };
    // The suffix came from the olds until the no-olds re-check made a new one.
    expect(fresh.outputs["suffix"]).not.toBe(old.outputs["suffix"]);
    expect(steps(counter)).toEqual([
      "check:old inputs",
      `diff:${old.id}`,
      "check:none",
      `create:${fresh.id}`,
      `delete:${old.id}`,
    ]);
    expect(counter.calls.indexOf(`created ${fresh.id}`)).toBeLessThan(
      counter.calls.indexOf(`delete ${old.id}`),
    );
    await counter.host.waitForOutput(new RegExp(`toy: deleted ${old.id}`));
  });
});

it("delete-before-replace when the diff asks for it, unless the resource option says otherwise", async () => {
  await withResource(async (counter) => {
    await counter.up(news({ deleteBeforeReplace: true }));
    const old = counter.state?.id;
    counter.log.length = 0;
    await counter.up(news({ label: "beta", deleteBeforeReplace: true }));
    expect(steps(counter).slice(-2)).toEqual([`delete:${old}`, `create:${counter.state?.id}`]);
  });
  await withResource(
    async (counter) => {
      await counter.up(news({ deleteBeforeReplace: true }));
      const old = counter.state?.id;
      counter.log.length = 0;
      await counter.up(news({ label: "beta", deleteBeforeReplace: true }));
      expect(steps(counter).slice(-2)).toEqual([`create:${counter.state?.id}`, `delete:${old}`]);
    },
    { deleteBeforeReplace: false },
  );
});

it("a partial update keeps what the provider reported, with init errors, and the next up converges", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    const error = await counter.up(news({ count: 2, failUpdate: { reason: "disk full" } })).catch((e) => e);
    expect(error).toBeInstanceOf(InitFailedError);
    expect(counter.state?.initErrors).toEqual(["disk full"]);
    expect(counter.state?.outputs["count"]).toBe(1);
    expect(counter.state?.inputs["count"]).toBe(2);
    expect(isSecret(counter.state?.outputs["token"])).toBe(true);
    expect(await counter.up(news({ count: 2 }))).toBe("update");
    expect(counter.state?.outputs["count"]).toBe(2);
    expect(counter.state?.initErrors).toEqual([]);

    // Applied but failed: nothing left to diff, yet the init errors force an update.
    await expect(
      counter.up(news({ count: 3, failUpdate: { reason: "slow", applied: true } })),
    ).rejects.toThrow("toy: slow");
    expect(counter.state?.outputs["count"]).toBe(3);
    expect(await counter.preview(news({ count: 3 }))).toBe("update");
    expect(await counter.up(news({ count: 3 }))).toBe("update");
    expect(counter.plan?.diff?.changes).toBe("none");
    expect(counter.state?.initErrors).toEqual([]);
  });
});

it("a partial failure without __provider in its properties leaves a state the host can no longer read", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    await expect(
      counter.up(news({ count: 2, failUpdate: { reason: "x", dropProvider: true } })),
    ).rejects.toThrow(InitFailedError);
    expect(counter.state?.outputs).not.toHaveProperty("__provider");
    // Read and Delete find the provider in the stored outputs only.
    await expect(counter.refresh()).rejects.toThrow(HostCallError);
    await expect(counter.destroy()).rejects.toThrow(HostCallError);
  });
});

it("a replacement whose create fails part-way keeps the new resource; the next up deletes the old one", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    const old = counter.state?.id as string;
    const error = await counter
      .up(news({ label: "beta", failCreate: { reason: "half done", partial: true } }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InitFailedError);
    expect(counter.state?.id).toMatch(/^beta-/);
    expect(counter.state?.initErrors).toEqual(["half done"]);
    expect(counter.pendingDeletes.map((s) => s.id)).toEqual([old]);
    expect(steps(counter)).not.toContain(`delete:${old}`);

    counter.log.length = 0;
    expect(await counter.up(news({ label: "beta" }))).toBe("update");
    expect(steps(counter).slice(-2)).toEqual([`update:${counter.state?.id}`, `delete:${old}`]);
    expect(counter.pendingDeletes).toEqual([]);
  });
});

it("check failures stop the resource by property; a diff with no opinion falls back to comparing inputs", async () => {
  await withResource(async (counter) => {
    await counter.up(news({ diffUnknown: true }));
    const state = counter.state;
    const error = await counter.up(news({ diffUnknown: true, label: "", count: -1 })).catch((e) => e);
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).failures.map((f) => f.property)).toEqual(["label", "count"]);
    expect(counter.state).toBe(state);
    expect(steps(counter).at(-1)).toBe("check:old inputs");

    expect(await counter.up(news({ diffUnknown: true }))).toBe("same");
    expect(counter.plan?.diff?.changes).toBe("none");
    expect(await counter.up(news({ diffUnknown: true, tags: ["b"] }))).toBe("update");
    expect(counter.state?.outputs["tags"]).toEqual(["b"]);
  });
});

it("refresh in a later command's host, where the resource is gone: an empty id drops it", async () => {
  await withResource(async (counter) => {
    await counter.up(news());
    // The toy's cloud lives in the host process: a new host knows nothing.
    const later = counter.inHost(await configuredHost());
    try {
      expect(await later.refresh()).toBe("deleted");
      expect(later.state).toBeUndefined();
      expect(later.lastRefresh?.shown).toBe("delete");
      expect(steps(later)).toEqual([`read:${counter.state?.id}`]);
    } finally {
      await later.host.close();
    }
  });
});

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
