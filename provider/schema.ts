import { StateLayout, type Carried, type MaybeSecret } from "./state";

/*
 * What each resource takes and stores. To add an input or an output: add it to the
 * type and to the layout's key table below, then to `check` (its rule) and, when a
 * change of it must replace or update, to `diff`.
 */

/** A SipPhoneGroup's inputs after `check` (names are always filled by then). */
export type GroupInputs = {
  appId: string;
  groupName: string;
  phoneName: string;
  quantity: number;
  displayNum: string;
  namePrefix?: string;
  resetTriggers?: unknown[];
  adopt?: boolean;
  /** `<n>s|m|h|d`, 1 s–3,650 d: rotate every password when this much time has passed since they were set. */
  rotateAfter?: string;
  /** `false`: the state holds `passwordFingerprints` instead of `passwords` (default true). */
  storePasswords?: boolean;
  /** An entry of the stack config `itniotech:accounts`; absent: the default credentials. */
  account?: string;
};

/** What a SipPhoneGroup's state holds besides its inputs. */
export type GroupComputed = {
  /** Sorted, as the platform names them. */
  accounts: string[];
  /** Account → password; always returned as a secret. Absent with `storePasswords: false`. */
  passwords?: MaybeSecret<Record<string, string>>;
  /** Account → keyed fingerprint (provider/fingerprint.ts); only with `storePasswords: false`. */
  passwordFingerprints?: Record<string, string>;
  /** ISO time of the last rotation; absent until the first one. */
  lastResetAt?: string;
  /**
   * ISO time at which the provider last set the passwords it holds: creation,
   * adoption or the last completed rotation. Absent in states written before it existed.
   */
  passwordsSetAt?: string;
};

/** The state a SipPhoneGroup operation returns. */
export type GroupOutputs = GroupInputs & GroupComputed & Carried;

/** A SipPhoneGroup state as the engine sends it back: a partial failure's may lack outputs. */
export type GroupState = GroupInputs & Partial<GroupComputed> & Carried;

export const GROUP = new StateLayout<GroupInputs, GroupComputed, "appId" | "groupName">(
  "SipPhoneGroup",
  {
    appId: true,
    groupName: true,
    phoneName: true,
    quantity: true,
    displayNum: true,
    namePrefix: true,
    resetTriggers: true,
    adopt: true,
    rotateAfter: true,
    storePasswords: true,
    account: true,
  },
  ["appId", "groupName"],
);

/** The properties whose change replaces a group: none of them can be changed on the platform. */
export const GROUP_REPLACE_KEYS = [
  "appId",
  "groupName",
  "phoneName",
  "quantity",
  "displayNum",
  // Another account is another platform: the group is made anew there.
  "account",
] as const;

export type PasswordInputs = {
  appId: string;
  account: string;
  triggers?: unknown[];
  /** As a group's `rotateAfter`. */
  rotateAfter?: string;
  /** As a group's `storePasswords`. */
  storePasswords?: boolean;
  /**
   * An entry of the stack config `itniotech:accounts` (a group's `account`; this
   * resource's `account` is the phone account, so the selector has another name).
   */
  itniotechAccount?: string;
};

export type PasswordComputed = {
  /** Always returned as a secret. Absent with `storePasswords: false`. */
  password?: MaybeSecret<string>;
  /** The keyed fingerprint of the password; only with `storePasswords: false`. */
  passwordFingerprint?: string;
  /** ISO time of the reset that set `password`. Absent in states written before it existed. */
  passwordSetAt?: string;
};

export type PasswordOutputs = PasswordInputs & PasswordComputed & Carried;

export type PasswordState = PasswordInputs & Partial<PasswordComputed> & Carried;

export const PASSWORD = new StateLayout<PasswordInputs, PasswordComputed, "appId" | "account">(
  "SipPhonePassword",
  {
    appId: true,
    account: true,
    triggers: true,
    rotateAfter: true,
    storePasswords: true,
    itniotechAccount: true,
  },
  ["appId", "account"],
);

export const PASSWORD_REPLACE_KEYS = ["appId", "account", "itniotechAccount"] as const;
