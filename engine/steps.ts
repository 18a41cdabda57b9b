/**
 * The step rules of the Pulumi engine for dynamic resources (pulumi@v3.248.0 pkg/resource/deploy/
 * step_generator.go and step.go; spec: pulumi-dynamic-providers.md §1.5, pulumi-engine-protocol.md §6),
 * stepping each resource through the real dynamic-provider host:
 *
 * - Check first, with the old *inputs* as `olds` (after `ignoreChanges` put the old values back); a failure
 *   fails that resource's step.
 * - preview: Check (unknowns allowed) and Diff for resources in state; never Create/Update/Delete.
 * - up: Create for new URNs; Diff then Update (DIFF_SOME, no replaces) or a replacement: create the new
 *   resource first and delete the old one at the end, unless `deleteBeforeReplace` (Diff or the option)
 *   deletes it first. DIFF_UNKNOWN compares inputs. A resource with init errors is updated even when Diff
 *   finds no change. Resources no longer declared are deleted at the end, dependents before what they need.
 * - A Create or Update failing with an ErrorResourceInitFailed detail (partial failure) still records the
 *   resource with the detail's outputs and its init errors, and the step fails.
 * - refresh: Read(id, old outputs, old inputs); an empty id drops the resource; returned inputs replace the
 *   stored ones. destroy: Delete in reverse dependency order. `protect` refuses deletes and replacements;
 *   `retainOnDelete` drops the resource from state without the Delete call.
 *
 * State changes are reported to `changed()` one by one, so the caller can persist after every step.
 */
import { HostCallError, type CheckFailure, type DiffAnswer, type ProviderHost } from "./host";
import { needs, type ResourceState, type StackState } from "./state";
import { applyIgnoreChanges } from "./ignore-changes";
import { changedKeys, deepEqual, downgrade, downgradeProps, isObject, markSecrets, type Props } from "./wire";

export type Op = "create" | "same" | "update" | "replace" | "delete" | "refresh-same" | "refresh-update" | "refresh-delete";

/** One step: what happened (or, in preview, would happen) to a resource. */
export interface Step {
  urn: string;
  type?: string;
  op: Op;
  diff?: DiffAnswer;
  /** Whether the old resource of a replacement was (or would be) deleted before its successor is created. */
  deleteBeforeReplace?: boolean;
  /** Top-level properties that change (for `--diff`), with their old and new values (wire form). */
  changed?: string[];
  before?: Props;
  after?: Props;
  failures?: CheckFailure[];
  error?: Error;
  /** Wall time of the step. */
  ms?: number;
}

/** What the program declared for one resource (a RegisterResource request). */
export interface Goal {
  urn: string;
  type: string;
  custom: boolean;
  parent?: string;
  /** Inputs in wire form (secrets wrapped; a dynamic resource's include `__provider`). */
  inputs: Props;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
  options?: GoalOptions;
}

/** The resource options the engine honours itself. */
export interface GoalOptions {
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  retainOnDelete?: boolean;
  additionalSecretOutputs?: string[];
}

/** Hooks for the display, the checkpoint and the tests. */
export interface StepObserver {
  /** Every host call, in order; `replaced` marks the delete of a replaced resource's old half. */
  call?(method: "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete", urn: string, id?: string, replaced?: boolean): void;
  /** Every answer and error text (for secret scans). */
  note?(text: string): void;
  started?(urn: string, op: Op): void;
  finished?(step: Step): void;
  /** The state changed (persist it now). */
  changed?(): void;
}

/** What the program gets back for a registration. */
export interface Outcome {
  step: Step;
  /** "" while unknown (preview of a new resource) or for components. */
  id: string;
  outputs: Props;
}

/** One deployment (preview, up, refresh or destroy) over a stack's state. */
export class Deployment {
  readonly steps: Step[] = [];
  private readonly seen = new Set<string>();
  private readonly replacedNow: ResourceState[] = [];

  constructor(
    readonly stack: StackState,
    private readonly host: () => Promise<ProviderHost>,
    readonly preview: boolean,
    private readonly observer: StepObserver = {},
  ) {}

  get failed(): boolean {
    return this.steps.some((s) => s.error || s.failures?.length);
  }

