/**
 * A small engine for one resource at a time, on top of the host client
 * (./host.ts), taking the steps `pulumi preview`, `up`, `refresh` and `destroy`
 * take. Read in pulumi/pulumi at 1b59498:
 * - pkg/resource/deploy/step_generator.go: Check gets the old INPUTS as olds (none
 *   for a new resource); Diff gets old outputs, old inputs and the checked inputs;
 *   a provider's "unknown" diff falls back to comparing old and new inputs with
 *   secrets unwrapped (`diffResource`); a replacement needs changes AND replace keys
 *   (`DiffResult.Replace`), and Checks AGAIN with no olds — in previews too — so a
 *   provider's defaults (auto-names) are recomputed; replacement is
 *   create-before-delete unless the diff (or the `deleteBeforeReplace` resource
 *   option, which wins) says otherwise, and the old resource's delete comes after
 *   the creates; a resource with init errors is updated even when the diff finds
 *   nothing; check failures stop the resource;
 * - pkg/resource/deploy/step.go: Create/Update run with preview=true in a preview
 *   (the provider client answers those itself for this host: ./host.ts); a partial
 *   failure (ErrorResourceInitFailed) stores its id and properties, with the NEW
 *   inputs and the reasons as init errors, and fails the deployment; after a
 *   partially failed replacement the old resource stays as a pending delete, deleted
 *   by the next deployment; refresh reads with old inputs and outputs, takes the
 *   returned inputs when there are any, drops the resource on an empty id and clears
 *   init errors (a partial-failure Read keeps its reasons instead, and only warns);
 * - pkg/resource/deploy/step_executor.go: the stored outputs get
 *   `additionalSecretOutputs` and the secret-ness of same-named inputs.
 * Values in the state keep the engine's secret wrappers; the host client strips
 * them on the way to the provider and restores them on the way back.
 */
import { InitFailedError, type DiffResult, type Host } from "./host";
import { markSecretOutputs, reveal, sameValue, type Props } from "./values";

export interface ResourceState {
  urn: string;
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

/** One provider call this engine made, in order. `id` is the resource it concerned (for create: the new id). */
export interface EngineCall {
  method: "check" | "diff" | "create" | "read" | "update" | "delete";
  urn: string;
  id?: string;
  /** check only: whether it was sent the old inputs or none. */
  olds?: "old inputs" | "none";
  /** How the call ended. */
  outcome: "ok" | "failed" | "partial failure";
}

export interface ResourceOptions {
  /** The resource option: outputs the engine stores as secrets. */
  additionalSecretOutputs?: string[];
  /** The resource option; overrides the provider's diff either way. */
  deleteBeforeReplace?: boolean;
}

/** What the last preview or up decided, and from what. */
export interface Plan {
  operation: Operation;
  inputs: Props;
  diff: DiffResult | undefined;
}

export class EngineResource {
  state: ResourceState | undefined;
  /** Old resources a failed replacement left behind; the next up or destroy deletes them. */
  pendingDeletes: ResourceState[] = [];
  /** Every provider call, in order. */
  readonly log: EngineCall[] = [];
  /**
   * The same calls as text — "check", "diff <id>", "create", "created <id>",
   * "update <id>", "read <id>", "delete <id>" — for short order assertions.
   */
  readonly calls: string[] = [];
  plan: Plan | undefined;
  /** What the last refresh found, and what `pulumi refresh` would show for it. */
  lastRefresh:
    { stateChanged: boolean; diff: DiffResult | undefined; shown: "same" | "update" | "delete" } | undefined;

  constructor(
    public host: Host,
    readonly urn: string,
    readonly options: ResourceOptions = {},
  ) {}

  /** The same resource in a later command, which starts a new host process as `pulumi` does. */
  inHost(host: Host): EngineResource {
    const next = new EngineResource(host, this.urn, this.options);
    next.state = this.state;
    next.pendingDeletes = [...this.pendingDeletes];
    return next;
  }

