/**
 * Deciding a step, as pulumi/pulumi's pkg/resource/deploy/step_generator.go does: from what the program
 * declared (the Goal) and the resource's old state, the operation and everything applying it needs.
 *
 * - Check first, with the old *inputs* as `olds` (after `ignoreChanges` put the old values back); a failure
 *   fails that resource's step.
 * - A new URN is a create. Otherwise Diff: DIFF_SOME is an update, or a replacement when it names replaces
 *   (the old resource deleted first when Diff or the `deleteBeforeReplace` option says so); DIFF_UNKNOWN
 *   compares inputs; a resource with init errors is updated even when Diff finds no change.
 * - `protect` refuses a replacement.
 *
 * A room whose news, checked inputs and old outputs are what they were when Check and Diff last answered
 * (engine/decision-memo.ts) gets those answers again without the calls.
 *
 * Only Check and Diff are called here and nothing changes the state: the result is a plain value that
 * engine/step-applier.ts carries out and engine/deployment.ts orders.
 */
import type { DecisionMemo } from "./decision-memo";
import { applyIgnoreChanges } from "./ignore-changes";
import type { DiffAnswer } from "./provider-host";
import type { ResourceState } from "./state";
import { failedStep, noteAnswer, type Goal, type ResourceProvider, type Step, type StepObserver } from "./step";
import { changedKeys, containsSecret, deepEqual, downgradeProps, markSecrets, plainOf, type Props } from "./wire";

/** The provider methods deciding needs. */
export type Checker = Pick<ResourceProvider, "check" | "diff">;

/** The operations a registration can decide on. */
export type PlannedOp = "create" | "same" | "update" | "replace";

/** A custom resource's step, decided. */
export interface StepPlan {
  kind: "plan";
  goal: Goal;
  /** The resource's entry before this step (none for a create). */
  old?: ResourceState;
  op: PlannedOp;
  /** Checked inputs as the provider sees them (secrets unwrapped). */
  checked: Props;
  /** Checked inputs as the state keeps them (the program's secret inputs wrapped again). */
  inputs: Props;
  /** Top-level inputs the program passed as secrets. */
  secretKeys: string[];
  /** Top-level outputs kept as secrets: the secret inputs and `additionalSecretOutputs`. */
  secretOutputs: string[];
  diff?: DiffAnswer;
  /** Top-level inputs that change (update and replace). */
  changed?: string[];
  /** A replacement deletes the old resource before it creates the new one. */
  deleteBeforeReplace?: boolean;
  /** Why the step may not go on (`protect` refuses the replacement): it fails before any change. */
  refusal?: Error;
  /** When deciding began (`Date.now()`), for the step's wall time. */
  started: number;
}

/** A step that failed while it was decided: Check failed or threw, or Diff threw. */
export interface FailedDecision {
  kind: "failed";
  step: Step;
  /** What the registration answers (the old id and outputs, or the new inputs after a failed Check). */
  id: string;
  outputs: Props;
}

export type Decision = StepPlan | FailedDecision;

/** A component resource's step: no provider call, the operation follows from its inputs and parent. */
export interface ComponentPlan {
  goal: Goal;
  old?: ResourceState;
  op: "create" | "same" | "update";
  step: Step;
  started: number;
}

