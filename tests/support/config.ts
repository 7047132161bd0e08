import { configure } from "../../provider/config";

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
  credentials: { apiKey: string; apiSecret: string },
  extra: Record<string, string> = {},
): Promise<void> {
  return configure({
    config: configLookup({
      "itniotech:apiKey": credentials.apiKey,
      "itniotech:apiSecret": credentials.apiSecret,
      "itniotech:baseUrl": baseUrl,
      ...extra,
    }),
  });
}