  /** Steps one registration (RegisterResource) and answers with the resource's id and outputs. */
  async register(goal: Goal): Promise<Outcome> {
    if (this.seen.has(goal.urn)) return this.record(this.failStep(goal.urn, goal.type, "create", new Error(`duplicate resource URN ${goal.urn}: resource names must be unique per type`)), "", {});
    this.seen.add(goal.urn);
    return goal.custom ? this.custom(goal) : this.component(goal);
  }

  /** A registration refused before stepping (an option it cannot honour): a failed step, state untouched. */
  refuse(goal: Goal, message: string): Step {
    this.seen.add(goal.urn);
    return this.record(this.failStep(goal.urn, goal.type, this.stack.resources.has(goal.urn) ? "update" : "create", new Error(message)), "", {}).step;
  }

  /** Keeps a resource the engine itself registers (the default provider): recorded, never stepped. */
  keep(entry: ResourceState): void {
    this.seen.add(entry.urn);
    if (this.preview || this.stack.resources.get(entry.urn) === entry) return;
    this.commit(entry, true);
  }

  /** RegisterResourceOutputs: a component's (or the stack's) outputs. */
  registerOutputs(urn: string, outputs: Props): void {
    const entry = this.stack.resources.get(urn);
    if (!entry || deepEqual(entry.outputs, outputs)) return;
    if (this.preview) return;
    this.stack.resources.set(urn, { ...entry, outputs, modified: now() });
    this.observer.changed?.();
  }

  /**
   * After the program: replaced resources' old halves and resources no longer declared are deleted. After
   * a failed step nothing is deleted (the engine stops there); old halves stay pending for the next run.
   */
  async finish(): Promise<void> {
    if (this.failed && !this.preview) return;
    const undeclared = [...this.stack.resources.values()].filter((r) => !this.seen.has(r.urn));
    await this.deleteAll([...this.stack.pendingDeletes, ...undeclared]);
  }

  /** `pulumi refresh`: Read every custom resource. */
  async refresh(): Promise<Step[]> {
    const entries = [...this.stack.resources.values()].filter((r) => r.custom && !isProvider(r));
    await Promise.all(entries.map((entry) => this.refreshOne(entry)));
    return this.steps;
  }

  /** `pulumi destroy`: every resource, dependents before what they need. */
  async destroy(): Promise<Step[]> {
    await this.deleteAll([...this.stack.pendingDeletes, ...this.stack.resources.values()]);
    return this.steps;
  }

  private async component(goal: Goal): Promise<Outcome> {
    const started = Date.now();
    const old = this.stack.resources.get(goal.urn);
    const op: Op = !old ? "create" : deepEqual(old.inputs, goal.inputs) && old.parent === goal.parent ? "same" : "update";
    const step: Step = { urn: goal.urn, type: goal.type, op, ...(old && op === "update" ? { changed: changedKeys(old.inputs, goal.inputs), before: old.inputs, after: goal.inputs } : {}) };
    if (op !== "same") this.observer.started?.(goal.urn, op);
    const entry: ResourceState = {
      ...this.base(goal, old),
      id: "",
      inputs: goal.inputs,
      outputs: old?.outputs ?? {},
    };
    if (!this.preview) this.commit(entry, op !== "same");
    step.ms = Date.now() - started;
    return this.record(step, "", entry.outputs);
  }

