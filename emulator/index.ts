/**
 * `pulumi-itniotech/emulator`: a local emulator of the Itniotech Voice API's SIP
 * endpoints, for tests, demos and the README's main command.
 *
 * @module pulumi-itniotech/emulator
 */
export {
  startEmulator,
  CONNECTION_LIMITS,
  type ConnectionLimits,
  type Emulator,
  type EmulatorOptions,
  type LoggedRequest,
  type RequestSummary,
  type Counters,
} from "./server";
export { DEMO_CREDENTIALS, type Credential } from "./auth";
export { FAULT_KINDS, type Fault, type FaultAction } from "./faults";
export { DataFileInUseError, type LockHolder } from "./lock";
