export { VoiceClient, PAGE_SIZE } from "./phones";
export { DEFAULTS as CLIENT_DEFAULTS, type VoiceClientOptions } from "./request";
export {
  VoiceApiError,
  VoiceStatusError,
  VoiceTimeoutError,
  VoiceConnectionError,
  VoiceHttpError,
  VoiceBadResponseError,
  VoiceConfigurationError,
  TransportCode,
} from "./errors";
export { decideRetry, backoffDelay, type RetryOptions, type RetryDecision, type AttemptState } from "./retry";
