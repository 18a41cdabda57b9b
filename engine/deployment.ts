/**
 * One deployment (preview, up, refresh or destroy) over a stack's state: the order of its steps, as
 * pulumi/pulumi's pkg/resource/deploy/deployment_executor.go and step_executor.go keep it. Each registration
 * is decided (engine/step-generator.ts) and applied (engine/step-applier.ts) as it arrives; after the program,
 * replaced resources' old halves and resources no longer declared are deleted, dependents before what they
 * need. refresh reads every custom resource; destroy deletes everything in reverse dependency order.
 * `protect` refuses deletes; preview decides every step and applies none.
 *
 * Every step starts in `register`, `refresh` or `deleteAll`, each after asking `startable`: once `cancel()`
 * was called no step starts, while the ones in flight finish and are recorded.
 *
 * `holdUntil(open)`: what the program registers is decided at once (Check and Diff change nothing), but no
 * registration changes the state, calls the provider to change anything or is reported before `open`
 * resolves true (the program's type check, engine/type-check.ts); false: none ever is. Components are
 * answered at once (their answer holds nothing the state decides), so the program runs meanwhile.
 */
import { limitCalls, Slots } from "./call-limit";
import type { DecisionMemo } from "./decision-memo";
import { isProvider, needs, timestamp, type ResourceState, type StackView } from "./state";
import type { StateChanges } from "./state-changes";
import { failedStep, type Goal, type Outcome, type ResourceProvider, type Step, type StepObserver } from "./step";
import { StepApplier } from "./step-applier";
import { decide, decideComponent, reportOf } from "./step-generator";
import { deepEqual, type Props } from "./wire";

/** Registrations whose Check and Diff are in flight at once (see `Deployment.deciding`). */
const DECIDING = 4;

export interface DeploymentOptions {
  /** The stack's state, changed only through this seam. */
  changes: StateChanges;
  /** The provider (started on first use). */
  provider: () => Promise<ResourceProvider>;
  /** Decide every step, apply none. */
  preview: boolean;
  observer?: StepObserver;
  /** `--parallel`: resource operations (create, update, delete, read) in flight at once (default: unbounded). */
  parallel?: number;
  /** Check and Diff answers of unchanged rooms (engine/decision-memo.ts). */
  memo?: DecisionMemo;
}

export class Deployment {
  readonly steps: Step[] = [];
  readonly preview: boolean;
  private readonly changes: StateChanges;
  private readonly observer: StepObserver;
  private readonly provider: () => Promise<ResourceProvider>;
  private readonly applier: StepApplier;
  private readonly seen = new Set<string>();
  private readonly memo: DecisionMemo | undefined;
  /** Old halves of replacements made in this run: their delete belongs to the replace step. */
  private readonly replacedNow = new Set<ResourceState>();
  private cancelRequested = false;
  /** Steps change and report nothing before it resolves true (`holdUntil`). */
  private gate: Promise<boolean> = Promise.resolve(true);
  /**
   * Registrations decided at once (their Check and Diff in flight). The host answers calls in the order they
   * arrive: with a whole fleet's checks sent at once, the first create reached it only after every room was
   * checked (at 1000 rooms, about 2 s in which no room was created). A few at a time, as the CLI's step
   * generator checks one registration after another, creates start at the first answers and each waits
   * behind a few checks only. Four keep checks far ahead of any vendor's pace (a round trip is 1-3 ms);
   * measured on a fresh 1000-room up: 16 at once 11.8-12.3 s, 4 at once 10.5-11.1 s, the no-op the same.
   */
  private readonly deciding = new Slots(DECIDING);
  /** Held state changes of registrations already answered (components, outputs, the default provider). */
  private readonly held: Promise<void>[] = [];
  private heldError: { error: unknown } | undefined;
  /** Entries the engine keeps (`keep`), at once, while their state change may still be held. */
  private readonly keptNow = new Map<string, ResourceState>();

  constructor(options: DeploymentOptions) {
    this.changes = options.changes;
    const slots = options.parallel === undefined ? undefined : new Slots(options.parallel);
    let limited: Promise<ResourceProvider> | undefined;
    this.provider = slots ? () => (limited ??= options.provider().then((p) => limitCalls(p, slots))) : options.provider;
    this.preview = options.preview;
    this.memo = options.memo;
    this.observer = options.observer ?? {};
    this.applier = new StepApplier(this.changes, this.provider, this.preview, this.observer);
  }

  /** The state as it stands (read-only). */
  get stack(): StackView {
    return this.changes.state;
  }

  get failed(): boolean {
    return this.steps.some((s) => s.error || s.failures?.length);
  }

  /** Whether `cancel()` was called. */
  get cancelled(): boolean {
    return this.cancelRequested;
  }

  /** No step starts from now on; steps in flight finish and are recorded. `finish()` deletes nothing. */
  cancel(): void {
    this.cancelRequested = true;
  }

