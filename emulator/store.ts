import { randomInt } from "node:crypto";
import type { PhoneRecord } from "../protocol/types";

/** One phone as the emulator keeps it. */
export interface Phone extends PhoneRecord {
  appId: string;
}

/** What a serialized store looks like on disk (version 1). */
export interface StoreSnapshot {
  version: 1;
  phones: Phone[];
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 8 random alphanumerics from the OS's CSPRNG, like the vendor's sample `Zi6CsOka`. */
export function newPassword(): string {
  let out = "";
  for (let i = 0; i < 8; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** One group as the operator sees it: its names, caller ID and how many phones it holds. */
export interface GroupSummary {
  groupName: string;
  phoneName: string;
  displayNum: string;
  quantity: number;
}

/** The one projection of a stored phone onto what sipQuery lists and the operator sees. */
export function toRecord({ groupName, phoneName, account, password, displayNum }: Phone): PhoneRecord {
  return { groupName, phoneName, account, password, displayNum };
}

interface App {
  /** Phones in creation order: sipQuery pages slice this without sorting. */
  list: Phone[];
  byAccount: Map<string, Phone>;
  groupNames: Set<string>;
  phoneNames: Set<string>;
}

/**
 * The emulator's data: phones per application, with the vendor's uniqueness rules
 * (group and phone names per application). Every method is synchronous, so a check
 * and the change it guards can never interleave with another request: of two
 * concurrent identical sipAdd calls exactly one wins.
 */
export class PhoneStore {
  #apps = new Map<string, App>();

  constructor(snapshot?: StoreSnapshot) {
    for (const phone of snapshot?.phones ?? []) this.#insert({ ...phone });
  }

  snapshot(): StoreSnapshot {
    const phones: Phone[] = [];
    for (const app of this.#apps.values()) for (const phone of app.list) phones.push({ ...phone });
    return { version: 1, phones };
  }

  clear(): void {
    this.#apps.clear();
  }

  count(appId: string): number {
    return this.#apps.get(appId)?.list.length ?? 0;
  }

  hasGroup(appId: string, groupName: string): boolean {
    return this.#apps.get(appId)?.groupNames.has(groupName) ?? false;
  }

  hasPhoneName(appId: string, phoneName: string): boolean {
    return this.#apps.get(appId)?.phoneNames.has(phoneName) ?? false;
  }

  /** Creates a group's phones: accounts `<phoneName>_<NNN>`, fresh passwords. */
  addGroup(group: {
    appId: string;
    groupName: string;
    phoneName: string;
    quantity: number;
    displayNum: string;
  }): Phone[] {
    const created: Phone[] = [];
    for (let n = 1; n <= group.quantity; n++) {
      const phone: Phone = {
        appId: group.appId,
        groupName: group.groupName,
        phoneName: group.phoneName,
        account: `${group.phoneName}_${String(n).padStart(3, "0")}`,
        password: newPassword(),
        displayNum: group.displayNum,
      };
      this.#insert(phone);
      created.push(phone);
    }
    return created;
  }

  /** A page of an application's phones, in creation order. */
  page(appId: string, current: number, size: number): { total: number; records: Phone[] } {
    const list = this.#apps.get(appId)?.list ?? [];
    return { total: list.length, records: list.slice((current - 1) * size, current * size) };
  }

  phones(appId?: string): Phone[] {
    const apps =
      appId === undefined ? [...this.#apps.values()] : [this.#apps.get(appId)].filter((a) => a !== undefined);
    return apps.flatMap((app) => app.list.map((p) => ({ ...p })));
  }

  /** Phones as records (no appId), for callers that already know the application. */
  records(appId?: string): PhoneRecord[] {
    return this.phones(appId).map(toRecord);
  }

  /** An application's groups with their phone counts, in creation order. */
  groups(appId: string): GroupSummary[] {
    const groups = new Map<string, GroupSummary>();
    for (const p of this.#apps.get(appId)?.list ?? []) {
      const g = groups.get(p.groupName) ?? {
        groupName: p.groupName,
        phoneName: p.phoneName,
        displayNum: p.displayNum,
        quantity: 0,
      };
      g.quantity++;
      groups.set(p.groupName, g);
    }
    return [...groups.values()];
  }

  find(appId: string, account: string): Phone | undefined {
    return this.#apps.get(appId)?.byAccount.get(account);
  }

  /** Operator only (the API cannot delete): removes a group and frees its names. */
  removeGroup(appId: string, groupName: string): number {
    const app = this.#apps.get(appId);
    if (!app) return 0;
    const removed = app.list.filter((p) => p.groupName === groupName);
    app.list = app.list.filter((p) => p.groupName !== groupName);
    for (const phone of removed) {
      app.byAccount.delete(phone.account);
      app.phoneNames.delete(phone.phoneName);
    }
    app.groupNames.delete(groupName);
    return removed.length;
  }

  #insert(phone: Phone): void {
    let app = this.#apps.get(phone.appId);
    if (!app) {
      app = { list: [], byAccount: new Map(), groupNames: new Set(), phoneNames: new Set() };
      this.#apps.set(phone.appId, app);
    }
    app.list.push(phone);
    app.byAccount.set(phone.account, phone);
    app.groupNames.add(phone.groupName);
    app.phoneNames.add(phone.phoneName);
  }
}
