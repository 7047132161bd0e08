import type { Emulator } from "../../emulator";

/**
 * What the platform (the emulator) holds: account → password of an application's
 * phones, of one group when `groupName` is given. The truth every test of passwords
 * and fingerprints compares with.
 */
export function platformPasswords(
  emulator: Emulator,
  appId: string,
  groupName?: unknown,
): Record<string, string> {
  return Object.fromEntries(
    emulator
      .phones(appId)
      .filter((p) => groupName === undefined || p.groupName === groupName)
      .map((p) => [p.account, p.password]),
  );
}
