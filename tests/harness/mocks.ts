import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const requireFromString: (
  code: string,
  filename?: string,
) => { handler: () => pulumi.dynamic.ResourceProvider } = jest.requireActual("require-from-string");

/** One resource the program registered, as the engine would have received it. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The serialized provider text (`__provider`) for dynamic resources. */
  providerText: string | undefined;
}

/** Values through the struct encoding the host uses (otherwise arrays come back as objects). */
export function viaStruct<T>(value: T): T {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {}))).toJavaScript() as T;
}

/**
 * Runs a Pulumi program under `setMocks`. For dynamic resources the mock does what
 * the dynamic-provider host does: it loads the real serialized `__provider` text with
 * require-from-string (so the lazy `require("pulumi-itniotech/provider")` resolves
 * through node_modules to the built package), configures it with `config`, and runs
 * check then create — against whatever `itniotech:baseUrl` points at.
 *
 * Each jest file has its own module registry and so its own Pulumi runtime; run one
 * program per `runProgram` call and await it before the next.
 */
export async function runProgram<T>(
  program: () => T,
  config: Record<string, string>,
): Promise<{ result: T; registrations: Registration[] }> {
  const registrations: Registration[] = [];
  const providers = new Map<string, pulumi.dynamic.ResourceProvider>();
  const lookup = { get: (key: string) => config[key], require: (key: string) => config[key] as string };

  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const providerText =
          typeof inputs["__provider"] === "string" ? (inputs["__provider"] as string) : undefined;
        registrations.push({ type: args.type, name: args.name, inputs, providerText });
        if (!args.type.startsWith("pulumi-nodejs:dynamic") || providerText === undefined) {
          return { id: `${args.name}-id`, state: inputs };
        }
        let provider = providers.get(providerText);
        if (!provider) {
          provider = requireFromString(providerText).handler();
          providers.set(providerText, provider);
          await provider.configure?.({ config: lookup });
        }
        const checked = await provider.check!({}, viaStruct(inputs));
        if (checked.failures?.length) {
          throw new Error(
            `check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
          );
        }
        const created = await provider.create(viaStruct({ ...checked.inputs, __provider: providerText }));
        return { id: created.id, state: viaStruct(created.outs ?? {}) };
      },
      call: (args) => args.inputs,
    },
    "itniotech-test",
    "test",
    false,
  );
  const result = program();
  return { result, registrations };
}

/** An Output's value and whether it is secret. */
export async function settle<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  // The Output's internal promises are the only way to read secret-ness outside apply.
  const internal = output as unknown as { promise(): Promise<T>; isSecret: Promise<boolean> };
  return { value: await internal.promise(), secret: await internal.isSecret };
}

/**
 * The serialized `__provider` text of each dynamic resource type a program
 * registers, obtained the way the engine gets it (from the registered inputs),
 * without creating anything.
 */
export async function captureProviders(program: () => unknown): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const text = (args.inputs as Record<string, unknown>)["__provider"];
        if (typeof text === "string") texts.set(args.type, text);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "itniotech-engine",
    "test",
    true,
  );
  program();
  // Registration is asynchronous: wait until every type has reported.
  for (let i = 0; i < 100 && texts.size === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return texts;
}
