/**
 * Hand-built arguments for the pack's validators, shaped as @pulumi/policy 1.21
 * builds them in its analyzer (server.js): properties behind its own
 * unknown-checking proxy, options with `protect`, config from `getConfig()`, and
 * `reportViolation` collecting messages. The proxy is @pulumi/policy's internal
 * module, used here so that a rule reading an unknown value the wrong way fails
 * these tests as it would fail in a preview.
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { GROUP_TYPE } from "../../policy";

const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(props: T): T;
};

/** The string sentinel the engine sends for an unknown value in a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface ResourceInput {
  type?: string;
  name?: string;
  stack?: string;
  props?: Record<string, unknown>;
  protect?: boolean;
  config?: object;
}

export function urn(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::phones::${type}::${name}`;
}

function resource(input: ResourceInput): PolicyResource {
  const type = input.type ?? GROUP_TYPE;
  const name = input.name ?? "office";
  return {
    type,
    name,
    urn: urn(input.stack ?? "dev", type, name),
    props: unknownCheckingProxy({ ...(input.props ?? {}) }),
    opts: {
      protect: input.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

const notApplicable = (reason?: string): never => {
  throw new Error(`notApplicable(${reason ?? ""})`);
};

/** Runs a resource policy's validation on one hand-built resource; returns the messages it reported. */
export async function validate(policy: ResourceValidationPolicy, input: ResourceInput): Promise<string[]> {
  const messages: string[] = [];
  const { type, name, urn, props, opts } = resource(input);
  const args: ResourceValidationArgs = {
    type,
    name,
    urn,
    props,
    opts,
    isType: () => false,
    asType: () => undefined,
    stackTags: new Map(),
    getConfig: <T extends object>() => (input.config ?? {}) as T,
    notApplicable,
  };
  const validations = [policy.validateResource ?? []].flat();
  for (const validation of validations) await validation(args, (m) => messages.push(String(m)));
  return messages;
}

/** Runs a stack policy on hand-built resources; returns the messages it reported. */
export async function validateStack(
  policy: StackValidationPolicy,
  resources: ResourceInput[],
  config: object = {},
): Promise<string[]> {
  const messages: string[] = [];
  const args: StackValidationArgs = {
    resources: resources.map(resource),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  await policy.validateStack(args, (m) => messages.push(String(m)));
  return messages;
}
