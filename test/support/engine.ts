/**
 * A small stand-in for the Pulumi engine's deployment logic (spec: pulumi-dynamic-providers.md §1.5), on
 * top of a ProviderHost: it keeps the engine's state map (urn -> id, inputs, outputs) and performs the
 * gRPC sequences of `pulumi preview`, `up`, `refresh` and `destroy`, so tests read like user scenarios.
 *
 * What it mirrors from the engine (pkg/resource/deploy/step_generator.go, step.go):
 * - Check always first, with the old *inputs* as `olds`; a check failure fails that resource's step.
 * - preview: Check (unknowns allowed), then Diff for resources already in state; never Create/Update/Delete.
 * - up: Create for new URNs; Diff then Update (DIFF_SOME, no replaces), or a replacement: create the new
 *   resource first and delete the old one at the end of the deployment, unless `deleteBeforeReplace`
 *   (from Diff or the resource option) asks to delete the old one first. DIFF_UNKNOWN falls back to
 *   comparing inputs. Resources no longer in the program are deleted at the end. Independent steps run
 *   concurrently (the engine's default parallelism is unbounded).
 * - a Create or Update failing with an ErrorResourceInitFailed detail (partial failure) still records the
 *   resource, with the detail's outputs and its init errors; a resource with init errors is updated on the
 *   next up even when Diff finds no change (applyReplaceOnChanges with hasInitErrors).
 * - refresh: Read(id, old outputs, old inputs); an empty id drops the resource; returned inputs replace
 *   the stored inputs (3.216+).
 * - destroy: Delete(id, old outputs) for everything in state.
 * - component resources (no provider) are recorded in state and dropped with no provider call, as the
 *   engine does; their children carry the component's type in their URN (`<component type>$<type>`).
 */
import { HostCallError, type CheckFailure, type DiffAnswer, type Props, type ProviderHost } from "./host";
import type { Registration } from "./program";

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
  options?: { deleteBeforeReplace?: boolean };
}

/** The engine's record of one resource. */
export interface StateEntry {
  urn: string;
  id: string;
  /** Checked inputs (with `__provider`). */
  inputs: Props;
  /** Outputs (with `__provider`). */
  outputs: Props;
  /** Reasons of a partial failure (the engine's InitErrors), cleared by the next successful update. */
  initErrors?: string[];
  /** A component resource (no id, no provider). */
  component?: boolean;
}

export type Op = "create" | "same" | "update" | "replace" | "delete" | "refresh-same" | "refresh-update" | "refresh-delete";

