import { reveal, type Secret } from "./secrets";

/**
 * Resource-state plumbing shared by every resource type: what the engine's
 * property maps look like, and how a state is taken apart and put together.
 */

/** A property map as the engine sends it: untyped until `check` has judged it. */
export type Props = Record<string, unknown>;

/**
 * The serialized provider travels in every property map. Every state the provider
 * returns carries it on: a partial failure's state without it breaks every later
 * operation on the resource (the host finds no provider to load).
 */
export const PROVIDER_KEY = "__provider";

/** What every state carries besides the resource's own properties. */
export type Carried = { [PROVIDER_KEY]?: string };

/** A secret output: the provider returns it wrapped; the engine may send it back bare or wrapped. */
export type MaybeSecret<T> = T | Secret<T>;

/** A property map's type once its secret wrappers are removed. */
export type Unwrapped<T> = { [K in keyof T]: Exclude<T[K], Secret<unknown>> };

/** The property map with every secret wrapper removed, at any depth (the engine may send either form). */
export function unwrapped<T extends object = Props>(props: Props): Unwrapped<T> {
  return (reveal(props) ?? {}) as Unwrapped<T>;
}

/** Optional keys of `T` may be given as `undefined` (they are dropped). */
type Loose<T> = { [K in keyof T]: T[K] | undefined };

/**
 * One resource type's state: its input properties (`I`), what it computes (`C`)
 * and the two inputs its id is made of. Adding an input or an output is a change to
 * `I` or `C` and to the key table given here; the compiler points at the rest.
 */
export class StateLayout<I extends object, C extends object, K extends keyof I & string> {
  /** The input properties: a refresh returns these as the resource's inputs. */
  readonly inputKeys: readonly (keyof I & string)[];

  /**
   * @param type the resource type, for messages
   * @param inputs every input property (a table, so that none can be forgotten)
   * @param idKeys the id is `<first>/<second>`
   */
  constructor(
    readonly type: string,
    inputs: Record<keyof I & string, true>,
    readonly idKeys: readonly [K, K],
  ) {
    this.inputKeys = Object.keys(inputs) as (keyof I & string)[];
  }

  /** `<first>/<second>`, e.g. `<appId>/<groupName>`: each pair is unique on the platform. */
  id(inputs: Pick<I, K>): string {
    const [first, second] = this.idKeys;
    return `${String(inputs[first])}/${String(inputs[second])}`;
  }

  /** The id's two properties: from the state where it has them, otherwise from the id. */
  idParts(id: string, state: Partial<Record<K, unknown>>): Record<K, string> {
    const [first, second] = this.idKeys;
    const slash = id.indexOf("/");
    const pick = (key: K, fromId: string) => (typeof state[key] === "string" ? state[key] : fromId);
    return {
      [first]: pick(first, id.slice(0, slash)),
      [second]: pick(second, id.slice(slash + 1)),
    } as Record<K, string>;
  }

  /**
   * The input properties of a state or of checked inputs (which hold every required
   * one), secrets unwrapped, undefined ones left out.
   */
  inputsOf(props: Props): I {
    const bag = unwrapped(props);
    const out: Props = {};
    for (const key of this.inputKeys) if (bag[key] !== undefined) out[key] = bag[key];
    return out as I;
  }

  /**
   * A state to return: the inputs held by `from` (checked inputs, or an earlier
   * state), the computed outputs, and `from`'s `__provider`; undefined keys are
   * left out, because the host cannot encode them in a partial failure.
   */
  state(from: Props, computed: Loose<C>): I & C & Carried {
    return withoutUndefined({
      ...this.inputsOf(from),
      ...computed,
      [PROVIDER_KEY]: from[PROVIDER_KEY],
    }) as I & C & Carried;
  }
}

/** A copy without keys whose value is `undefined`, at any depth of plain objects. */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Props = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = isPlainObject(item) ? withoutUndefined(item) : item;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
