/**
 * Pulumi programs under `pulumi.runtime.setMocks`, where every dynamic resource is
 * run by its REAL serialized provider (`__provider`), loaded and called the way the
 * dynamic-provider host loads and calls it (cmd/dynamic-provider/index.js:
 * `requireFromString(text).handler()`, one instance per distinct text, `configure`
 * first with the whole stack config, secrets unwrapped), with the values between
 * engine and provider shaped as on the wire:
 * - the engine sends secrets bare to this provider (it does not accept secrets) and
 *   drops `undefined`; the host decodes google.protobuf.Struct, so arrays stay arrays;
 * - the host encodes what the provider returns with `Struct.fromJavaScript` and no
 *   cleaning: a result holding `undefined` fails here as it fails there;
 * - the stored outputs get the secret-ness of the request (`annotateSecrets`),
 *   `additionalSecretOutputs` and the secret-ness of same-named inputs, as the engine
 *   stores them (see ./values.ts) — the mock monitor itself drops the resource
 *   options, so they are read off the RegisterResourceRequest;
 * - in a preview (`preview: true`) only `check` runs and the checked inputs are the
 *   state, as the engine answers a preview Create for a provider without
 *   supportsPreview.
 *
 * The Pulumi runtime is module-level state. `runProgram` resets it (setMocks resets
 * the settings, the stack resource and the monitor) and waits for every
 * registration to finish before it returns, so runs may follow one another in one
 * jest file — awaited one at a time, never concurrently. A program passed as
 * `() => require("…/program")` runs only the first time in a jest file (modules are
 * cached per file): pass a function that declares the resources, or put each such
 * program in its own file.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  annotateSecrets,
  isSecret,
  marshal,
  markSecretOutputs,
  reveal,
  secret,
  UNKNOWN,
  viaStruct,
  type Props,
} from "./values";

export { viaStruct } from "./values";

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped SDK internals */
const settings: {
  getMonitor(): any;
  waitForRPCs(): Promise<void>;
} = require("@pulumi/pulumi/runtime/settings");
const {
  Config: HostConfig,
}: {
  Config: new (raw: Record<string, string>, project: string) => unknown;
} = require("@pulumi/pulumi/cmd/dynamic-provider/config");
/* eslint-enable @typescript-eslint/no-explicit-any */
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } =
  jest.requireActual("require-from-string");

/** One resource the program registered, as the engine received it. */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  /** The inputs as the monitor received them (secrets wrapped). */
  inputs: Props;
  /** The serialized provider text (`__provider`) of a dynamic resource. */
  providerText: string | undefined;
  /** The resource option, read off the registration request. */
  additionalSecretOutputs: string[];
  /** Set once the provider ran: the id and the outputs as stored (secrets wrapped). */
  id?: string;
  outputs?: Props;
  /**
   * The provider's check failures, or the error its create threw. The resource's
   * outputs then resolve as undefined (the real runtime rejects them).
   */
  error?: Error;
}

export interface ProgramOptions {
  /** Secret config keys: the program sees them as secrets, the provider unwrapped. */
  secretKeys?: string[];
  /** Run as `pulumi preview`: check only, outputs not yet known. @default false */
  preview?: boolean;
  /** @default "itniotech-test" */
  project?: string;
  /** @default "test" */
  stack?: string;
  /** Resolve with `errors` instead of rejecting when a registration fails. @default false */
  allowErrors?: boolean;
}

export interface ProgramRun<T> {
  result: T;
  registrations: Registration[];
  /** Every registration that failed, in order (only with `allowErrors`; otherwise runProgram rejects). */
  errors: Error[];
}

/** Loads a `__provider` text the way the host does. */
export function loadProvider(text: string): pulumi.dynamic.ResourceProvider {
  return requireFromString(text).handler();
}

/**
 * Runs `program` under mocks with `config` as the stack config (namespaced keys),
 * and resolves once every resource it registered has been handled.
 */
