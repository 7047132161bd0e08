/** The three SIP endpoints, as path segments under the base URL. */
export const ENDPOINTS = ["sipAdd", "sipQuery", "sipReset"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** The production base URL. */
export const DEFAULT_BASE_URL = "https://api.itniotech.com/voice";

/** Every response body: `status` is a string, "0" on success. */
export interface VoiceResponse<T> {
  status: string;
  reason: string;
  data: T;
}

export interface SipAddRequest {
  groupName: string;
  phoneName: string;
  quantity: number;
  displayNum: string;
  appId: string;
}

export interface SipQueryRequest {
  current: number;
  size: number;
  params: { appId: string };
}

/** One phone as sipQuery lists it. Passwords are opaque strings. */
export interface PhoneRecord {
  groupName: string;
  phoneName: string;
  account: string;
  password: string;
  displayNum: string;
}

export interface SipQueryPage {
  total: number;
  size: number;
  current: number;
  pages: number;
  records: PhoneRecord[];
}

export interface SipResetRequest {
  account: string;
  appId: string;
}

export interface SipResetResult {
  account: string;
  password: string;
}
