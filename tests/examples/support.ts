import { DEMO_CREDENTIALS, startEmulator, type Emulator } from "../../emulator";

/** An emulator and the stack config that points the provider at it. */
export async function exampleEmulator(): Promise<{ emulator: Emulator; config: Record<string, string> }> {
  const emulator = await startEmulator({ port: 0 });
  return {
    emulator,
    config: {
      "itniotech:apiKey": DEMO_CREDENTIALS.apiKey,
      "itniotech:apiSecret": DEMO_CREDENTIALS.apiSecret,
      "itniotech:baseUrl": emulator.baseUrl,
    },
  };
}