export interface Step {
  urn: string;
  op: Op;
  diff?: DiffAnswer;
  /** Whether the old resource of a replacement was deleted before its successor was created. */
  deleteBeforeReplace?: boolean;
  failures?: CheckFailure[];
  error?: HostCallError | Error;
}

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
        .map((s) => `${s.urn}: ${s.error ? s.error.message : s.failures?.map((f) => `${f.property}: ${f.reason}`).join("; ")}`)
        .join("\n")}`,
    );
    this.name = "DeploymentError";
  }

  /** The step error for one resource name. */
  errorFor(name: string): HostCallError | Error | undefined {
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
  readonly state = new Map<string, StateEntry>();
  readonly calls: Call[] = [];
  /** Every response, error text and check failure seen, for secret scans. */
  readonly transcript: string[] = [];
  /** Output keys that the last refresh found changed, per URN. */
  readonly drift = new Map<string, string[]>();
  private seq = 0;

  constructor(public host: ProviderHost) {}

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
    const steps = await Promise.all(
      program.map(async (res): Promise<Step> => {
        const old = this.state.get(res.urn);
        if (res.component) return { urn: res.urn, op: old ? "same" : "create" };
        const checked = await this.check(res, old);
        if (checked.failures.length) return { urn: res.urn, op: old ? "update" : "create", failures: checked.failures };
        if (!old) return { urn: res.urn, op: "create" };
        const diff = await this.diff(old, checked.inputs);
        return { urn: res.urn, op: this.opOf(diff, old, checked.inputs), diff, ...(diff.replaces.length ? { deleteBeforeReplace: this.dbr(diff, res) } : {}) };
      }),
    );
    for (const urn of this.state.keys()) if (!program.some((r) => r.urn === urn)) steps.push({ urn, op: "delete" });
    return steps;
  }

  /** `pulumi up --yes`. Throws DeploymentError when any step failed (successful steps stay in state). */
  async up(program: readonly Declared[]): Promise<Step[]> {
    const pendingDeletes: StateEntry[] = [];
    const steps = await Promise.all(program.map((res) => this.upOne(res, pendingDeletes)));
    // Replaced resources (create-before-delete) and resources gone from the program are deleted last.
    const deletes = await Promise.all(
      pendingDeletes.map(async (old): Promise<Step | undefined> => {
        try {
          await this.delete(old, true);
          return undefined;
        } catch (error) {
          return { urn: old.urn, op: "delete", error: error as Error };
        }
      }),
    );
    const removed = [...this.state.values()].filter((e) => !program.some((r) => r.urn === e.urn));
    const removals = await Promise.all(removed.map((e) => this.deleteStep(e)));
    const all = [...steps, ...deletes.filter((s): s is Step => s !== undefined), ...removals];
    if (all.some((s) => s.error || s.failures?.length)) throw new DeploymentError("up", all);
    return all;
  }

  /** `pulumi refresh --yes`. */
  async refresh(): Promise<Step[]> {
    this.drift.clear();
    const steps = await Promise.all(
      [...this.state.values()].map(async (entry): Promise<Step> => {
        if (entry.component) return { urn: entry.urn, op: "refresh-same" };
        try {
          this.record("Read", entry.urn, entry.id);
          const res = await this.host.read(entry.id, entry.urn, entry.outputs, entry.inputs);
          this.note(res);
          if (!res.id) {
            this.state.delete(entry.urn);
            return { urn: entry.urn, op: "refresh-delete" };
          }
          const inputs = res.inputs ?? entry.inputs;
          // Like the CLI, a refresh "updates" a resource when its outputs (the state) changed.
          const same = deepEqual(res.properties, entry.outputs);
          if (!same) this.drift.set(entry.urn, changedKeys(entry.outputs, res.properties));
          this.state.set(entry.urn, { urn: entry.urn, id: res.id, inputs, outputs: res.properties });
          return { urn: entry.urn, op: same ? "refresh-same" : "refresh-update" };
        } catch (error) {
          return { urn: entry.urn, op: "refresh-same", error: this.fail(error) };
        }
      }),
    );
    if (steps.some((s) => s.error)) throw new DeploymentError("refresh", steps);
    return steps;
  }

  /** `pulumi destroy --yes`. */
  async destroy(): Promise<Step[]> {
    const steps = await Promise.all([...this.state.values()].map((e) => this.deleteStep(e)));
    if (steps.some((s) => s.error)) throw new DeploymentError("destroy", steps);
    return steps;
  }

  private async upOne(res: Declared, pendingDeletes: StateEntry[]): Promise<Step> {
    const old = this.state.get(res.urn);
    if (res.component) {
      this.state.set(res.urn, { urn: res.urn, id: "", inputs: res.inputs, outputs: {}, component: true });
      return { urn: res.urn, op: old ? "same" : "create" };
    }
    let checked: { inputs: Props; failures: CheckFailure[] };
    try {
      checked = await this.check(res, old);
    } catch (error) {
      return { urn: res.urn, op: old ? "update" : "create", error: this.fail(error) };
    }
    if (checked.failures.length) return { urn: res.urn, op: old ? "update" : "create", failures: checked.failures };
    try {
      if (!old) {
        await this.create(res.urn, checked.inputs);
        return { urn: res.urn, op: "create" };
      }
      const diff = await this.diff(old, checked.inputs);
      const op = this.opOf(diff, old, checked.inputs);
      if (op === "same") return { urn: res.urn, op, diff };
      if (op === "update") {
        this.record("Update", res.urn, old.id);
        const out = await this.host.update(old.id, res.urn, old.outputs, checked.inputs, old.inputs).catch((error: unknown) => {
          throw this.recordPartial(res.urn, checked.inputs, error);
        });
        this.note(out);
        this.state.set(res.urn, { urn: res.urn, id: old.id, inputs: checked.inputs, outputs: out.properties });
        return { urn: res.urn, op, diff };
      }
      const deleteFirst = this.dbr(diff, res);
      if (deleteFirst) {
        await this.delete(old, true);
        await this.create(res.urn, checked.inputs);
      } else {
        await this.create(res.urn, checked.inputs);
        pendingDeletes.push(old);
      }
      return { urn: res.urn, op, diff, deleteBeforeReplace: deleteFirst };
    } catch (error) {
      return { urn: res.urn, op: old ? "update" : "create", error: this.fail(error) };
    }
  }

  private async check(res: Declared, old: StateEntry | undefined): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    this.record("Check", res.urn, old?.id);
    const result = await this.host.check(res.urn, old?.inputs ?? {}, { ...res.inputs, __provider: res.provider });
    this.note(result);
    return result;
  }

  private async diff(old: StateEntry, news: Props): Promise<DiffAnswer> {
    this.record("Diff", old.urn, old.id);
    const diff = await this.host.diff(old.id, old.urn, old.outputs, news, old.inputs);
    this.note(diff);
    return diff;
  }

  private async create(urn: string, inputs: Props): Promise<void> {
    this.record("Create", urn);
    const out = await this.host.create(urn, inputs).catch((error: unknown) => {
      throw this.recordPartial(urn, inputs, error);
    });
    this.note(out);
    this.state.set(urn, { urn, id: out.id, inputs, outputs: out.properties });
  }

  private async delete(entry: StateEntry, replaced = false): Promise<void> {
    if (entry.component) {
      this.state.delete(entry.urn);
      return;
    }
    this.record("Delete", entry.urn, entry.id, replaced);
    await this.host.delete(entry.id, entry.urn, entry.outputs, entry.inputs);
    // A replaced resource's URN may already hold its successor: only drop the entry that was deleted.
    if (this.state.get(entry.urn)?.id === entry.id && this.state.get(entry.urn) === entry) this.state.delete(entry.urn);
  }

  private async deleteStep(entry: StateEntry): Promise<Step> {
    try {
      await this.delete(entry);
      return { urn: entry.urn, op: "delete" };
    } catch (error) {
      return { urn: entry.urn, op: "delete", error: this.fail(error) };
    }
  }

  /** A partial failure: the resource is recorded as the detail says, and the step still fails. */
  private recordPartial(urn: string, inputs: Props, error: unknown): unknown {
    if (error instanceof HostCallError && error.initFailure) {
      const { id, properties, reasons } = error.initFailure;
      this.note(error.initFailure);
      this.state.set(urn, { urn, id, inputs, outputs: properties, initErrors: reasons });
    }
    return error;
  }

  /** DIFF_UNKNOWN makes the engine compare inputs itself (which also catches `__provider` changes). */
  private opOf(diff: DiffAnswer, old: StateEntry, news: Props): Op {
    if (diff.changes === "DIFF_NONE") return old.initErrors?.length ? "update" : "same";
    if (diff.changes === "DIFF_UNKNOWN") return deepEqual(old.inputs, news) ? "same" : "update";
    return diff.replaces.length > 0 ? "replace" : "update";
  }

  private dbr(diff: DiffAnswer, res: Declared): boolean {
    return diff.deleteBeforeReplace || res.options?.deleteBeforeReplace === true;
  }

  private record(method: Call["method"], urn: string, id?: string, replaced?: boolean): void {
    this.calls.push({ seq: ++this.seq, method, urn, ...(id !== undefined ? { id } : {}), ...(replaced ? { replaced } : {}) });
  }

  private note(value: unknown): void {
    this.transcript.push(JSON.stringify(value));
  }

  private fail(error: unknown): Error {
    const err = error instanceof Error ? error : new Error(String(error));
    this.transcript.push(err.message);
    return err;
  }
}

/** Structural equality for JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Props)[k], (b as Props)[k]));
}

/** Top-level keys whose values differ between two records. */
export function changedKeys(a: Props, b: Props): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !deepEqual(a[k], b[k])).sort();
}