  /**
   * Holds every step's changes and reports until `open` resolves true; when it resolves false none is made
   * (registrations waiting for it are answered with an error, not recorded).
   */
  holdUntil(open: Promise<boolean>): void {
    this.gate = open;
  }

  /**
   * `change` once the gate opens, unless it stays shut or the deployment was cancelled meanwhile (a step
   * that did not start is not made); `finish()` and `settled()` wait for it, and `settled()` throws what
   * it threw (a state write that failed).
   */
  private whenOpen(change: () => void): void {
    this.held.push(
      this.gate
        .then((open) => (open && this.startable() ? change() : undefined))
        .catch((error: unknown) => {
          this.heldError ??= { error };
        }),
    );
  }

  /** Resolves once the held changes of answered registrations are made (or dropped); throws a failed one. */
  async settled(): Promise<void> {
    await Promise.all(this.held);
    if (this.heldError) throw this.heldError.error;
  }

  /** The entry the engine keeps for `urn` (the default provider), held or already in the state. */
  kept(urn: string): ResourceState | undefined {
    return this.keptNow.get(urn) ?? this.stack.resources.get(urn);
  }

  /** Steps one registration (RegisterResource) and answers with the resource's id and outputs. */
  async register(goal: Goal): Promise<Outcome> {
    if (this.seen.has(goal.urn)) {
      const error = new Error(`duplicate resource URN ${goal.urn}: resource names must be unique per type`);
      this.whenOpen(() => this.record(failedStep(this.observer, goal.urn, goal.type, "create", error), "", {}));
      return unstepped(goal, "create", error);
    }
    this.seen.add(goal.urn);
    if (!this.startable()) return notStarted(goal, this.stack.resources.has(goal.urn));
    return goal.custom ? this.custom(goal) : this.component(goal);
  }

  /** A registration refused before stepping (an option it cannot honour): a failed step, state untouched. */
  refuse(goal: Goal, message: string): void {
    this.seen.add(goal.urn);
    const op = this.stack.resources.has(goal.urn) ? "update" : "create";
    this.whenOpen(() => this.record(failedStep(this.observer, goal.urn, goal.type, op, new Error(message)), "", {}));
  }

  /** Keeps a resource the engine itself registers (the default provider): recorded, never stepped. */
  keep(entry: ResourceState): void {
    this.seen.add(entry.urn);
    // Known at once: the registrations that follow, answered before the gate opens, name the same entry.
    this.keptNow.set(entry.urn, entry);
    if (this.preview || this.stack.resources.get(entry.urn) === entry) return;
    this.whenOpen(() => this.changes.set(entry));
  }

  /** RegisterResourceOutputs: a component's (or the stack's) outputs. */
  registerOutputs(urn: string, outputs: Props): void {
    if (this.preview) return;
    this.whenOpen(() => {
      const entry = this.stack.resources.get(urn);
      if (!entry || deepEqual(entry.outputs, outputs)) return;
      this.changes.set({ ...entry, outputs, modified: timestamp() });
    });
  }

  /**
   * After the program: replaced resources' old halves and resources no longer declared are deleted. After
   * a failed step nothing is deleted (the engine stops there); old halves stay pending for the next run.
   */
  async finish(): Promise<void> {
    await this.settled();
    if ((this.failed || this.cancelled) && !this.preview) return;
    const undeclared = [...this.stack.resources.values()].filter((r) => !this.seen.has(r.urn));
    await this.deleteAll([...this.stack.pendingDeletes, ...undeclared]);
  }

  /** `pulumi refresh`: Read every custom resource. */
  async refresh(): Promise<Step[]> {
    const entries = [...this.stack.resources.values()].filter((r) => r.custom && !isProvider(r));
    await Promise.all(
      entries.map(async (entry) => {
        if (!this.startable()) return;
        const outcome = await this.applier.refresh(entry);
        this.record(outcome.step, outcome.id, outcome.outputs);
      }),
    );
    return this.steps;
  }

  /** `pulumi destroy`: every resource, dependents before what they need. */
  async destroy(): Promise<Step[]> {
    await this.deleteAll([...this.stack.pendingDeletes, ...this.stack.resources.values()]);
    return this.steps;
  }

  /** Where every step starts: false once the deployment was cancelled. */
  private startable(): boolean {
    return !this.cancelRequested;
  }

  /**
   * A component's step, made when the gate opens; its answer (no id, no outputs) does not wait for it, and
   * carries the step object that is recorded then (completed in place).
   */
  private component(goal: Goal): Outcome {
    const plan = decideComponent(goal, this.stack.resources.get(goal.urn));
    const step = plan.step;
    this.whenOpen(() => {
      if (plan.op !== "same") this.observer.started?.(goal.urn, plan.op);
      const outcome = this.applier.applyComponent(plan);
      this.record(Object.assign(step, outcome.step), outcome.id, outcome.outputs);
    });
    return { step, id: "", outputs: {} };
  }

