/**
 * `pulumi-itniotech`: Itniotech Voice SIP phone groups as Pulumi resources.
 *
 * ```ts
 * import { SipPhoneGroup } from "pulumi-itniotech";
 * const office = new SipPhoneGroup("office", { appId: "4luaKsL2", quantity: 10, displayNum: "8610000000" });
 * export const accounts = office.accounts;
 * ```
 *
 * @module pulumi-itniotech
 */
export { SipPhoneGroup, type SipPhoneGroupArgs } from "./sipPhoneGroup";
export { SipPhonePassword, type SipPhonePasswordArgs } from "./sipPhonePassword";
export {
  getSipPhoneGroup,
  getSipPhoneGroupPasswords,
  listSipPhoneGroups,
  type GetSipPhoneGroupArgs,
  type ListSipPhoneGroupsArgs,
  type SipPhoneGroupInfo,
  type SipPhoneGroupSummary,
} from "./lookups";
