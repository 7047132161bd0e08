import { LIMITS } from "../../protocol/rules";
import type {
  PhoneRecord,
  SipAddRequest,
  SipQueryPage,
  SipQueryRequest,
  SipResetRequest,
  SipResetResult,
} from "../../protocol/types";
import { RequestSender, type VoiceClientOptions } from "./request";

/** Page size used to list an application's phones: the largest the API allows. */
export const PAGE_SIZE = LIMITS.pageSizeMax;

/**
 * The Itniotech Voice API client for the SIP phone endpoints.
 *
 * ```ts
 * const client = new VoiceClient({ apiKey, apiSecret, baseUrl: emulator.baseUrl });
 * await client.sipAdd({ appId, groupName, phoneName, quantity: 2, displayNum: "8610000000" });
 * for await (const phone of client.phones(appId)) console.log(phone.account);
 * ```
 *
 * Every failure is a `VoiceApiError` with a stable `code` and `ambiguous`.
 */
export class VoiceClient {
  readonly #sender: RequestSender;

  constructor(options: VoiceClientOptions) {
    this.#sender = new RequestSender(options);
  }

  /** The base URL calls go to. */
  get baseUrl(): string {
    return this.#sender.baseUrl;
  }

  /** Server clock minus local clock in ms, learnt from a -16 reply (0 before). */
  get clockOffsetMs(): number {
    return this.#sender.clockOffsetMs;
  }

  /**
   * Creates `quantity` phones in a new group. Returns nothing: the API returns no
   * accounts or passwords; read them with {@link phones}. Never resent after a
   * failure that may have taken effect (`error.ambiguous`): reconcile by reading.
   */
  async sipAdd(request: SipAddRequest): Promise<void> {
    const { groupName, phoneName, quantity, displayNum, appId } = request;
    await this.#sender.send("sipAdd", { groupName, phoneName, quantity, displayNum, appId }, () => null);
  }

  /** One page of an application's phones (the API filters by application only). */
  async sipQuery(request: { appId: string; current: number; size: number }): Promise<SipQueryPage> {
    const body: SipQueryRequest = {
      current: request.current,
      size: request.size,
      params: { appId: request.appId },
    };
    return this.#sender.send("sipQuery", body, decodePage);
  }

  /** Every phone of an application, paging with the largest page size. */
  async *phones(appId: string): AsyncIterableIterator<PhoneRecord> {
    for (let current = 1; ; current++) {
      const page = await this.sipQuery({ appId, current, size: PAGE_SIZE });
      yield* page.records;
      if (page.records.length === 0 || current >= page.pages) return;
    }
  }

  /** Resets one phone's password; the old one stops working at once. */
  async sipReset(request: SipResetRequest): Promise<SipResetResult> {
    const body: SipResetRequest = { account: request.account, appId: request.appId };
    return this.#sender.send("sipReset", body, decodeReset);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

const RECORD_FIELDS = ["groupName", "phoneName", "account", "password", "displayNum"] as const;

function decodeRecord(value: unknown): PhoneRecord | undefined {
  if (!isObject(value)) return undefined;
  const record: Partial<Record<(typeof RECORD_FIELDS)[number], string>> = {};
  for (const field of RECORD_FIELDS) {
    const text = value[field];
    // displayNum may plausibly come back as a number; it is a string of digits to us.
    if (typeof text === "string") record[field] = text;
    else if (field === "displayNum" && typeof text === "number") record[field] = String(text);
    else return undefined;
  }
  return record as PhoneRecord;
}

function decodePage(data: unknown): SipQueryPage | undefined {
  if (!isObject(data) || !Array.isArray(data["records"])) return undefined;
  const { total, size, current, pages } = data;
  if (!isCount(total) || !isCount(size) || !isCount(current) || !isCount(pages)) return undefined;
  const records: PhoneRecord[] = [];
  for (const raw of data["records"]) {
    const record = decodeRecord(raw);
    if (record === undefined) return undefined;
    records.push(record);
  }
  return { total, size, current, pages, records };
}

function decodeReset(data: unknown): SipResetResult | undefined {
  if (!isObject(data)) return undefined;
  const { account, password } = data;
  return typeof account === "string" && typeof password === "string" && password !== ""
    ? { account, password }
    : undefined;
}
