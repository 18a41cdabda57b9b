/**
 * The tests' view of the engine: the step rules of pulumi-rooms-local (engine/deployment.ts) run over a state
 * map on a ProviderHost, with the program given as a list of declarations (from a program under mocks)
 * instead of a real program run, so tests read like user sessions (`await engine.up(program)`,
 * `await engine.refresh()`, ...) and can assert the calls made in order. The end-to-end tests run the real
 * program through the real runtime instead (test/engine/). Component resources are kept in state
 * with no provider call (`component: true` on their entries).
 */
import type { DecisionMemo } from "../../engine/decision-memo";
import { Deployment } from "../../engine/deployment";
import { StateChanges } from "../../engine/state-changes";
import type { Goal, Step, StepObserver } from "../../engine/step";
import { emptyStack, type ResourceState, type StackState } from "../../engine/state";
import { changedKeys, deepEqual, typeOf, type Props } from "../../engine/wire";
import type { ProviderHost } from "./host";
import type { Registration } from "./program";

export type { Op, Step } from "../../engine/step";
export { changedKeys, deepEqual };

/** A resource as the program declares it (what `RegisterResource` carries). */
export interface Declared {
  urn: string;
  /** Inputs without `__provider`. */
  inputs: Props;
  /** The serialized provider text ("" for a component resource). */
  provider: string;
  /** A component resource: in state, but never sent to a provider. */
  component?: boolean;
  /** Resource options the engine applies itself. */
  options?: { deleteBeforeReplace?: boolean; protect?: boolean; ignoreChanges?: string[]; retainOnDelete?: boolean };
}

/** The engine's record of one resource. */
export type StateEntry = ResourceState & { component?: boolean };

/** One RPC the engine made, in order. */
export interface Call {
  seq: number;
  method: "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";
  urn: string;
  id?: string;
  /** True for the delete of a replaced resource (the old one). */
  replaced?: boolean;
}

/** A deployment (up/destroy/refresh) in which at least one step failed, like the CLI's "error: update failed". */
export class DeploymentError extends Error {
  constructor(
    readonly operation: string,
    readonly steps: Step[],
  ) {
    const failed = steps.filter((s) => s.error || s.failures?.length);
    super(
      `${operation} failed: ${failed
        .map(
          (s) =>
            `${s.urn}: ${s.error ? s.error.message : s.failures?.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
        )
        .join("\n")}`,
    );
    this.name = "DeploymentError";
  }

  /** The step error for one resource name. */
  errorFor(name: string): Error | undefined {
    return this.steps.find((s) => s.urn.endsWith(`::${name}`))?.error;
  }
}

/** Turns program registrations into declarations: dynamic resources and component resources. */
export function declared(registrations: readonly Registration[], options?: Declared["options"]): Declared[] {
  return registrations
    .filter((r) => r.provider !== undefined || !r.custom)
    .map((r) =>
      r.provider === undefined
        ? { urn: r.urn, inputs: structuredClone(r.inputs), provider: "", component: true }
        : { urn: r.urn, inputs: structuredClone(r.inputs), provider: r.provider, ...(options ? { options } : {}) },
    );
}

export class Engine {
  private readonly stack: StackState = emptyStack();
  readonly calls: Call[] = [];
  /** Every response, error text and check failure seen, for secret scans. */
  readonly transcript: string[] = [];
  /** Output keys that the last refresh found changed, per URN. */
  readonly drift = new Map<string, string[]>();
  private seq = 0;

  /** Check and Diff answers remembered between runs, as the CLI engine keeps them (engine/decision-memo.ts). */
  memo: DecisionMemo | undefined;

  constructor(public host: ProviderHost) {}

  /** The state map (URN -> entry). */
  get state(): Map<string, StateEntry> {
    // Component entries (custom: false) carry `component: true` for the tests that look for them.
    for (const entry of this.stack.resources.values() as Iterable<StateEntry>)
      if (entry.custom === false) entry.component = true;
    return this.stack.resources;
  }

  /** The state entry of a resource by name (last URN segment). */
  get(name: string): StateEntry {
    for (const entry of this.state.values()) if (entry.urn.endsWith(`::${name}`)) return entry;
    throw new Error(`no resource named ${name} in state (have: ${[...this.state.keys()].join(", ")})`);
  }

  has(name: string): boolean {
    return [...this.state.values()].some((e) => e.urn.endsWith(`::${name}`));
  }

  /** `pulumi preview`: what would happen. Never changes state or the vendor. */
  async preview(program: readonly Declared[]): Promise<Step[]> {
    return this.run(program, true);
  }

  /** `pulumi up --yes`. Throws DeploymentError when any step failed (successful steps stay in state). */
  async up(program: readonly Declared[]): Promise<Step[]> {
    const steps = await this.run(program, false);
    if (steps.some((s) => s.error || s.failures?.length)) throw new DeploymentError("up", steps);
    return steps;
  }

  /** `pulumi refresh --yes`. */
  async refresh(): Promise<Step[]> {
    this.drift.clear();
    const steps = await this.deployment(false).refresh();
    for (const s of steps) if (s.op === "refresh-update") this.drift.set(s.urn, s.changed ?? []);
    if (steps.some((s) => s.error)) throw new DeploymentError("refresh", steps);
    return steps;
  }

  /** `pulumi destroy --yes`. */
  async destroy(): Promise<Step[]> {
    const steps = await this.deployment(false).destroy();
    if (steps.some((s) => s.error)) throw new DeploymentError("destroy", steps);
    return steps;
  }

  /** Steps the declarations (concurrently, as the engine's default parallelism is unbounded), then the deletes. */
  private async run(program: readonly Declared[], preview: boolean): Promise<Step[]> {
    const deployment = this.deployment(preview);
    const outcomes = await Promise.all(program.map((d) => deployment.register(goalOf(d))));
    await deployment.finish();
    const own = outcomes.map((o) => o.step);
    return [...own, ...deployment.steps.filter((s) => !own.includes(s))];
  }

  private deployment(preview: boolean): Deployment {
    const observer: StepObserver = {
      call: (method, urn, id, replaced) => {
        this.calls.push({
          seq: ++this.seq,
          method,
          urn,
          ...(id !== undefined ? { id } : {}),
          ...(replaced ? { replaced } : {}),
        });
      },
      note: (text) => this.transcript.push(text),
    };
    return new Deployment({
      changes: new StateChanges(this.stack),
      provider: async () => this.host,
      preview,
      observer,
      ...(this.memo ? { memo: this.memo } : {}),
    });
  }
}

function goalOf(d: Declared): Goal {
  if (d.component) return { urn: d.urn, type: typeOf(d.urn), custom: false, inputs: d.inputs };
  return {
    urn: d.urn,
    type: typeOf(d.urn),
    custom: true,
    inputs: { ...d.inputs, __provider: d.provider },
    ...(d.options ? { options: d.options } : {}),
  };
}
