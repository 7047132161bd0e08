import type { VoiceClient } from "../provider/client";
import { clientFor, readSettings, SETTINGS } from "../provider/config";
import { DEFAULT_BASE_URL } from "../protocol/types";
import { CommandError } from "./command";

/**
 * The API client every command uses: the one place the command line turns its
 * environment into credentials, with the provider's own names and rules
 * (`ITNIOTECH_API_KEY`, `ITNIOTECH_API_SECRET`, `ITNIOTECH_BASE_URL`; see
 * provider/config.ts). The stack config's `itniotech:accounts` is not read here: a
 * command works on one set of credentials, and `--account` (of `itniotech passwords`)
 * names a phone account, not an Itniotech account.
 */
export function resolveClient(env: NodeJS.ProcessEnv): VoiceClient {
  const state = readSettings(() => undefined, env);
  const missing = [SETTINGS.apiKey, SETTINGS.apiSecret]
    .filter((setting) => {
      const value = env[setting.env];
      return value === undefined || value.trim() === "";
    })
    .map((setting) => setting.env);
  if (missing.length > 0) {
    throw new CommandError(
      `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set: set ${SETTINGS.apiKey.env} ` +
        `and ${SETTINGS.apiSecret.env} to the Itniotech API key and secret ` +
        `(and ${SETTINGS.baseUrl.env} for another API than ${DEFAULT_BASE_URL}, such as the emulator's)`,
    );
  }
  return clientFor(state);
}
