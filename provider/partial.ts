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
   * The state to keep. Not enumerable, and redacted from the JSON form: it holds
   * passwords (inside secret wrappers), and loggers serialize errors.
   */
  declare readonly properties: Record<string, unknown>;

  constructor(
    message: string,
    readonly id: string,
    properties: Record<string, unknown>,
    readonly reasons: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, "properties", { value: withoutUndefined(properties), enumerable: false });
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
