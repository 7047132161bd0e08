import { inspect } from "node:util";
import { withoutUndefined } from "./state";

/**
 * Thrown from create or update when the resource exists but is not fully what was
 * asked. The dynamic-provider host turns any error with an `id` into
 * `ErrorResourceInitFailed`, and the engine keeps `properties` as the resource's
 * state, so nothing already done (a created group, a rotated password) is lost.
 *
 * Two rules from Pulumi's host: `properties` must carry `__provider` (or every later
 * operation on the resource fails), and must hold no `undefined` value (its struct
 * encoding throws inside the error path and the call never answers).
 */
export class PartialFailure extends Error {
  override readonly name = "PartialFailure";
  /**
   * The state holds passwords (inside secret wrappers), and loggers and debuggers
   * print errors: `util.inspect` with `showHidden` lists non-enumerable own
   * properties, so the state is in a private field, which no inspector lists.
   */
  readonly #properties: Record<string, unknown>;

  constructor(
    message: string,
    readonly id: string,
    properties: Record<string, unknown>,
    readonly reasons: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    const state = withoutUndefined(properties);
    // An inspector told to call getters (`getters: true`) sees only this.
    Object.defineProperty(state, inspect.custom, { value: () => "[PartialFailure state: redacted]" });
    this.#properties = state;
  }

  /**
   * The state to keep: what the host reads (`error.properties`, in
   * `grpcResponseFromError` of `@pulumi/pulumi/cmd/dynamic-provider`) and sends to
   * the engine.
   */
  get properties(): Record<string, unknown> {
    return this.#properties;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      id: this.id,
      reasons: this.reasons,
      properties: "[redacted]",
    };
  }
}
