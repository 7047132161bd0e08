import { createHash } from "node:crypto";

/**
 * Pulumi logical names for platform groups, as `itniotech export` writes them.
 *
 * - Valid: letters, digits and dashes, starting with a letter or digit — what the
 *   groups-from-yaml file accepts for `name`, and readable in a URN.
 * - Stable: a name depends on its group name alone, so exporting again (another day,
 *   with other `--include` filters, after groups were added) gives every group the
 *   same name, and the stack's URNs do not move.
 * - Unique: a group name that is already valid is used as it is (group names are
 *   unique within an application). Any other is transliterated where it can be
 *   (accents dropped: `Zürich Büro` → `Zurich-Buro`), and gets the first
 *   {@link HASH_CHARS} hex characters of the SHA-256 of the exact group name, so
 *   `Front Desk`, `front-desk` and `Front  Desk` stay apart; names with no Latin
 *   letter or digit at all (`话机组一`) become `group-<hash>`.
 *
 * Only a hash collision (or a group literally named like another's derived name)
 * needs the whole set: those names get a longer hash, deterministically.
 */
export function logicalNames(groupNames: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const groupName of groupNames) names.set(groupName, logicalName(groupName));
  for (let chars = HASH_CHARS * 2; chars <= 64; chars *= 2) {
    const taken = new Map<string, number>();
    for (const name of names.values()) taken.set(name, (taken.get(name) ?? 0) + 1);
    const clashing = [...names].filter(
      ([groupName, name]) => (taken.get(name) ?? 0) > 1 && name !== groupName,
    );
    if (clashing.length === 0) break;
    for (const [groupName] of clashing) names.set(groupName, logicalName(groupName, chars));
  }
  return names;
}

/** Hex characters of the hash that tells apart group names that read alike: 32 bits. */
export const HASH_CHARS = 8;

const VALID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** The logical name of one group (see {@link logicalNames}). */
export function logicalName(groupName: string, hashChars = HASH_CHARS): string {
  if (VALID.test(groupName)) return groupName;
  const latin = groupName
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const hash = createHash("sha256").update(groupName, "utf8").digest("hex").slice(0, hashChars);
  return `${latin || "group"}-${hash}`;
}
