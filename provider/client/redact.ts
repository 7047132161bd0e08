/**
 * What may never be quoted back from a server: the API secret, the `Sign` of the
 * attempt being answered, and every password this client has read or set. A
 * gateway that echoes request headers, or a vendor that quotes a value in its
 * `reason`, must not put any of them into an error message (Pulumi prints provider
 * errors, with their stack, to the user and into CI logs).
 *
 * The passwords are kept only in memory, in a private field, for as long as the
 * client lives, and only the most recent `MAX_REMEMBERED_SECRETS`.
 */
export class Redactor {
  /** Secrets by length, so redacting a text costs a set lookup per position and distinct length. */
  readonly #byLength = new Map<number, Set<string>>();
  /** Remembered secrets, oldest first (a Set keeps insertion order): the eviction order. */
  readonly #remembered = new Set<string>();
  readonly #fixed: readonly string[];

  constructor(
    fixed: readonly string[],
    readonly capacity = MAX_REMEMBERED_SECRETS,
  ) {
    this.#fixed = fixed.filter((s) => s !== "");
  }

  /** Adds a secret (a password read or set through this client) to what is redacted. */
  remember(secret: string): void {
    if (secret === "") return;
    if (this.#remembered.has(secret)) {
      // Refresh its place: a password in use is the last to be forgotten.
      this.#remembered.delete(secret);
      this.#remembered.add(secret);
      return;
    }
    this.#remembered.add(secret);
    this.#index(secret).add(secret);
    if (this.#remembered.size > this.capacity) {
      const oldest = this.#remembered.values().next().value as string;
      this.#remembered.delete(oldest);
      this.#byLength.get(oldest.length)?.delete(oldest);
    }
  }

  /**
   * `text` cut to `maxLength` characters (whitespace runs folded to one space), with
   * every occurrence of a secret replaced by `[redacted]`. The cut happens after
   * redaction, so no secret shows in part at the end.
   */
  quote(text: string, maxLength: number, extra: readonly string[] = []): string {
    const secrets = [...this.#fixed, ...extra.filter((s) => s !== "")];
    const longest = Math.max(0, ...secrets.map((s) => s.length), ...this.#byLength.keys());
    // Only the head can be quoted; a secret that starts inside it ends within `longest`.
    const head = text.length > maxLength + longest ? text.slice(0, maxLength + longest) : text;
    const flat = this.#redact(head, secrets).replace(/\s+/g, " ").trim();
    return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
  }

  #redact(text: string, extra: readonly string[]): string {
    const lengths = new Map<number, Set<string>>();
    for (const [length, set] of this.#byLength) if (set.size > 0) lengths.set(length, set);
    for (const secret of extra) {
      let set = lengths.get(secret.length);
      if (set === undefined || set === this.#byLength.get(secret.length))
        lengths.set(secret.length, (set = new Set(set)));
      set.add(secret);
    }
    // Longest first, so a secret that contains a shorter one is replaced whole.
    const order = [...lengths.keys()].sort((a, b) => b - a);
    let out = "";
    let i = 0;
    outer: while (i < text.length) {
      for (const length of order) {
        if ((lengths.get(length) as Set<string>).has(text.slice(i, i + length))) {
          out += REDACTED;
          i += length;
          continue outer;
        }
      }
      out += text[i];
      i++;
    }
    return out;
  }

  #index(secret: string): Set<string> {
    let set = this.#byLength.get(secret.length);
    if (set === undefined) this.#byLength.set(secret.length, (set = new Set()));
    return set;
  }
}

/** What a redacted secret reads as. */
export const REDACTED = "[redacted]";

/**
 * Passwords remembered per client for redaction: as many as the largest listing this
 * client reads (1,000 pages of 100, see `MAX_PAGES`), so a refresh of the biggest
 * application it can list keeps every one of its passwords redactable. At ~60 bytes
 * each that is at most ~6 MB.
 */
export const MAX_REMEMBERED_SECRETS = 100_000;
