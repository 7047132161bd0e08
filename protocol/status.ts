/**
 * The vendor's status codes (`status` is always a string; "0" is success and
 * every failure still comes with HTTP 200).
 */
export const Status = {
  OK: "0",
  AUTH: "-1",
  IP_RESTRICTED: "-2",
  TIMESTAMP_EXPIRED: "-16",
  SYSTEM: "-18",
  ALREADY_EXISTS: "-20",
  PARAMETER: "-22",
  DATA_CAP: "-23",
  NOT_FOUND: "-24",
} as const;

export type KnownStatus = (typeof Status)[keyof typeof Status];

export interface StatusInfo {
  /** The vendor's meaning, in English. */
  readonly meaning: string;
  /** Whether the request may have taken effect when this status comes back. */
  readonly ambiguous: boolean;
}

const INFO: Readonly<Record<string, StatusInfo>> = {
  [Status.AUTH]: { meaning: "account authentication error (bad Api-Key or Sign)", ambiguous: false },
  [Status.IP_RESTRICTED]: { meaning: "IP restriction (caller IP not allowed)", ambiguous: false },
  [Status.TIMESTAMP_EXPIRED]: {
    meaning: "timestamp expired (clock skew or stale request)",
    ambiguous: false,
  },
  // A system exception says nothing about how far the server got.
  [Status.SYSTEM]: { meaning: "system exception on the server", ambiguous: true },
  [Status.ALREADY_EXISTS]: { meaning: "data already exists (group or phone name taken)", ambiguous: false },
  [Status.PARAMETER]: { meaning: "parameter error", ambiguous: false },
  [Status.DATA_CAP]: {
    meaning: "data cap reached (phone limit of the account or application)",
    ambiguous: false,
  },
  [Status.NOT_FOUND]: { meaning: "data does not exist", ambiguous: false },
};

/**
 * What a status means. Codes this table does not know (other endpoints of the
 * same API use e.g. -10 and -26) are reported as definite rejections: the
 * vendor answered, and answered "no".
 */
export function statusInfo(status: string): StatusInfo {
  // Own properties only: a status of "__proto__" or "constructor" is an unknown code,
  // not Object.prototype's.
  return (Object.hasOwn(INFO, status) ? INFO[status] : undefined) ?? UNKNOWN;
}

const UNKNOWN: StatusInfo = { meaning: "unknown status", ambiguous: false };
