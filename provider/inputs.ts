/** A SipPhoneGroup's inputs after `check` (names are always filled by then). */
export interface GroupInputs {
  appId: string;
  groupName: string;
  phoneName: string;
  quantity: number;
  displayNum: string;
  namePrefix?: string;
  resetTriggers?: unknown[];
  adopt?: boolean;
}

/** A SipPhoneGroup's state. `passwords` travels as a secret. */
export interface GroupOutputs extends GroupInputs {
  accounts: string[];
  passwords: Record<string, string>;
  lastResetAt?: string;
}

export interface PasswordInputs {
  appId: string;
  account: string;
  triggers?: unknown[];
}

export interface PasswordOutputs extends PasswordInputs {
  password: string;
}

/** The properties whose change replaces a group: none of them can be changed on the platform. */
export const GROUP_REPLACE_KEYS = ["appId", "groupName", "phoneName", "quantity", "displayNum"] as const;

export const PASSWORD_REPLACE_KEYS = ["appId", "account"] as const;
