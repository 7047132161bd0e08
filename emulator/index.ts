/**
 * `pulumi-itniotech/emulator`: a local emulator of the Itniotech Voice API's SIP
 * endpoints, for tests, demos and the README's main command.
 *
 * @module pulumi-itniotech/emulator
 */
export {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type LoggedRequest,
  type Counters,
} from "./server";
export { DEMO_CREDENTIALS, type Credential } from "./auth";
export { FAULT_KINDS, type Fault, type FaultAction } from "./faults";
