/**
 * `pulumi-itniotech/provider`: the API client and the dynamic providers' implementation.
 * Runs inside Pulumi's dynamic-provider host, where the resource classes' thin provider
 * shells `require` it by package name.
 */
export * from "./client";
export { configure } from "./config";
export { sipPhoneGroupProvider } from "./groups";
export { sipPhonePasswordProvider } from "./passwords";
