import {
  appIdRule,
  applyRules,
  LIMITS,
  pageNumberRule,
  SIP_ADD_RULES,
  SIP_RESET_RULES,
  type RuleFailure,
} from "../protocol/rules";
import { coerceFields, SIP_ADD_COERCIONS, SIP_QUERY_COERCIONS } from "../protocol/coercion";
import { Status } from "../protocol/status";
import type { Endpoint, SipAddRequest, SipQueryPage } from "../protocol/types";
import { reply, type Reply } from "./replies";
import { newPassword, toRecord, type PhoneStore } from "./store";

export interface RouteContext {
  store: PhoneStore;
  maxPhonesPerApp: number;
  /** Whether the caller's account may use the application (see `Credential.appIds`). */
  mayUse(appId: string): boolean;
}

/**
 * A route handler validates, then applies its change synchronously (no await
 * between the uniqueness check and the insert), and says whether state changed.
 */
export type Handler = (body: unknown, context: RouteContext) => { reply: Reply; changed: boolean };

const DEFAULT_CURRENT = 1;
const DEFAULT_SIZE = 25;
const currentRule = pageNumberRule(1, Number.MAX_SAFE_INTEGER);
const sizeRule = pageNumberRule(LIMITS.pageSizeMin, LIMITS.pageSizeMax);

function asObject(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export const ROUTES: Record<Endpoint, Handler> = {
  sipAdd(body, { store, maxPhonesPerApp, mayUse }) {
    // The vendor's own PHP sample sends quantity as a string: read it as the platform does.
    const request = coerceFields(SIP_ADD_COERCIONS, body);
    const failures = applyRules(SIP_ADD_RULES, request);
    if (failures.length > 0) return { reply: reply.invalid(failures), changed: false };
    const group = request as SipAddRequest;
    // Another account's application: the emulator's choice (emulator/README.md).
    if (!mayUse(group.appId))
      return {
        reply: reply.fail(Status.PARAMETER, "parameter error: appId: no such application"),
        changed: false,
      };
    if (store.hasGroup(group.appId, group.groupName)) {
      return {
        reply: reply.fail(Status.ALREADY_EXISTS, `data already exists: groupName ${group.groupName}`),
        changed: false,
      };
    }
    if (store.hasPhoneName(group.appId, group.phoneName)) {
      return {
        reply: reply.fail(Status.ALREADY_EXISTS, `data already exists: phoneName ${group.phoneName}`),
        changed: false,
      };
    }
    if (store.count(group.appId) + group.quantity > maxPhonesPerApp) {
      return {
        reply: reply.fail(
          Status.DATA_CAP,
          `data cap reached: at most ${maxPhonesPerApp} phones per application`,
        ),
        changed: false,
      };
    }
    store.addGroup(group);
    return { reply: reply.ok(null), changed: true };
  },

  sipQuery(body, { store, mayUse }) {
    const request = asObject(coerceFields(SIP_QUERY_COERCIONS, body));
    const params = asObject(request["params"]);
    const failures: RuleFailure[] = [];
    const check = (property: string, reason: string | undefined) =>
      reason && failures.push({ property, reason });
    check("current", currentRule(request["current"]));
    check("size", sizeRule(request["size"]));
    check("params.appId", appIdRule(params["appId"]));
    if (failures.length > 0) return { reply: reply.invalid(failures), changed: false };
    const current = (request["current"] as number | undefined) ?? DEFAULT_CURRENT;
    const size = (request["size"] as number | undefined) ?? DEFAULT_SIZE;
    const appId = params["appId"] as string;
    // Another account's application lists nothing, as one that does not exist.
    const { total, records } = mayUse(appId) ? store.page(appId, current, size) : { total: 0, records: [] };
    const page: SipQueryPage = {
      total,
      size,
      current,
      pages: Math.ceil(total / size),
      records: records.map(toRecord),
    };
    return { reply: reply.ok(page), changed: false };
  },

  sipReset(body, { store, mayUse }) {
    const failures = applyRules(SIP_RESET_RULES, body);
    if (failures.length > 0) return { reply: reply.invalid(failures), changed: false };
    const { appId, account } = body as { appId: string; account: string };
    const phone = mayUse(appId) ? store.find(appId, account) : undefined;
    if (!phone)
      return {
        reply: reply.fail(Status.NOT_FOUND, `data does not exist: account ${account}`),
        changed: false,
      };
    phone.password = newPassword();
    return { reply: reply.ok({ account: phone.account, password: phone.password }), changed: true };
  },
};