/** Checks and diffs one custom resource and decides its step; `memo` answers for unchanged rooms. */
export async function decide(
  goal: Goal,
  old: ResourceState | undefined,
  provider: () => Promise<Checker>,
  observer: StepObserver = {},
  memo?: DecisionMemo,
): Promise<Decision> {
  const started = Date.now();
  const opts = goal.options ?? {};
  const wanted =
    old && opts.ignoreChanges?.length ? applyIgnoreChanges(goal.inputs, old.inputs, opts.ignoreChanges) : goal.inputs;
  const { plain: news, secretKeys } = downgradeProps(wanted);
  // The memo sees values with their secrets unwrapped: it is not asked about a resource holding any.
  const safeMemo =
    secretKeys.length || (old && (containsSecret(old.inputs) || containsSecret(old.outputs))) ? undefined : memo;
  const fallbackOp = old ? "update" : "create";
  const failed = (step: Step, id: string, outputs: Props): FailedDecision => ({ kind: "failed", step, id, outputs });
  let checked: Props;
  const fromMemo = old && safeMemo?.checked(goal.urn, news, plainOf(old.inputs));
  if (fromMemo) checked = fromMemo;
  else {
    try {
      const host = await provider();
      observer.call?.("Check", goal.urn, old?.id);
      const result = await host.check(goal.urn, old ? plainOf(old.inputs) : {}, news);
      noteAnswer(observer, result);
      if (result.failures.length)
        return failed(
          { urn: goal.urn, type: goal.type, op: fallbackOp, failures: result.failures, ms: Date.now() - started },
          old?.id ?? "",
          news,
        );
      checked = result.inputs;
      safeMemo?.rememberCheck(goal.urn, news, checked);
    } catch (error) {
      return failed(failedStep(observer, goal.urn, goal.type, fallbackOp, error), old?.id ?? "", news);
    }
  }
  const plan: StepPlan = {
    kind: "plan",
    goal,
    op: "create",
    checked,
    inputs: markSecrets(checked, secretKeys),
    secretKeys,
    secretOutputs: [...secretKeys, ...(opts.additionalSecretOutputs ?? [])],
    started,
  };
  if (!old) return plan;

  let diff: DiffAnswer;
  const olds = plainOf(old.outputs);
  if (safeMemo?.same(goal.urn, olds, checked))
    diff = { changes: "DIFF_NONE", replaces: [], deleteBeforeReplace: false };
  else {
    try {
      const host = await provider();
      observer.call?.("Diff", goal.urn, old.id);
      diff = await host.diff(old.id, goal.urn, olds, checked, plainOf(old.inputs));
      noteAnswer(observer, diff);
    } catch (error) {
      return failed(failedStep(observer, goal.urn, goal.type, "update", error), old.id, old.outputs);
    }
    if (diff.changes === "DIFF_NONE") safeMemo?.rememberSame(goal.urn, olds, checked);
  }
  const op = opOf(diff, old, checked);
  Object.assign(plan, { old, op, diff });
  if (op === "same") return plan;
  plan.changed = changedKeys(plainOf(old.inputs), checked);
  if (op === "replace") {
    plan.deleteBeforeReplace = diff.deleteBeforeReplace || opts.deleteBeforeReplace === true;
    if (old.protect)
      plan.refusal = new Error(
        `${goal.urn}: resource is protected and would be replaced (${diff.replaces.join(", ")}); set protect: false, run up, then change it`,
      );
  }
  return plan;
}

/** DIFF_UNKNOWN makes the engine compare inputs itself (which also catches `__provider` changes). */
export function opOf(diff: DiffAnswer, old: ResourceState, news: Props): PlannedOp {
  if (diff.changes === "DIFF_NONE") return old.initErrors?.length ? "update" : "same";
  if (diff.changes === "DIFF_UNKNOWN")
    return deepEqual(plainOf(old.inputs), news) && !old.initErrors?.length ? "same" : "update";
  return diff.replaces.length > 0 ? "replace" : "update";
}

/** The report of a decided step (what the display shows before anything is applied). */
export function reportOf(plan: StepPlan): Step {
  const { goal, old, op } = plan;
  const step: Step = { urn: goal.urn, type: goal.type, op };
  if (plan.diff) step.diff = plan.diff;
  if (old && op !== "same")
    Object.assign(step, { changed: plan.changed ?? [], before: old.inputs, after: plan.inputs });
  if (op === "replace") step.deleteBeforeReplace = plan.deleteBeforeReplace === true;
  return step;
}

/** A component's step: created, the same (inputs and parent unchanged) or updated. */
export function decideComponent(goal: Goal, old: ResourceState | undefined): ComponentPlan {
  const started = Date.now();
  const op = !old ? "create" : deepEqual(old.inputs, goal.inputs) && old.parent === goal.parent ? "same" : "update";
  const step: Step = { urn: goal.urn, type: goal.type, op };
  if (old && op === "update")
    Object.assign(step, { changed: changedKeys(old.inputs, goal.inputs), before: old.inputs, after: goal.inputs });
  return { goal, ...(old ? { old } : {}), op, step, started };
}
