export { VoiceClient, PAGE_SIZE, MAX_PAGES } from "./phones";
export { CircuitBreaker, CIRCUIT_RETRIES } from "./breaker";
export { DEFAULTS as CLIENT_DEFAULTS, MAX_REPLY_BYTES, type VoiceClientOptions } from "./request";
export {
  ItniotechError,
  VoiceApiError,
  VoiceStatusError,
  VoiceTimeoutError,
  VoiceConnectionError,
  VoiceHttpError,
  VoiceCircuitOpenError,
  VoiceBadResponseError,
  VoiceConfigurationError,
  TransportCode,
  ErrorCode,
  MAX_REASON_LENGTH,
  type ItniotechErrorCode,
} from "./errors";
export {
  RequestBudget,
  AIMD,
  MAX_HELD_MS,
  MAX_REQUESTS_PER_SECOND,
  MIN_REQUESTS_PER_SECOND,
  PACE_RULE,
  isPace,
  type Outcome,
  type Slot,
  type Waiting,
} from "./budget";
export { Status, type KnownStatus } from "../../protocol/status";
export {
  decideRetry,
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
  type RetryDecision,
  type AttemptState,
} from "./retry";
