/**
 * `pulumi-itniotech/provider`: the API client and the dynamic providers' implementation.
 * Runs inside Pulumi's dynamic-provider host, where the resource classes' thin provider
 * shells `require` it by package name.
 *
 * @module pulumi-itniotech/provider
 */
export * from "./client";
export { configure } from "./config";
export { sipPhoneGroupProvider } from "./group";
export { sipPhonePasswordProvider } from "./passwords";
/** What each resource takes and stores, as the provider objects above take and return it. */
export type {
  GroupInputs,
  GroupComputed,
  GroupOutputs,
  GroupState,
  PasswordInputs,
  PasswordComputed,
  PasswordOutputs,
  PasswordState,
} from "./schema";
export type { Carried, MaybeSecret, Props } from "./state";
export type { Secret } from "./secrets";
export type { Checked } from "./check";
export type { Diff } from "./diff";
/** The lookups' implementation; they run in the program (see sdk/lookups.ts). */
export * as lookups from "./lookups";
export type { PlatformGroup } from "./fleet";
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