  private async custom(goal: Goal): Promise<Outcome> {
    const started = Date.now();
    const old = this.stack.resources.get(goal.urn);
    const opts = goal.options ?? {};
    const wanted = old && opts.ignoreChanges?.length ? applyIgnoreChanges(goal.inputs, old.inputs, opts.ignoreChanges) : goal.inputs;
    const { plain: news, secretKeys } = downgradeProps(wanted);
    const fallbackOp: Op = old ? "update" : "create";
    let checked: Props;
    try {
      const host = await this.host();
      this.observer.call?.("Check", goal.urn, old?.id);
      const result = await host.check(goal.urn, old ? plainOf(old.inputs) : {}, news);
      this.note(result);
      if (result.failures.length) return this.record({ urn: goal.urn, type: goal.type, op: fallbackOp, failures: result.failures, ms: Date.now() - started }, old?.id ?? "", news);
      checked = result.inputs;
    } catch (error) {
      return this.record(this.failStep(goal.urn, goal.type, fallbackOp, error), old?.id ?? "", news);
    }
    const secretOuts = [...secretKeys, ...(opts.additionalSecretOutputs ?? [])];
    const inputs = markSecrets(checked, secretKeys);
    const entryOf = (id: string, outputs: Props, initErrors?: string[]): ResourceState => ({
      ...this.base(goal, old),
      id,
      inputs,
      outputs: markSecrets(outputs, secretOuts),
      ...(initErrors?.length ? { initErrors } : {}),
    });

    if (!old) {
      this.observer.started?.(goal.urn, "create");
      if (this.preview) return this.record({ urn: goal.urn, type: goal.type, op: "create", ms: Date.now() - started }, "", markSecrets(checked, secretOuts));
      try {
        const out = await this.create(goal.urn, checked, (id, props, reasons) => entryOf(id, props, reasons));
        this.commit(entryOf(out.id, out.properties), true);
        return this.record({ urn: goal.urn, type: goal.type, op: "create", ms: Date.now() - started }, out.id, markSecrets(out.properties, secretOuts));
      } catch (error) {
        return this.record(this.failStep(goal.urn, goal.type, "create", error), "", markSecrets(checked, secretOuts));
      }
    }

    let diff: DiffAnswer;
    try {
      const host = await this.host();
      this.observer.call?.("Diff", goal.urn, old.id);
      diff = await host.diff(old.id, goal.urn, plainOf(old.outputs), checked, plainOf(old.inputs));
      this.note(diff);
    } catch (error) {
      return this.record(this.failStep(goal.urn, goal.type, "update", error), old.id, old.outputs);
    }
    const op = opOf(diff, old, checked);
    const changed = changedKeys(plainOf(old.inputs), checked).filter((k) => k !== "__provider" || op !== "same");
    const step: Step = { urn: goal.urn, type: goal.type, op, diff, ...(op !== "same" ? { changed, before: old.inputs, after: inputs } : {}) };
    if (op === "same") {
      // Same: new inputs and metadata, old outputs (what the program sees is what the vendor holds).
      const entry = { ...entryOf(old.id, plainOf(old.outputs)), created: old.created, modified: old.modified };
      const metadataChanged = !deepEqual(stripTimes(entry), stripTimes(old));
      if (!this.preview && metadataChanged) this.commit({ ...entry, modified: now() }, true);
      step.ms = Date.now() - started;
      return this.record(step, old.id, entry.outputs);
    }
    this.observer.started?.(goal.urn, op);
    if (op === "replace") step.deleteBeforeReplace = diff.deleteBeforeReplace || opts.deleteBeforeReplace === true;
    if (op === "replace" && old.protect) {
      return this.record({ ...step, error: new Error(`${goal.urn}: resource is protected and would be replaced (${diff.replaces.join(", ")}); set protect: false, run up, then change it`) }, old.id, old.outputs);
    }
    if (this.preview) return this.record({ ...step, ms: Date.now() - started }, op === "replace" ? "" : old.id, markSecrets(checked, secretOuts));
    try {
      if (op === "update") {
        const host = await this.host();
        this.observer.call?.("Update", goal.urn, old.id);
        const out = await host.update(old.id, goal.urn, plainOf(old.outputs), checked, plainOf(old.inputs)).catch((error: unknown) => {
          throw this.partial(error, (id, props, reasons) => entryOf(id || old.id, props, reasons));
        });
        this.note(out);
        this.commit(entryOf(old.id, out.properties), true);
        return this.record({ ...step, ms: Date.now() - started }, old.id, markSecrets(out.properties, secretOuts));
      }
      if (step.deleteBeforeReplace) {
        await this.deleteOne(old, true);
      }
      const out = await this.create(goal.urn, checked, (id, props, reasons) => entryOf(id, props, reasons));
      // The old room joins the pending deletes in the same checkpoint write that records its successor:
      // a crash between two writes would otherwise leave it in no checkpoint at all (an orphan).
      if (!step.deleteBeforeReplace) {
        this.stack.pendingDeletes.push(old);
        this.replacedNow.push(old);
      }
      this.commit(entryOf(out.id, out.properties), true);
      return this.record({ ...step, ms: Date.now() - started }, out.id, markSecrets(out.properties, secretOuts));
    } catch (error) {
      const now = this.stack.resources.get(goal.urn);
      return this.record(this.failStep(goal.urn, goal.type, op, error), now?.id ?? "", now?.outputs ?? old.outputs);
    }
  }