  private async custom(goal: Goal): Promise<Outcome> {
    const decision = await this.deciding.run(() =>
      decide(goal, this.stack.resources.get(goal.urn), this.provider, this.observer, this.memo),
    );
    if (!(await this.gate)) return unopened(goal, this.stack.resources.has(goal.urn));
    if (!this.startable()) return notStarted(goal, this.stack.resources.has(goal.urn));
    if (decision.kind === "failed") return this.record(decision.step, decision.id, decision.outputs);
    const { old } = decision;
    const step = reportOf(decision);
    if (decision.op !== "same") this.observer.started?.(goal.urn, decision.op);
    if (decision.refusal && old) return this.record({ ...step, error: decision.refusal }, old.id, old.outputs);
    const outcome = await this.applier.apply(decision, step);
    if (old && this.changes.isPendingDelete(old)) this.replacedNow.add(old);
    if (
      old &&
      decision.op === "replace" &&
      outcome.step.error &&
      this.stack.resources.get(goal.urn)?.id !== old.id &&
      !this.changes.isPendingDelete(old)
    ) {
      // Deleted first, then the create failed: both are told (and counted), and the program gets no
      // outputs of a room that no longer exists.
      this.record({ urn: goal.urn, type: goal.type, op: "delete" }, old.id, {});
      const now = this.stack.resources.get(goal.urn);
      return this.record({ ...outcome.step, op: "create" }, now?.id ?? "", now?.outputs ?? {});
    }
    return this.record(outcome.step, outcome.id, outcome.outputs);
  }

  /**
   * Deletes resources so that nothing is deleted before the resources that need it; a resource whose
   * dependent failed to go (or never started, after `cancel()`) stays.
   */
  private async deleteAll(list: ResourceState[]): Promise<void> {
    // Who needs whom, built once: the entries of `list` that need each URN, in list order (`needs` never
    // names a resource's own URN, so the old half of a replacement does not wait for its successor).
    const dependents = new Map<string, ResourceState[]>();
    for (const d of list) {
      for (const urn of needs(d)) {
        const those = dependents.get(urn);
        if (those) those.push(d);
        else dependents.set(urn, [d]);
      }
    }
    const running = new Map<ResourceState, Promise<boolean>>();
    const run = (r: ResourceState): Promise<boolean> => {
      let p = running.get(r);
      if (!p) {
        p = Promise.all((dependents.get(r.urn) ?? []).map(run)).then(async (oks) => {
          if (oks.some((ok) => !ok)) {
            // After cancel() the dependent never started: that is no failure of this resource.
            if (this.startable())
              this.record(
                failedStep(
                  this.observer,
                  r.urn,
                  r.type,
                  "delete",
                  new Error(`${r.urn} was not deleted: a resource that depends on it could not be deleted`),
                ),
                r.id,
                r.outputs,
              );
            return false;
          }
          return this.startable() && this.deleteStep(r, this.changes.isPendingDelete(r));
        });
        running.set(r, p);
      }
      return p;
    };
    await Promise.all(list.map(run));
  }

  private async deleteStep(entry: ResourceState, replaced: boolean): Promise<boolean> {
    const started = Date.now();
    if (!isProvider(entry)) this.observer.started?.(entry.urn, "delete");
    if (this.preview) {
      if (!isProvider(entry)) this.record({ urn: entry.urn, type: entry.type, op: "delete" }, entry.id, entry.outputs);
      return true;
    }
    try {
      if (entry.protect && !replaced)
        throw new Error(`${entry.urn} is protected: it cannot be deleted (set protect: false and run up first)`);
      await this.applier.delete(entry, replaced);
      // The old half of a replacement made in this very run is part of that replace step, not a delete.
      if (!this.replacedNow.has(entry) && !isProvider(entry))
        this.record({ urn: entry.urn, type: entry.type, op: "delete", ms: Date.now() - started }, entry.id, {});
      return true;
    } catch (error) {
      this.record(failedStep(this.observer, entry.urn, entry.type, "delete", error), entry.id, entry.outputs);
      return false;
    }
  }

  private record(step: Step, id: string, outputs: Props): Outcome {
    this.steps.push(step);
    this.observer.finished?.(step);
    return { step, id, outputs };
  }
}

/** The answer to a registration that is not stepped here (nor reported by it): its error, no id, no outputs. */
function unstepped(goal: Goal, op: Step["op"], error: Error): Outcome {
  return { step: { urn: goal.urn, type: goal.type, op, error }, id: "", outputs: {} };
}

/** The answer to a registration whose gate stayed shut (the program did not type-check). */
function unopened(goal: Goal, exists: boolean): Outcome {
  return unstepped(
    goal,
    exists ? "update" : "create",
    new Error(`${goal.urn}: not registered, the program did not type-check`),
  );
}

/** The answer to a registration that arrives after `cancel()`. */
function notStarted(goal: Goal, exists: boolean): Outcome {
  return unstepped(
    goal,
    exists ? "update" : "create",
    new Error(`${goal.urn}: not started: the operation was cancelled`),
  );
}
