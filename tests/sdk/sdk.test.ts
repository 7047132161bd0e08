import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeResource from "@pulumi/pulumi/runtime/resource";
import { SipPhoneGroup, SipPhonePassword } from "../../sdk";
import { sipPhoneGroupProvider, sipPhonePasswordProvider, withSecretOutputs } from "../../sdk/providers";

const ROOT = path.resolve(__dirname, "../..");
const CANARY_KEY = "canary-api-key-7f3a9c";
const CANARY_SECRET = "canary-api-secret-2b8e1d";
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** Evaluates a serialized provider with a stand-in for `require`, as the host evaluates it with the real one. */
function load(
  text: string,
  fakeRequire: (id: string) => unknown,
): Record<string, (...args: unknown[]) => unknown> {
  const module = { exports: {} as { handler?: () => Record<string, (...args: unknown[]) => unknown> } };
  new Function("exports", "require", "module", text)(module.exports, fakeRequire, module);
  const handler = module.exports.handler;
  if (!handler) throw new Error("the serialized text has no handler");
  return handler();
}

const promiseOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("the provider shells, serialized", () => {
  const previous = { ...process.env };
  beforeAll(() => {
    // Were the shell to capture the environment or config, the canaries would show up.
    process.env["ITNIOTECH_API_KEY"] = CANARY_KEY;
    process.env["ITNIOTECH_API_SECRET"] = CANARY_SECRET;
  });
  afterAll(() => {
    process.env = previous;
  });

  it.each([
    ["SipPhoneGroup", sipPhoneGroupProvider],
    ["SipPhonePassword", sipPhonePasswordProvider],
  ] as const)("%s: small, lazy, no credentials", async (_type, provider) => {
    // The way dynamic.Resource serializes its provider (dynamic/index.js).
    const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    expect(text.match(/require\("pulumi-itniotech\/provider"\)/g)).toHaveLength(METHODS.length);
    expect(text).not.toContain(CANARY_KEY);
    expect(text).not.toContain(CANARY_SECRET);
    // No implementation travels: nothing of the client, the checks or the rules.
    expect(text).not.toMatch(/sipAdd|sipReset|sipQuery|axios|nameRule|checkGroup/);
  });

  it("the credential assertion would catch a shell that captured a secret", async () => {
    const apiKey = process.env["ITNIOTECH_API_KEY"];
    const leaky = { configure: () => apiKey };
    const { text } = await pulumi.runtime.serializeFunction(() => leaky, { allowSecrets: true });
    expect(text).toContain(CANARY_KEY);
  });

  it.each([
    ["sipPhoneGroupProvider", sipPhoneGroupProvider],
    ["sipPhonePasswordProvider", sipPhonePasswordProvider],
  ] as const)(
    "every method of %s delegates to the same-named implementation, loaded only when called",
    async (exportName, provider) => {
      const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      const calls: [string, unknown[]][] = [];
      const implementation: Record<string, unknown> = {
        configure: (...args: unknown[]) => (calls.push(["configure", args]), "configured"),
        [exportName]: Object.fromEntries(
          METHODS.filter((m) => m !== "configure").map((m) => [
            m,
            (...args: unknown[]) => (calls.push([m, args]), `${m} result`),
          ]),
        ),
      };
      const required: string[] = [];
      const loaded = load(text, (id) => (required.push(id), implementation));
      expect(required).toEqual([]);

      for (const method of METHODS) {
        const args = [`${method}-1`, { n: 2 }, [3]].slice(0, method === "configure" ? 1 : 3);
        expect(loaded[method]?.(...args)).toBe(method === "configure" ? "configured" : `${method} result`);
      }
      expect(new Set(required)).toEqual(new Set(["pulumi-itniotech/provider"]));
      expect(calls.map(([m]) => m)).toEqual([...METHODS]);
      expect(calls.find(([m]) => m === "update")?.[1]).toEqual(["update-1", { n: 2 }, [3]]);
      expect(calls.find(([m]) => m === "create")?.[1]).toEqual(["create-1"]);
    },
  );
});

describe("sdk/ reaches provider/ only through the lazy require", () => {
  const sources = readdirSync(path.join(ROOT, "sdk"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => [f, readFileSync(path.join(ROOT, "sdk", f), "utf8")] as const);

  /** `import`/`export … from` statements that load provider/ at runtime (not `import type`). */
  const runtimeProviderImports = (source: string) =>
    (
      source.match(
        /^(import|export)\s[^;]*from\s+"((\.\.\/)+provider(\/[^"]*)?|pulumi-itniotech\/provider)";/gm,
      ) ?? []
    ).filter((statement) => !/^(import|export) type /.test(statement));

  it.each([
    ['import { checkGroup } from "../provider/check";', 1],
    ['export { configure } from "../provider";', 1],
    ['import * as p from "pulumi-itniotech/provider";', 1],
    ['import type { GroupInputs } from "../provider/inputs";', 0],
    ['import { withSecretOutputs } from "./providers";', 0],
  ])("the detector: %s -> %i", (source, count) => {
    expect(runtimeProviderImports(source)).toHaveLength(count);
  });

  it.each(sources)("%s imports nothing from provider/ at runtime", (_file, source) => {
    expect(runtimeProviderImports(source)).toEqual([]);
    expect(source).not.toMatch(/require\("(\.\.\/)+provider/);
  });
});