  private async create(urn: string, checked: Props, entryOf: (id: string, props: Props, reasons?: string[]) => ResourceState): Promise<{ id: string; properties: Props }> {
    const host = await this.host();
    this.observer.call?.("Create", urn);
    const out = await host.create(urn, checked).catch((error: unknown) => {
      throw this.partial(error, entryOf);
    });
    this.note(out);
    return out;
  }

  /** A partial failure: the resource is recorded as the detail says, and the step still fails. */
  private partial(error: unknown, entryOf: (id: string, props: Props, reasons?: string[]) => ResourceState): unknown {
    if (error instanceof HostCallError && error.initFailure) {
      const { id, properties, reasons } = error.initFailure;
      this.note(error.initFailure);
      this.commit(entryOf(id, properties, reasons), true);
    }
    return error;
  }

  private async refreshOne(entry: ResourceState): Promise<void> {
    const started = Date.now();
    try {
      const host = await this.host();
      this.observer.call?.("Read", entry.urn, entry.id);
      const res = await host.read(entry.id, entry.urn, plainOf(entry.outputs), plainOf(entry.inputs));
      this.note(res);
      if (!res.id) {
        this.observer.started?.(entry.urn, "refresh-delete");
        this.stack.resources.delete(entry.urn);
        this.observer.changed?.();
        this.record({ urn: entry.urn, type: entry.type, op: "refresh-delete", ms: Date.now() - started }, "", {});
        return;
      }
      const secretKeys = secretKeysOf(entry);
      const outputs = markSecrets(res.properties, secretKeys);
      const inputs = res.inputs ? markSecrets(res.inputs, secretKeys) : entry.inputs;
      // Like the CLI, a refresh "updates" a resource when its outputs (the state) changed.
      const same = deepEqual(res.properties, plainOf(entry.outputs));
      if (!same) this.observer.started?.(entry.urn, "refresh-update");
      this.stack.resources.set(entry.urn, { ...entry, id: res.id, inputs, outputs, ...(same ? {} : { modified: now() }) });
      if (!same) this.observer.changed?.();
      this.record({ urn: entry.urn, type: entry.type, op: same ? "refresh-same" : "refresh-update", ...(same ? {} : { changed: changedKeys(plainOf(entry.outputs), res.properties), before: entry.outputs, after: outputs }), ms: Date.now() - started }, res.id, outputs);
    } catch (error) {
      this.record(this.failStep(entry.urn, entry.type, "refresh-same", error), entry.id, entry.outputs);
    }
  }

  /**
   * Deletes resources so that nothing is deleted before the resources that need it; a resource whose
   * dependent failed to go stays.
   */
  private async deleteAll(list: ResourceState[]): Promise<void> {
    const running = new Map<ResourceState, Promise<boolean>>();
    const run = (r: ResourceState): Promise<boolean> => {
      let p = running.get(r);
      if (!p) {
        const dependents = list.filter((d) => d !== r && needs(d).has(r.urn) && !(d.urn === r.urn));
        p = Promise.all(dependents.map(run)).then(async (oks) => {
          if (oks.some((ok) => !ok)) {
            this.record(this.failStep(r.urn, r.type, "delete", new Error(`${r.urn} was not deleted: a resource that depends on it could not be deleted`)), r.id, r.outputs);
            return false;
          }
          return this.deleteStep(r);
        });
        running.set(r, p);
      }
      return p;
    };
    await Promise.all(list.map(run));
  }

  private async deleteStep(entry: ResourceState): Promise<boolean> {
    const started = Date.now();
    if (!isProvider(entry)) this.observer.started?.(entry.urn, "delete");
    if (this.preview) {
      if (!isProvider(entry)) this.record({ urn: entry.urn, type: entry.type, op: "delete" }, entry.id, entry.outputs);
      return true;
    }
    const replaced = this.stack.pendingDeletes.includes(entry);
    try {
      if (entry.protect && !replaced) throw new Error(`${entry.urn} is protected: it cannot be deleted (set protect: false and run up first)`);
      await this.deleteOne(entry, replaced);
      // The old half of a replacement made in this very run is part of that replace step, not a delete.
      if (!this.replacedNow.includes(entry) && !isProvider(entry)) this.record({ urn: entry.urn, type: entry.type, op: "delete", ms: Date.now() - started }, entry.id, {});
      return true;
    } catch (error) {
      this.record(this.failStep(entry.urn, entry.type, "delete", error), entry.id, entry.outputs);
      return false;
    }
  }

