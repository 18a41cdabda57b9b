/**
 * What a step is, as the rest of the engine sees it: the operation chosen for one resource, the report of
 * the step once it ended, the program's declaration it came from (the Goal), and the hooks that watch steps.
 * The modules that decide steps (engine/step-generator.ts), apply them (engine/step-applier.ts) and order
 * them (engine/deployment.ts) share these types.
 */
import type { CheckFailure, DiffAnswer, ProviderHost } from "./provider-host";
import type { Props } from "./wire";

export type Op =
  "create" | "same" | "update" | "replace" | "delete" | "refresh-same" | "refresh-update" | "refresh-delete";

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
  /** Where the program declared it, as the CLI records it: `project:///index.ts#12,7`. */
  sourcePosition?: string;
}

/** The resource options the engine honours itself. */
export interface GoalOptions {
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  retainOnDelete?: boolean;
  additionalSecretOutputs?: string[];
}

/** The provider methods the engine calls (the dynamic-provider host; tests pass fakes). */
export type ResourceProvider = Pick<ProviderHost, "check" | "diff" | "create" | "read" | "update" | "delete">;

/** The provider methods, as the engine names them in `StepObserver.call`. */
export type ProviderMethod = "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";

/** Hooks for the display and the tests. State changes go to the StateChanges listener instead. */
export interface StepObserver {
  /** Every host call, in order; `replaced` marks the delete of a replaced resource's old half. */
  call?(method: ProviderMethod, urn: string, id?: string, replaced?: boolean): void;
  /** Every answer and error text (for secret scans). */
  note?(text: string): void;
  started?(urn: string, op: Op): void;
  finished?(step: Step): void;
}

/** What the program gets back for a registration. */
export interface Outcome {
  step: Step;
  /** "" while unknown (preview of a new resource) or for components. */
  id: string;
  outputs: Props;
}

/** A failed step carrying `error` (any thrown value becomes an Error); the text goes to `observer.note`. */
export function failedStep(
  observer: StepObserver,
  urn: string,
  type: string | undefined,
  op: Op,
  error: unknown,
): Step {
  const err = error instanceof Error ? error : new Error(String(error));
  observer.note?.(err.message);
  return { urn, ...(type ? { type } : {}), op, error: err };
}

/** Every answer goes to `observer.note` as JSON (the tests scan it for secrets). */
export function noteAnswer(observer: StepObserver, value: unknown): void {
  observer.note?.(JSON.stringify(value));
}
