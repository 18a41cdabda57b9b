/**
 * Applying decided steps, as pulumi/pulumi's pkg/resource/deploy/step.go does: Create, Update, a replacement
 * in either order (create the successor, then the old resource waits in the pending deletes; or delete it
 * first with `deleteBeforeReplace`), Delete, and Read for refresh. Each result is recorded through
 * StateChanges, with `begin` right before every provider call that changes something.
 *
 * - A Create or Update failing with an ErrorResourceInitFailed detail (partial failure) still records the
 *   resource with the detail's outputs and its init errors, and the step fails.
 * - An unchanged resource is recorded only when its metadata (options, dependencies) changed.
 * - refresh: Read(id, old outputs, old inputs); an empty id drops the resource; returned inputs replace the
 *   stored ones, for the inputs the program declared (see declaredOnly). `retainOnDelete` drops a resource
 *   from state without the Delete call.
 * - In preview (`Apply(preview)` in pulumi) nothing is called or recorded: the answer is what the program
 *   would see.
 */
import { HostCallError } from "./provider-host";
import type { PendingOperation, StateChanges } from "./state-changes";
import { isProvider, timestamp, type ResourceState } from "./state";
import {
  failedStep,
  noteAnswer,
  type Goal,
  type Outcome,
  type ResourceProvider,
  type Step,
  type StepObserver,
} from "./step";
import type { ComponentPlan, StepPlan } from "./step-generator";
import { changedKeys, deepEqual, downgradeProps, markSecrets, plainOf, setFieldsOf, type Props } from "./wire";

/** Records an entry that completes a pending operation (a plain set, or a replacement's). */
type Commit = (entry: ResourceState, op: PendingOperation) => void;

export class StepApplier {
  constructor(
    private readonly changes: StateChanges,
    private readonly provider: () => Promise<ResourceProvider>,
    private readonly preview: boolean,
    private readonly observer: StepObserver = {},
  ) {}

  /** Carries out a custom resource's decided step; `step` is its report (`reportOf`). */
  async apply(plan: StepPlan, step: Step): Promise<Outcome> {
    const { goal, old, op } = plan;
    const done = (id: string, outputs: Props): Outcome => ({
      step: { ...step, ms: Date.now() - plan.started },
      id,
      outputs,
    });
    if (op === "same" && old) {
      // Same: new inputs and metadata, old outputs (what the program sees is what the vendor holds).
      const entry = { ...entryOf(plan, old.id, plainOf(old.outputs)), created: old.created, modified: old.modified };
      if (!this.preview) this.keepSame(entry, old);
      return done(old.id, entry.outputs);
    }
    if (this.preview) return done(op === "update" && old ? old.id : "", markSecrets(plan.checked, plan.secretOutputs));
    const set: Commit = (entry, pending) => this.changes.set(entry, pending);
    if (!old) {
      try {
        const out = await this.create(plan, set);
        return done(out.id, markSecrets(out.properties, plan.secretOutputs));
      } catch (error) {
        return {
          step: failedStep(this.observer, goal.urn, goal.type, "create", error),
          id: "",
          outputs: markSecrets(plan.checked, plan.secretOutputs),
        };
      }
    }
    try {
      if (op === "update") {
        const properties = await this.update(plan, old);
        return done(old.id, markSecrets(properties, plan.secretOutputs));
      }
      if (plan.deleteBeforeReplace) await this.delete(old, true);
      // Create before delete: the old resource joins the pending deletes in the record of its successor (a
      // partial one too, as pulumi's CreateStep.Apply does), so it is never in neither place.
      const out = await this.create(
        plan,
        plan.deleteBeforeReplace ? set : (entry, pending) => this.changes.replace(entry, old, pending),
      );
      return done(out.id, markSecrets(out.properties, plan.secretOutputs));
    } catch (error) {
      const now = this.changes.state.resources.get(goal.urn);
      return {
        step: failedStep(this.observer, goal.urn, goal.type, op, error),
        id: now?.id ?? "",
        outputs: now?.outputs ?? old.outputs,
      };
    }
  }