  /** The Delete call (skipped for components and `retainOnDelete`), then the entry leaves the state. */
  private async deleteOne(entry: ResourceState, replaced: boolean): Promise<void> {
    if (entry.custom && !entry.retainOnDelete && !isProvider(entry)) {
      const host = await this.host();
      this.observer.call?.("Delete", entry.urn, entry.id, replaced);
      await host.delete(entry.id, entry.urn, plainOf(entry.outputs), plainOf(entry.inputs));
    }
    const pending = this.stack.pendingDeletes.indexOf(entry);
    if (pending >= 0) this.stack.pendingDeletes.splice(pending, 1);
    // A replaced resource's URN may already hold its successor: only drop the entry that was deleted.
    else if (this.stack.resources.get(entry.urn) === entry) this.stack.resources.delete(entry.urn);
    this.observer.changed?.();
  }

  private base(goal: Goal, old: ResourceState | undefined): Omit<ResourceState, "id" | "inputs" | "outputs"> {
    const opts = goal.options ?? {};
    const deps = goal.dependencies ?? [];
    const propDeps = goal.propertyDependencies ?? {};
    return {
      urn: goal.urn,
      custom: goal.custom,
      type: goal.type,
      ...(goal.parent ? { parent: goal.parent } : {}),
      ...(deps.length ? { dependencies: deps } : {}),
      ...(Object.keys(propDeps).length ? { propertyDependencies: propDeps } : {}),
      ...(goal.provider ? { provider: goal.provider } : {}),
      ...(opts.protect ? { protect: true } : {}),
      ...(opts.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(opts.additionalSecretOutputs?.length ? { additionalSecretOutputs: opts.additionalSecretOutputs } : {}),
      ...(opts.ignoreChanges?.length ? { ignoreChanges: opts.ignoreChanges } : {}),
      created: old?.created ?? now(),
      modified: now(),
    };
  }

  private commit(entry: ResourceState, changed: boolean): void {
    this.stack.resources.set(entry.urn, entry);
    if (changed) this.observer.changed?.();
  }

  private record(step: Step, id: string, outputs: Props): Outcome {
    this.steps.push(step);
    this.observer.finished?.(step);
    return { step, id, outputs };
  }

  private failStep(urn: string, type: string | undefined, op: Op, error: unknown): Step {
    const err = error instanceof Error ? error : new Error(String(error));
    this.observer.note?.(err.message);
    return { urn, ...(type ? { type } : {}), op, error: err };
  }

  private note(value: unknown): void {
    this.observer.note?.(JSON.stringify(value));
  }
}

/** DIFF_UNKNOWN makes the engine compare inputs itself (which also catches `__provider` changes). */
function opOf(diff: DiffAnswer, old: ResourceState, news: Props): Op {
  if (diff.changes === "DIFF_NONE") return old.initErrors?.length ? "update" : "same";
  if (diff.changes === "DIFF_UNKNOWN") return deepEqual(plainOf(old.inputs), news) && !old.initErrors?.length ? "same" : "update";
  return diff.replaces.length > 0 ? "replace" : "update";
}

/** The engine's own provider records (the default provider) are never stepped through the host. */
function isProvider(r: ResourceState): boolean {
  return r.type?.startsWith("pulumi:providers:") === true;
}

/** Values as the host sees them (secrets unwrapped). */
function plainOf(props: Props): Props {
  const out = downgrade(props);
  return isObject(out) ? out : {};
}

function secretKeysOf(entry: ResourceState): string[] {
  return [...new Set([...downgradeProps(entry.outputs).secretKeys, ...downgradeProps(entry.inputs).secretKeys])];
}

function stripTimes(r: ResourceState): ResourceState {
  const { created: _c, modified: _m, ...rest } = r;
  return rest as ResourceState;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
