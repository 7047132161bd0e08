import { sign } from "../../protocol/signing";

/**
 * A secret canary scan: every way a value could leak into text (plain, base64,
 * URL-encoded) for the API secret, every Sign value the client could have sent
 * in a time window, and every password the platform ever held.
 */
export class CanaryScan {
  readonly #needles = new Map<string, string>();

  add(label: string, value: string): void {
    if (value.length < 6) return; // too short to tell from noise
    for (const [how, text] of [
      ["plain", value],
      ["base64", Buffer.from(value).toString("base64")],
      ["url", encodeURIComponent(value)],
    ] as const) {
      if (!this.#needles.has(text)) this.#needles.set(text, `${label} (${how})`);
    }
  }

  /** Every Sign value for timestamps in [fromSeconds, toSeconds]. */
  addSigns(apiKey: string, apiSecret: string, fromSeconds: number, toSeconds: number): void {
    for (let t = fromSeconds; t <= toSeconds; t++) this.add("Sign", sign(apiKey, apiSecret, String(t)));
  }

  /** The API secret and every Sign it makes for timestamps within `[from, to]` seconds. */
  addCredentials(
    credentials: { apiKey: string; apiSecret: string },
    fromSeconds: number,
    toSeconds: number,
  ): void {
    this.add("API secret", credentials.apiSecret);
    this.addSigns(credentials.apiKey, credentials.apiSecret, fromSeconds, toSeconds);
  }

  get size(): number {
    return this.#needles.size;
  }

  /** The canaries found in `text`, described. */
  find(text: string): string[] {
    const found: string[] = [];
    for (const [needle, label] of this.#needles) if (text.includes(needle)) found.push(label);
    return found;
  }
}
