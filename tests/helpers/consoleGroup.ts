import type { Emulator } from "../../emulator";

/**
 * The group examples/adopt takes over: "made in the vendor's console", i.e. seeded
 * on the emulator before the program runs. One definition for every test that runs
 * that example (in-process, through the engine harness, and from the packed tarball).
 */
export const CONSOLE_GROUP = {
  appId: "demo-app",
  groupName: "front-desk-console",
  phoneName: "frontdesk",
  quantity: 4,
  displayNum: "8610000000",
} as const;

/** Seeds {@link CONSOLE_GROUP}; returns its phones (accounts and passwords). */
export function seedConsoleGroup(emulator: Pick<Emulator, "seedGroup">): ReturnType<Emulator["seedGroup"]> {
  return emulator.seedGroup({ ...CONSOLE_GROUP });
}
