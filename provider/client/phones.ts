import { LIMITS } from "../../protocol/rules";
import type {
  PhoneRecord,
  SipAddRequest,
  SipQueryPage,
  SipQueryRequest,
  SipResetRequest,
  SipResetResult,
} from "../../protocol/types";
import { VoiceBadResponseError } from "./errors";
import type { RequestBudget } from "./budget";
import type { CircuitBreaker } from "./breaker";
import { mapBounded } from "./pool";
import { MAX_PASSWORD_LENGTH } from "./redact";
import { RequestSender, type VoiceClientOptions } from "./request";

/** Page size used to list an application's phones: the largest the API allows. */
export const PAGE_SIZE = LIMITS.pageSizeMax;

/**
 * Most pages one listing reads: 1,000 pages of 100 = 100,000 phones in one
 * application. The vendor's per-application cap (-23) is unspecified; the emulator's
 * default is 10,000 and the largest fleet benchmarked is 25,000, so this is 4× the
 * largest application we know of, while a server that claims 2^53 phones costs one
 * request instead of an endless listing.
 */
export const MAX_PAGES = 1_000;

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

  /**
   * The most API requests in flight at once for this client's base URL and API key
   * in the process (shared by every client of the account).
   */
  get maxConcurrency(): number {
    return this.#sender.budget.max;
  }

  /** The request budget this client shares with every client of its base URL and API key. */
  get budget(): RequestBudget {
    return this.#sender.budget;
  }

  /** The in-flight limit now: {@link maxConcurrency}, or less while the API pushes back. */
  get requestLimit(): number {
    return this.#sender.budget.limit;
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
    const page = await this.#sender.send("sipQuery", body, decodePage);
    for (const record of page.records) this.#sender.rememberSecret(record.password);
    return page;
  }

  /**
   * Every phone of an application, one record per account.
   *
   * The first page says how many phones there are; the other ⌈total/size⌉ − 1 pages
   * are then read at once, within the account's request budget. Nothing the server
   * says is trusted to end the listing: it reads at most ⌈total/size⌉ pages as the
   * first page reports them, never more than {@link MAX_PAGES}, and fails with
   * `BAD_RESPONSE` on a page that holds more records than its size or repeats the
   * page before it. When `total` changes between pages (phones were added while
   * listing), it lists once more; if it changes again, it returns every phone either
   * listing saw (phones are never deleted, so none of them is stale).
   */
  async listPhones(appId: string): Promise<PhoneRecord[]> {
    const first = await this.#scan(appId);
    if (first.steady) return first.records;
    const second = await this.#scan(appId);
    return second.steady ? second.records : onePerAccount([...first.records, ...second.records]);
  }

  /** Every phone of an application, as {@link listPhones} reads them. */
  async *phones(appId: string): AsyncIterableIterator<PhoneRecord> {
    yield* await this.listPhones(appId);
  }

  async #scan(appId: string): Promise<{ records: PhoneRecord[]; steady: boolean }> {
    const untrusted = (what: string) => new VoiceBadResponseError("sipQuery", what, false);
    const all: SipQueryPage[] = [];
    // Each page is checked as it arrives, so a broken listing stops the pages not yet sent.
    const read = async (current: number): Promise<void> => {
      const page = await this.sipQuery({ appId, current, size: PAGE_SIZE });
      const size = all[0]?.size ?? page.size;
      if (page.records.length > size)
        throw untrusted(`page ${current} holds ${page.records.length} records, more than its size ${size}`);
      all[current - 1] = page;
      for (const n of [current, current + 1]) {
        const [before, after] = [all[n - 2], all[n - 1]];
        if (before && after && before.total === after.total && after.records.length > 0)
          if (sameAccounts(before, after)) throw untrusted(`page ${n} repeats page ${n - 1}`);
      }
    };
    await read(1);
    const first = all[0] as SipQueryPage;
    if (first.total === 0 && first.records.length === 0) return { records: [], steady: true };
    if (first.size < 1 || first.size > PAGE_SIZE)
      throw untrusted(`the first page reports a page size of ${first.size}; ${PAGE_SIZE} was asked for`);
    const pages = Math.max(1, Math.ceil(first.total / first.size));
    if (pages > MAX_PAGES) {
      throw untrusted(
        `the first page reports ${first.total} phones in ${pages} pages, more than the ${MAX_PAGES} pages ` +
          `(${MAX_PAGES * PAGE_SIZE} phones) one listing reads`,
      );
    }
    const numbers = Array.from({ length: pages - 1 }, (_, i) => i + 2);
    await mapBounded(numbers, this.#sender.budget.max, read);
    const records = onePerAccount(all.flatMap((page) => page.records));
    // A total that moved means phones were added while listing: pages may have shifted.
    return { records, steady: all.every((page) => page.total === first.total) };
  }

  /** Resets one phone's password; the old one stops working at once. */
  async sipReset(request: SipResetRequest, breaker?: CircuitBreaker): Promise<SipResetResult> {
    const body: SipResetRequest = { account: request.account, appId: request.appId };
    // One of an operation's many: while its circuit breaker is open it fails unsent.
    const result = await this.#sender.send("sipReset", body, decodeReset, breaker);
    this.#sender.rememberSecret(result.password);
    return result;
  }
}

/** One record per account, in first-seen order, the latest record of each account kept. */
function onePerAccount(records: readonly PhoneRecord[]): PhoneRecord[] {
  const unique = new Map<string, PhoneRecord>();
  for (const record of records) unique.set(record.account, record);
  return [...unique.values()];
}

function sameAccounts(a: SipQueryPage, b: SipQueryPage): boolean {
  return (
    a.records.length === b.records.length && a.records.every((r, i) => r.account === b.records[i]?.account)
  );
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
    if (field === "password" && typeof text === "string" && text.length > MAX_PASSWORD_LENGTH)
      return undefined;
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
  return typeof account === "string" &&
    typeof password === "string" &&
    password !== "" &&
    password.length <= MAX_PASSWORD_LENGTH
    ? { account, password }
    : undefined;
}
