/**
 * What may never be quoted back from a server: the API secret, the `Sign` of the
 * attempt being answered, and every password this client has read or set. A
 * gateway that echoes request headers, or a vendor that quotes a value in its
 * `reason`, must not put any of them into an error message (Pulumi prints provider
 * errors, with their stack, to the user and into CI logs).
 *
 * The passwords are kept only in memory, in a private field, for as long as the
 * client lives: only the most recent `MAX_REMEMBERED_SECRETS`, and no more than
 * `MAX_REMEMBERED_CHARACTERS` of them in all. Each is at most `MAX_PASSWORD_LENGTH`
 * characters (a longer one in a reply is refused as BAD_RESPONSE), so redacting a
 * quote costs at most (its length + 128) × 128 distinct lengths × 128 characters,
 * whatever the vendor lists: linear in the quote, and the quote is cut to its head.
 */
export class Redactor {
  /** Secrets by length, so redacting a text costs a set lookup per position and distinct length. */
  readonly #byLength = new Map<number, Set<string>>();
  /** Remembered secrets, oldest first (a Set keeps insertion order): the eviction order. */
  readonly #remembered = new Set<string>();
  /** Characters of the remembered secrets, for `MAX_REMEMBERED_CHARACTERS`. */
  #characters = 0;
  readonly #fixed: readonly string[];

  constructor(
    fixed: readonly string[],
    readonly capacity = MAX_REMEMBERED_SECRETS,
    readonly characterCapacity = MAX_REMEMBERED_CHARACTERS,
  ) {
    this.#fixed = fixed.filter((s) => s !== "");
  }

  /** Adds a secret (a password read or set through this client) to what is redacted. */
  remember(secret: string): void {
    // Longer ones never come from a reply (the decoders refuse them): nothing to keep.
    if (secret === "" || secret.length > MAX_PASSWORD_LENGTH) return;
    if (this.#remembered.has(secret)) {
      // Refresh its place: a password in use is the last to be forgotten.
      this.#remembered.delete(secret);
      this.#remembered.add(secret);
      return;
    }
    this.#remembered.add(secret);
    this.#index(secret).add(secret);
    this.#characters += secret.length;
    while (this.#remembered.size > this.capacity || this.#characters > this.characterCapacity) {
      const oldest = this.#remembered.values().next().value as string;
      this.#remembered.delete(oldest);
      this.#byLength.get(oldest.length)?.delete(oldest);
      this.#characters -= oldest.length;
    }
  }

  /** What is remembered now: secrets, their characters, and their distinct lengths (the cost of a quote). */
  get size(): { secrets: number; characters: number; lengths: number } {
    const lengths = [...this.#byLength.values()].filter((set) => set.size > 0).length;
    return { secrets: this.#remembered.size, characters: this.#characters, lengths };
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
 * application it can list keeps every one of its passwords redactable (vendor
 * passwords are 8 characters: about 2 MB), within `MAX_REMEMBERED_CHARACTERS`.
 */
export const MAX_REMEMBERED_SECRETS = 100_000;

/**
 * Longest password accepted from a reply. The vendor issues 8-character passwords;
 * a listing of passwords 10 KB long kept 98 MiB in this redactor, and 2,000 distinct
 * lengths made one quote cost seconds of a blocked event loop. A longer one makes
 * the reply BAD_RESPONSE (the value is never quoted).
 */
export const MAX_PASSWORD_LENGTH = 128;

/** Characters the remembered passwords may hold in all (2 bytes each in memory): 4 MiB. */
export const MAX_REMEMBERED_CHARACTERS = 2 * 1024 * 1024;