describe("withSecretOutputs", () => {
  it.each<[pulumi.CustomResourceOptions | undefined, string[]]>([
    [undefined, ["passwords"]],
    [{}, ["passwords"]],
    [{ additionalSecretOutputs: ["accounts"] }, ["accounts", "passwords"]],
    [{ additionalSecretOutputs: ["passwords"] }, ["passwords"]],
  ])("%j -> %j", (opts, expected) => {
    expect(withSecretOutputs(opts, ["passwords"]).additionalSecretOutputs).toEqual(expected);
  });

  it("keeps every other option and does not change the user's object", () => {
    const opts: pulumi.CustomResourceOptions = {
      protect: true,
      retainOnDelete: true,
      additionalSecretOutputs: ["accounts"],
    };
    expect(withSecretOutputs(opts, ["passwords"])).toEqual({
      protect: true,
      retainOnDelete: true,
      additionalSecretOutputs: ["accounts", "passwords"],
    });
    expect(opts.additionalSecretOutputs).toEqual(["accounts"]);
  });
});

describe("the resource classes register as the contract says", () => {
  let spy: jest.SpiedFunction<typeof runtimeResource.registerResource>;
  const registration = (name: string) => {
    const call = spy.mock.calls.find((args) => args[3] === name);
    return (
      call && {
        t: call[2],
        props: call[7] as Record<string, unknown>,
        opts: call[8] as pulumi.CustomResourceOptions,
      }
    );
  };
  const providerTexts = new Map<string, string>();

  beforeAll(() => {
    // Called through: the real registration runs against the mocks below.
    spy = jest.spyOn(runtimeResource, "registerResource");
    return pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          providerTexts.set(args.type, args.inputs.__provider as string);
          return { id: `${args.name}-id`, state: { ...args.inputs, accounts: ["a_001"] } };
        },
        call: () => ({}),
      },
      "itniotech-sdk-test",
      "test",
      false,
    );
  });
  afterAll(() => jest.restoreAllMocks());

  it("SipPhoneGroup: type token, prefix from the logical name, every output registered, passwords secret", async () => {
    const group = new SipPhoneGroup(
      "office",
      { appId: "app1", quantity: 2, displayNum: "8610000000" },
      { additionalSecretOutputs: ["accounts"], protect: true },
    );
    await promiseOf(group.id);
    const entry = registration("office");
    expect(entry?.t).toBe("pulumi-nodejs:dynamic/itniotech:SipPhoneGroup");
    expect(entry?.props["namePrefix"]).toBe("office");
    for (const key of [
      "groupName",
      "phoneName",
      "resetTriggers",
      "adopt",
      "accounts",
      "passwords",
      "lastResetAt",
    ]) {
      expect(Object.keys(entry?.props ?? {})).toContain(key);
      expect(pulumi.Output.isInstance((group as unknown as Record<string, unknown>)[key])).toBe(true);
    }
    expect(entry?.opts.additionalSecretOutputs).toEqual(["accounts", "passwords"]);
    expect(entry?.opts.protect).toBe(true);
    expect(await promiseOf(group.accounts)).toEqual(["a_001"]);
  });

  it("SipPhoneGroup: an explicit namePrefix wins", async () => {
    const group = new SipPhoneGroup("desk", {
      appId: "a",
      quantity: 1,
      displayNum: "8610000000",
      namePrefix: "fl2",
    });
    await promiseOf(group.id);
    expect(registration("desk")?.props["namePrefix"]).toBe("fl2");
  });

  it("SipPhonePassword: type token, password output registered and secret", async () => {
    const password = new SipPhonePassword("rotate", { appId: "a", account: "acct_001" });
    await promiseOf(password.id);
    const entry = registration("rotate");
    expect(entry?.t).toBe("pulumi-nodejs:dynamic/itniotech:SipPhonePassword");
    expect(Object.keys(entry?.props ?? {})).toEqual(expect.arrayContaining(["triggers", "password"]));
    expect(pulumi.Output.isInstance(password.password)).toBe(true);
    expect(entry?.opts.additionalSecretOutputs).toEqual(["password"]);
  });

  it("the __provider each resource sends is the small lazy shell", () => {
    for (const type of ["SipPhoneGroup", "SipPhonePassword"]) {
      const text = providerTexts.get(`pulumi-nodejs:dynamic/itniotech:${type}`) ?? "";
      expect(text).toContain('require("pulumi-itniotech/provider")');
      expect(Buffer.byteLength(text)).toBeLessThan(4096);
      expect(Buffer.byteLength(text)).toBeGreaterThan(500);
    }
  });
});
