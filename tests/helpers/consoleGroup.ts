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

/**
 * The i-th of many groups as a console and scripts leave them: 1 to 50 phones, five
 * naming styles (spaces, CJK, accents, an emoji). For the onboarding round trips.
 */
export function consoleStyleGroup(i: number): {
  groupName: string;
  phoneName: string;
  quantity: number;
  displayNum: string;
} {
  const styles = [
    { groupName: `team-${i}`, phoneName: `team${i}phone` },
    { groupName: `Front Desk ${i}`, phoneName: `front desk ${i}` },
    { groupName: `话机组 ${i}`, phoneName: `话机 ${i}` },
    { groupName: `Zürich Büro ${i}`, phoneName: `zürich ${i}` },
    { groupName: `📞 Hotline ${i}`, phoneName: `hotline-${i}` },
  ];
  return {
    ...styles[i % styles.length]!,
    quantity: 1 + ((i * 17) % 50),
    displayNum: `86100${String(i).padStart(5, "0")}`,
  };
}