  /** Records a component's step (no provider call). */
  applyComponent(plan: ComponentPlan): Outcome {
    const { goal, old, op, step } = plan;
    const entry: ResourceState = { ...entryBase(goal, old), id: "", inputs: goal.inputs, outputs: old?.outputs ?? {} };
    if (!this.preview) {
      if (op !== "same") this.changes.set(entry);
      else if (old) this.keepSame({ ...entry, created: old.created, modified: old.modified }, old);
    }
    return { step: { ...step, ms: Date.now() - plan.started }, id: "", outputs: entry.outputs };
  }

  /** The Delete call (skipped for components, providers and `retainOnDelete`), then the entry leaves the state. */
  async delete(entry: ResourceState, replaced: boolean): Promise<void> {
    if (!entry.custom || entry.retainOnDelete || isProvider(entry)) return this.changes.remove(entry);
    const host = await this.provider();
    this.observer.call?.("Delete", entry.urn, entry.id, replaced);
    const pending = this.changes.begin("delete", entry);
    await host
      .delete(entry.id, entry.urn, plainOf(entry.outputs), plainOf(entry.inputs))
      .catch((error: unknown) => this.failed(pending, error));
    this.changes.remove(entry, pending);
  }

  /** `pulumi refresh` of one custom resource: Read, then the state follows what the provider holds. */
  async refresh(entry: ResourceState): Promise<Outcome> {
    const started = Date.now();
    try {
      const host = await this.provider();
      this.observer.call?.("Read", entry.urn, entry.id);
      const pending = this.changes.begin("read", entry);
      const res = await host
        .read(entry.id, entry.urn, plainOf(entry.outputs), plainOf(entry.inputs))
        .catch((error: unknown) => this.failed(pending, error));
      noteAnswer(this.observer, res);
      if (!res.id) {
        this.observer.started?.(entry.urn, "refresh-delete");
        this.changes.remove(entry, pending);
        return {
          step: { urn: entry.urn, type: entry.type, op: "refresh-delete", ms: Date.now() - started },
          id: "",
          outputs: {},
        };
      }
      const secretKeys = secretKeysOf(entry);
      const outputs = markSecrets(res.properties, secretKeys);
      const inputs = res.inputs
        ? markSecrets(declaredOnly(res.inputs, plainOf(entry.inputs)), secretKeys)
        : entry.inputs;
      // Like the CLI, a refresh "updates" a resource when its outputs (the state) changed.
      const same = deepEqual(res.properties, plainOf(entry.outputs));
      if (!same) this.observer.started?.(entry.urn, "refresh-update");
      const next: ResourceState = { ...entry, id: res.id, inputs, outputs, ...(same ? {} : { modified: timestamp() }) };
      if (deepEqual(next, entry)) this.changes.end(pending, false);
      else this.changes.set(next, pending);
      const step: Step = {
        urn: entry.urn,
        type: entry.type,
        op: same ? "refresh-same" : "refresh-update",
        ms: Date.now() - started,
      };
      if (!same)
        Object.assign(step, {
          changed: changedKeys(plainOf(entry.outputs), res.properties),
          before: entry.outputs,
          after: outputs,
        });
      return { step, id: res.id, outputs };
    } catch (error) {
      return {
        step: failedStep(this.observer, entry.urn, entry.type, "refresh-same", error),
        id: entry.id,
        outputs: entry.outputs,
      };
    }
  }

  private async create(plan: StepPlan, commit: Commit): Promise<{ id: string; properties: Props }> {
    const host = await this.provider();
    this.observer.call?.("Create", plan.goal.urn);
    const pending = this.changes.begin("create", entryOf(plan, "", {}));
    const out = await host
      .create(plan.goal.urn, plan.checked)
      .catch((error: unknown) =>
        this.failed(pending, error, (id, properties, reasons) =>
          commit(entryOf(plan, id, properties, reasons), pending),
        ),
      );
    noteAnswer(this.observer, out);
    commit(entryOf(plan, out.id, out.properties), pending);
    return out;
  }