  /** `pulumi preview`: check (unknowns allowed) and diff; a replacement is checked again; nothing changes. */
  async preview(news: Props): Promise<Operation> {
    const state = this.state;
    const checked = await this.#check(state?.inputs, news, true);
    if (!state) {
      // The Create step runs with preview=true; the provider client answers it without the host.
      await this.host.create(this.urn, checked, { preview: true });
      return this.#planned("create", checked, undefined);
    }
    const diff = await this.#diff(state, checked, true);
    if (this.#replaces(diff)) {
      const fresh = await this.#check(undefined, news, true);
      return this.#planned("replace", fresh, diff);
    }
    if (diff.changes === "some" || state.initErrors.length > 0) {
      await this.host.update(this.urn, state.id, state.outputs, checked, state.inputs, { preview: true });
      return this.#planned("update", checked, diff);
    }
    return this.#planned("same", checked, diff);
  }

  /** `pulumi up` for this resource. A partial failure keeps its state and rethrows its InitFailedError. */
  async up(news: Props): Promise<Operation> {
    const state = this.state;
    const checked = await this.#check(state?.inputs, news, false);
    if (!state) {
      this.state = await this.#create(checked);
      await this.#deletePending();
      return this.#planned("create", checked, undefined);
    }
    const diff = await this.#diff(state, checked, false);
    if (this.#replaces(diff)) {
      const fresh = await this.#check(undefined, news, false);
      this.#planned("replace", fresh, diff);
      if (this.options.deleteBeforeReplace ?? diff.deleteBeforeReplace) {
        await this.#delete(state);
        this.state = undefined;
        this.state = await this.#create(fresh);
      } else {
        try {
          this.state = await this.#create(fresh);
        } catch (e) {
          // A new resource that exists part-way is kept; the old one waits for the next deployment.
          if (e instanceof InitFailedError) this.pendingDeletes.push(state);
          else this.state = state;
          throw e;
        }
        await this.#delete(state);
      }
      await this.#deletePending();
      return "replace";
    }
    if (diff.changes !== "some" && state.initErrors.length === 0) {
      this.state = { ...state, inputs: checked };
      await this.#deletePending();
      return this.#planned("same", checked, diff);
    }
    this.#planned("update", checked, diff);
    this.calls.push(`update ${state.id}`);
    try {
      const { properties } = await this.host.update(this.urn, state.id, state.outputs, checked, state.inputs);
      this.#record("update", state.id, "ok");
      this.state = this.#stored(state.id, checked, properties, []);
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.#record("update", state.id, "partial failure");
        this.state = this.#stored(state.id, checked, e.properties, e.reasons);
      } else this.#record("update", state.id, "failed");
      throw e;
    }
    await this.#deletePending();
    return "update";
  }

  /**
   * `pulumi refresh` for this resource: Read, then (unless the resource is gone) the
   * Diff the engine runs to show what changed (step.go RefreshStep: refreshed
   * inputs/outputs as the olds, the old inputs as the news). Returns whether the
   * STATE changed (what the legacy refresh diff shows); `lastRefresh.shown` is what
   * `pulumi refresh` shows by default, which depends on the provider's diff alone.
   */
  async refresh(): Promise<"same" | "changed" | "deleted"> {
    const state = this.state;
    if (!state) return "deleted";
    this.calls.push(`read ${state.id}`);
    let result: { id: string; properties: Props; inputs: Props | undefined };
    let initErrors: string[] = [];
    try {
      result = await this.host.read(this.urn, state.id, state.outputs, state.inputs);
      this.#record("read", state.id, "ok");
    } catch (e) {
      if (!(e instanceof InitFailedError)) {
        this.#record("read", state.id, "failed");
        throw e;
      }
      this.#record("read", state.id, "partial failure");
      result = { id: e.id, properties: e.properties, inputs: e.inputs };
      initErrors = e.reasons;
    }
    if (!result.id) {
      this.state = undefined;
      this.lastRefresh = { stateChanged: true, diff: undefined, shown: "delete" };
      return "deleted";
    }
    const next: ResourceState = {
      urn: this.urn,
      id: result.id,
      inputs: result.inputs ?? state.inputs,
      outputs: result.properties,
      initErrors,
    };
    this.state = next;
    const diff = await this.#diff(next, state.inputs, false);
    const stateChanged =
      next.id !== state.id ||
      !sameValue(next.outputs, state.outputs) ||
      !sameValue(next.inputs, state.inputs);
    this.lastRefresh = { stateChanged, diff, shown: diff.changes === "none" ? "same" : "update" };
    return stateChanged ? "changed" : "same";
  }

