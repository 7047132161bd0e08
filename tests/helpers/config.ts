import { DEMO_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { configure } from "../../provider/config";

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** The stack config keys that are secret (what `pulumi config set --secret` marks). */
export const SECRET_CONFIG_KEYS = ["itniotech:apiSecret"];

/** The stack config that points the provider at an API at `baseUrl`, with namespaced keys. */
export function stackConfig(
  baseUrl: string,
  credentials: Credentials = DEMO_CREDENTIALS,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    "itniotech:apiKey": credentials.apiKey,
    "itniotech:apiSecret": credentials.apiSecret,
    "itniotech:baseUrl": baseUrl,
    ...extra,
  };
}

/**
 * An emulator on port 0 (each suite owns one and closes it) and the stack config
 * that points the provider at it, with the emulator's first credentials.
 */
export async function emulatorWithConfig(
  options: Omit<EmulatorOptions, "port"> = {},
): Promise<{ emulator: Emulator; config: Record<string, string> }> {
  const emulator = await startEmulator({ ...options, port: 0 });
  return { emulator, config: stackConfig(emulator.baseUrl, options.credentials?.[0] ?? DEMO_CREDENTIALS) };
}

/** A stack config as the provider host hands it to `configure`. */
export function configLookup(values: Record<string, string>): {
  get(key: string): string | undefined;
  require(key: string): string;
} {
  return { get: (key) => values[key], require: (key) => values[key] as string };
}

/** Configures the provider implementation (in this process) for an API at `baseUrl`. */
export function configureProvider(
  baseUrl: string,
  credentials: Credentials,
  extra: Record<string, string> = {},
): Promise<void> {
  return configure({ config: configLookup(stackConfig(baseUrl, credentials, extra)) });
}