export async function runProgram<T>(
  program: () => T | Promise<T>,
  config: Record<string, string> = {},
  options: ProgramOptions = {},
): Promise<ProgramRun<T>> {
  const project = options.project ?? "itniotech-test";
  const registrations: Registration[] = [];
  const errors: Error[] = [];
  const providers = new Map<string, Promise<pulumi.dynamic.ResourceProvider>>();
  const requested = new Map<string, string[]>();
  const preview = options.preview ?? false;

  /** One provider per text, configured once, as the host caches them. */
  const providerFor = (text: string) => {
    let provider = providers.get(text);
    if (!provider) {
      provider = (async () => {
        const loaded = loadProvider(text);
        await loaded.configure?.({ config: new HostConfig(config, project) as pulumi.dynamic.Config });
        return loaded;
      })();
      providers.set(text, provider);
    }
    return provider;
  };

  async function runDynamic(registration: Registration, text: string): Promise<{ id: string; state: Props }> {
    const provider = await providerFor(text);
    const inputs = fromMonitor(registration.inputs);
    // Check: olds are empty for a new resource; news as the host decodes them.
    const news = viaStruct(marshal(inputs, { keepSecrets: false, keepUnknowns: preview }));
    const checked = provider.check ? await provider.check({}, news) : { inputs: news };
    if (checked.failures?.length) {
      throw new Error(
        `check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    const checkedInputs: Props = { ...(checked.inputs ?? news), __provider: news["__provider"] };
    const storedInputs = annotateSecrets(viaStruct(checkedInputs), inputs);
    if (preview) return { id: "", state: storedInputs };
    const created = await provider.create(
      viaStruct(marshal(storedInputs, { keepSecrets: false, keepUnknowns: false })),
    );
    const outputs = annotateSecrets(
      viaStruct({ ...(created.outs ?? {}), __provider: news["__provider"] }),
      storedInputs,
    );
    return {
      id: created.id,
      state: markSecretOutputs(outputs, storedInputs, registration.additionalSecretOutputs),
    };
  }

  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const inputs = args.inputs as Props;
        const provider = inputs["__provider"];
        const providerText = typeof reveal(provider) === "string" ? (reveal(provider) as string) : undefined;
        const registration: Registration = {
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs,
          providerText,
          additionalSecretOutputs: requested.get(`${args.type}::${args.name}`) ?? [],
        };
        registrations.push(registration);
        if (!args.type.startsWith("pulumi-nodejs:dynamic") || providerText === undefined) {
          return { id: `${args.name}-id`, state: inputs };
        }
        try {
          const { id, state } = await runDynamic(registration, providerText);
          registration.id = id;
          registration.outputs = state;
          return { id, state };
        } catch (e) {
          // Answered, not thrown: the SDK would reject every output of the resource, and under jest
          // those rejections are unhandled (they crash the worker). runProgram reports the failure.
          const error = asError(e, registration);
          registration.error = error;
          errors.push(error);
          return { id: "", state: {} };
        }
      },
      call: (args) => args.inputs,
    },
    project,
    options.stack ?? "test",
    preview,
  );
  pulumi.runtime.setAllConfig(config, options.secretKeys);

  requestedSecretOutputs(requested);

  const result = await program();
  await settings.waitForRPCs();
  if (errors.length > 0 && !options.allowErrors) throw new ProgramFailedError(errors);
  return { result, registrations, errors };
}

/** A run in which some registrations failed, as `pulumi up` fails. */
export class ProgramFailedError extends Error {
  override readonly name = "ProgramFailedError";
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

/**
 * The provider runs in Node's own realm (require-from-string), so its errors are not
 * `instanceof Error` here. A thrown object with an `id` is a partial failure: the
 * engine would keep its properties, so the registration keeps them too.
 */
function asError(thrown: unknown, registration: Registration): Error {
  const like = (typeof thrown === "object" && thrown !== null ? thrown : {}) as {
    message?: unknown;
    id?: unknown;
    properties?: unknown;
    reasons?: unknown;
  };
  const message = typeof like.message === "string" ? like.message : String(thrown);
  if (typeof like.id === "string" && like.id) {
    const properties = viaStruct((like.properties ?? {}) as Props);
    registration.id = like.id;
    const inputs = fromMonitor(registration.inputs);
    registration.outputs = markSecretOutputs(
      annotateSecrets(properties, inputs),
      inputs,
      registration.additionalSecretOutputs,
    );
    const reasons = Array.isArray(like.reasons) ? like.reasons.map(String) : [];
    return new Error(
      `${registration.name}: created as ${like.id} but failed to initialize: ${reasons.join("; ") || message}`,
    );
  }
  return new Error(`${registration.name}: ${message}`);
}

/** The monitor's view of inputs, unknowns back to the wire's sentinel (a preview's unresolved values). */
function fromMonitor(value: Props): Props {
  const convert = (v: unknown): unknown => {
    if (pulumi.isUnknown(v)) return UNKNOWN;
    if (isSecret(v)) return secret(convert(v.value));
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, convert(item)]));
    return v;
  };
  return convert(value) as Props;
}

/** An Output's value, whether it is secret, and whether it is known (false for a preview's unknowns). */
export async function settle<T>(
  output: pulumi.Output<T>,
): Promise<{ value: T; secret: boolean; known: boolean }> {
  // The internal promise is the only way to read a value without apply, which skips unknowns.
  const internal = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean> };
  const [value, secretness, known] = await Promise.all([
    internal.promise(),
    pulumi.isSecret(output),
    internal.isKnown,
  ]);
  // The SDK reports an empty string's secret-ness as "" (`obj && …`): coerce.
  return { value, secret: secretness === true, known };
}

/**
 * The serialized `__provider` text of each dynamic resource type a program
 * registers, taken the way the engine gets it (from the registered inputs), in a
 * preview that runs no provider.
 */
export async function captureProviders(program: () => unknown): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const text = reveal((args.inputs as Props)["__provider"]);
        if (typeof text === "string") texts.set(args.type, text);
        return { id: "", state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "itniotech-engine",
    "test",
    true,
  );
  await program();
  await settings.waitForRPCs();
  return texts;
}

/** One resource a program registered, as the engine receives it, before any provider runs. */
export interface CapturedRegistration {
  type: string;
  name: string;
  /** The inputs as the engine gets them: secrets wrapped, a preview's unknowns as the wire's UNKNOWN. */
  inputs: Props;
  /** The serialized provider text (`__provider`) of a dynamic resource. */
  providerText: string | undefined;
  /** The resource option, read off the registration request. */
  additionalSecretOutputs: string[];
  /** The resource option, read off the registration request. */
  retainOnDelete: boolean;
}

/**
 * Every resource `program` registers, in order, captured the way the engine gets
 * it (the RegisterResource request: inputs, `__provider`, resource options) in a
 * preview that runs no provider. Use the captured inputs as the `news` an
 * engine-like driver sends to the real host.
 */
export async function captureRegistrations(
  program: () => unknown,
  options: { project?: string; stack?: string } = {},
): Promise<CapturedRegistration[]> {
  const captured: CapturedRegistration[] = [];
  const requested = new Map<string, string[]>();
  const retained = new Set<string>();
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const inputs = fromMonitor(args.inputs as Props);
        const text = reveal(inputs["__provider"]);
        captured.push({
          type: args.type,
          name: args.name,
          inputs,
          providerText: typeof text === "string" ? text : undefined,
          additionalSecretOutputs: requested.get(`${args.type}::${args.name}`) ?? [],
          retainOnDelete: retained.has(`${args.type}::${args.name}`),
        });
        return { id: "", state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    options.project ?? "itniotech-engine",
    options.stack ?? "test",
    true,
  );
  requestedSecretOutputs(requested, retained);
  await program();
  await settings.waitForRPCs();
  return captured;
}

/**
 * The mock monitor hands `newResource` no resource options, so read each
 * registration's `additionalSecretOutputs` (and whether it is `retainOnDelete`) off
 * the request, keyed `type::name`.
 */
function requestedSecretOutputs(into: Map<string, string[]>, retained?: Set<string>): void {
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (
    request: {
      getType(): string;
      getName(): string;
      getAdditionalsecretoutputsList(): string[];
      getRetainondelete(): boolean | undefined;
    },
    callback: unknown,
  ) => {
    const key = `${request.getType()}::${request.getName()}`;
    into.set(key, request.getAdditionalsecretoutputsList());
    if (request.getRetainondelete() === true) retained?.add(key);
    return register(request, callback);
  };
}
