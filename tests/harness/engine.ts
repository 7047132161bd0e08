/**
 * A small engine for one resource at a time, mirroring the steps `pulumi preview`,
 * `up`, `refresh` and `destroy` take (pulumi/pulumi pkg/resource/deploy/
 * step_generator.go and step_executor.go):
 * - check with the old INPUTS as olds, then diff against the old OUTPUTS;
 * - a replacement re-checks with NO olds (so auto-names are regenerated), creates
 *   the new resource, then deletes the old one (create-before-delete) unless the
 *   diff asks for delete-before-replace;
 * - a resource whose last create/update failed part-way (init errors) is updated
 *   on the next `up` even when the diff reports no changes;
 * - an ErrorResourceInitFailed keeps its properties as the state, with init errors;
 * - refresh reads; an empty id means the resource is gone and leaves the state.
 */
import { InitFailedError, type Host } from "./host";

type Props = Record<string, unknown>;

export interface ResourceState {
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: string[];
}

/** A check that failed: the failures the provider reported, by property. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(readonly failures: Array<{ property: string; reason: string }>) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
}

export type Operation = "create" | "update" | "replace" | "same";

export class EngineResource {
  state: ResourceState | undefined;
  /** Every RPC in order: method and the id it concerned. */
  readonly calls: string[] = [];

  constructor(
    readonly host: Host,
    readonly urn: string,
  ) {}

  /** `pulumi preview`: check and diff only. */
  async preview(news: Props): Promise<Operation> {
    const checked = await this.#check(this.state?.inputs ?? {}, news);
    if (!this.state) return "create";
    const diff = await this.#diff(checked);
    if (diff.replaces.length > 0) return "replace";
    return diff.changes === "some" || this.state.initErrors.length > 0 ? "update" : "same";
  }

  /** `pulumi up` for this resource. */
  async up(news: Props): Promise<Operation> {
    const checked = await this.#check(this.state?.inputs ?? {}, news);
    const state = this.state;
    if (!state) {
      this.state = await this.#create(checked);
      return "create";
    }
    const diff = await this.#diff(checked);
    if (diff.replaces.length > 0) {
      // The engine checks the replacement again without olds.
      const fresh = await this.#check({}, news);
      if (diff.deleteBeforeReplace) {
        await this.#delete(state);
        this.state = undefined;
      }
      const created = await this.#create(fresh);
      if (!diff.deleteBeforeReplace) await this.#delete(state);
      this.state = created;
      return "replace";
    }
    if (diff.changes !== "some" && state.initErrors.length === 0) {
      this.state = { ...state, inputs: checked };
      return "same";
    }
    this.calls.push(`update ${state.id}`);
    try {
      const { properties } = await this.host.update(this.urn, state.id, state.outputs, checked, state.inputs);
      this.state = { id: state.id, inputs: checked, outputs: properties, initErrors: [] };
    } catch (e) {
      if (e instanceof InitFailedError)
        this.state = { id: state.id, inputs: checked, outputs: e.properties, initErrors: e.reasons };
      throw e;
    }
    return "update";
  }

  /** `pulumi refresh` for this resource. */
  async refresh(): Promise<"same" | "changed" | "deleted"> {
    const state = this.state;
    if (!state) return "deleted";
    this.calls.push(`read ${state.id}`);
    const result = await this.host.read(this.urn, state.id, state.outputs, state.inputs);
    if (!result.id) {
      this.state = undefined;
      return "deleted";
    }
    const changed = JSON.stringify(result.properties) !== JSON.stringify(state.outputs);
    this.state = {
      id: result.id,
      inputs: result.inputs ?? state.inputs,
      outputs: result.properties,
      initErrors: [],
    };
    return changed ? "changed" : "same";
  }

  /** `pulumi destroy` for this resource. */
  async destroy(): Promise<void> {
    if (!this.state) return;
    await this.#delete(this.state);
    this.state = undefined;
  }

  async #check(olds: Props, news: Props): Promise<Props> {
    this.calls.push("check");
    const result = await this.host.check(this.urn, olds, news);
    if (result.failures.length > 0) throw new CheckFailedError(result.failures);
    return result.inputs;
  }

  #diff(checked: Props) {
    const state = this.state as ResourceState;
    this.calls.push(`diff ${state.id}`);
    return this.host.diff(this.urn, state.id, state.outputs, checked, state.inputs);
  }

  async #create(checked: Props): Promise<ResourceState> {
    this.calls.push("create");
    try {
      const { id, properties } = await this.host.create(this.urn, checked);
      this.calls.push(`created ${id}`);
      return { id, inputs: checked, outputs: properties, initErrors: [] };
    } catch (e) {
      if (e instanceof InitFailedError)
        this.state = { id: e.id, inputs: checked, outputs: e.properties, initErrors: e.reasons };
      throw e;
    }
  }

  async #delete(state: ResourceState): Promise<void> {
    this.calls.push(`delete ${state.id}`);
    await this.host.delete(this.urn, state.id, state.outputs, state.inputs);
  }
}
