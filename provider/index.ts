/**
 * `pulumi-itniotech/provider`: the API client and the dynamic providers' implementation.
 * Runs inside Pulumi's dynamic-provider host, where the resource classes' thin provider
 * shells `require` it by package name.
 *
 * @module pulumi-itniotech/provider
 */
export * from "./client";
export { configure } from "./config";
export { sipPhoneGroupProvider } from "./groups";
export { sipPhonePasswordProvider } from "./passwords";
/** The lookups' implementation; they run in the program (see sdk/lookups.ts). */
export * as lookups from "./lookups";
/** The vendor's field rules (names, quantity, displayNum, appId), for validating input files up front. */
export * as rules from "../protocol/rules";
export type {
  SipAddRequest,
  SipQueryRequest,
  SipQueryPage,
  SipResetRequest,
  SipResetResult,
  PhoneRecord,
  VoiceResponse,
  Endpoint,
} from "../protocol/types";
export { DEFAULT_BASE_URL } from "../protocol/types";