  private async update(plan: StepPlan, old: ResourceState): Promise<Props> {
    const host = await this.provider();
    const urn = plan.goal.urn;
    this.observer.call?.("Update", urn, old.id);
    const pending = this.changes.begin("update", entryOf(plan, old.id, plainOf(old.outputs)));
    const commit = (id: string, properties: Props, reasons?: string[]): void =>
      this.changes.set(entryOf(plan, id || old.id, properties, reasons), pending);
    const out = await host
      .update(old.id, urn, plainOf(old.outputs), plan.checked, plainOf(old.inputs))
      .catch((error: unknown) => this.failed(pending, error, commit));
    noteAnswer(this.observer, out);
    commit(old.id, out.properties);
    return out.properties;
  }

  /**
   * Settles a failed call and rethrows: a partial failure (ErrorResourceInitFailed) is recorded as the detail
   * says, through `partial`; any other failure ends the pending operation as failed.
   */
  private failed(
    pending: PendingOperation,
    error: unknown,
    partial?: (id: string, properties: Props, reasons: string[]) => void,
  ): never {
    const init = error instanceof HostCallError ? error.initFailure : undefined;
    if (init && partial) {
      noteAnswer(this.observer, init);
      partial(init.id, init.properties, init.reasons);
    } else {
      this.changes.end(pending, true);
    }
    throw error;
  }

  /** An unchanged resource's entry replaces the old one only when its metadata changed (then `modified` moves). */
  private keepSame(entry: ResourceState, old: ResourceState): void {
    if (!deepEqual(stripTimes(entry), stripTimes(old))) this.changes.set({ ...entry, modified: timestamp() });
  }
}

/** The state entry of a decided step's resource, with what the provider answered. */
export function entryOf(plan: StepPlan, id: string, outputs: Props, initErrors?: string[]): ResourceState {
  return {
    ...entryBase(plan.goal, plan.old),
    id,
    inputs: plan.inputs,
    outputs: markSecrets(outputs, plan.secretOutputs),
    ...(initErrors?.length ? { initErrors } : {}),
  };
}

/** The entry's fields that come from the goal (options, dependencies) and the times. */
export function entryBase(
  goal: Goal,
  old: ResourceState | undefined,
): Omit<ResourceState, "id" | "inputs" | "outputs"> {
  const opts = goal.options ?? {};
  return {
    urn: goal.urn,
    custom: goal.custom,
    type: goal.type,
    ...setFieldsOf({
      parent: goal.parent,
      dependencies: goal.dependencies,
      propertyDependencies: goal.propertyDependencies,
      provider: goal.provider,
      protect: opts.protect,
      retainOnDelete: opts.retainOnDelete,
      additionalSecretOutputs: opts.additionalSecretOutputs,
      ignoreChanges: opts.ignoreChanges,
      sourcePosition: goal.sourcePosition,
    }),
    created: old?.created ?? timestamp(),
    modified: timestamp(),
  };
}

function secretKeysOf(entry: ResourceState): string[] {
  return [...new Set([...downgradeProps(entry.outputs).secretKeys, ...downgradeProps(entry.inputs).secretKeys])];
}

function stripTimes(r: ResourceState): ResourceState {
  const { created: _c, modified: _m, ...rest } = r;
  return rest;
}

/**
 * The inputs a Read returned, for the keys the stored inputs have. A provider reads back every field the
 * resource holds, defaults included (a room's seat count the program never set); stored as inputs, those
 * fields would make the next preview show `maxSeatCount: 20 => (none)`, a change nobody made. A declared
 * input takes the value read, so drift still shows; stored inputs with no keys take the read ones whole.
 */
export function declaredOnly(read: Props, stored: Props): Props {
  if (Object.keys(stored).length === 0) return read;
  return Object.fromEntries(Object.entries(read).filter(([key]) => key in stored));
}