  /** `pulumi destroy` for this resource. */
  async destroy(): Promise<void> {
    await this.#deletePending();
    if (!this.state) return;
    await this.#delete(this.state);
    this.state = undefined;
  }

  #replaces(diff: DiffResult): boolean {
    return diff.changes === "some" && diff.replaces.length > 0;
  }

  #planned(operation: Operation, inputs: Props, diff: DiffResult | undefined): Operation {
    this.plan = { operation, inputs, diff };
    return operation;
  }

  #record(
    method: EngineCall["method"],
    id: string | undefined,
    outcome: EngineCall["outcome"],
    olds?: boolean,
  ) {
    this.log.push({
      method,
      urn: this.urn,
      ...(id === undefined ? {} : { id }),
      ...(olds === undefined ? {} : { olds: olds ? "old inputs" : "none" }),
      outcome,
    });
  }

  #stored(id: string, inputs: Props, outputs: Props, initErrors: string[]): ResourceState {
    return {
      urn: this.urn,
      id,
      inputs,
      outputs: markSecretOutputs(outputs, inputs, this.options.additionalSecretOutputs ?? []),
      initErrors,
    };
  }

  async #check(olds: Props | undefined, news: Props, allowUnknowns: boolean): Promise<Props> {
    this.calls.push("check");
    try {
      const result = await this.host.check(this.urn, olds, news, { allowUnknowns });
      this.#record("check", undefined, result.failures.length > 0 ? "failed" : "ok", olds !== undefined);
      if (result.failures.length > 0) throw new CheckFailedError(result.failures);
      return result.inputs;
    } catch (e) {
      if (!(e instanceof CheckFailedError)) this.#record("check", undefined, "failed", olds !== undefined);
      throw e;
    }
  }

  async #diff(state: ResourceState, checked: Props, allowUnknowns: boolean): Promise<DiffResult> {
    this.calls.push(`diff ${state.id}`);
    let diff: DiffResult;
    try {
      diff = await this.host.diff(this.urn, state.id, state.outputs, checked, state.inputs, {
        allowUnknowns,
      });
      this.#record("diff", state.id, "ok");
    } catch (e) {
      this.#record("diff", state.id, "failed");
      throw e;
    }
    if (diff.changes !== "unknown") return diff;
    // step_generator.go diffResource: the engine diffs the inputs itself.
    return { ...diff, changes: sameValue(reveal(state.inputs), reveal(checked)) ? "none" : "some" };
  }

  async #create(checked: Props): Promise<ResourceState> {
    this.calls.push("create");
    try {
      const { id, properties } = await this.host.create(this.urn, checked);
      this.calls.push(`created ${id}`);
      this.#record("create", id, "ok");
      return this.#stored(id, checked, properties, []);
    } catch (e) {
      if (e instanceof InitFailedError) {
        this.#record("create", e.id, "partial failure");
        this.state = this.#stored(e.id, checked, e.properties, e.reasons);
      } else this.#record("create", undefined, "failed");
      throw e;
    }
  }

  async #delete(state: ResourceState): Promise<void> {
    this.calls.push(`delete ${state.id}`);
    try {
      await this.host.delete(this.urn, state.id, state.outputs, state.inputs);
      this.#record("delete", state.id, "ok");
    } catch (e) {
      this.#record("delete", state.id, "failed");
      throw e;
    }
  }

  async #deletePending(): Promise<void> {
    while (this.pendingDeletes.length > 0) {
      await this.#delete(this.pendingDeletes[0] as ResourceState);
      this.pendingDeletes.shift();
    }
  }
}
