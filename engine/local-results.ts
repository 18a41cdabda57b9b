/**
 * What the programmatic API (`pulumi-rooms/local`, engine/local.ts) hands back for an operation, in the
 * shapes and names of Pulumi's Automation API (`@pulumi/pulumi/automation`, stack.ts: `UpResult`,
 * `PreviewResult`, `OutputMap`, `UpdateSummary.resourceChanges`; workspace.ts: `Deployment`), and how
 * they are made from the engine's steps and wire values.
 */
import type { DeploymentV3 } from "./checkpoint";
import { errorText, type Operation } from "./report";
import type { Op, Step } from "./step";
import { isObject, isSecret, nameOf, type Props } from "./wire";

/**
 * What happened to one resource, by the names of Pulumi's `OpType`. A refresh reports what it found as
 * the CLI's summary does: `same` (unchanged), `update` (the room differed) or `delete` (the room was gone).
 */
export type OpType = "same" | "create" | "update" | "delete" | "replace";

/** How many resources each operation touched (Pulumi's `OpMap`); an operation that did not occur is absent. */
export type OpMap = { [key in OpType]?: number };

/** One stack output (Pulumi's `OutputValue`): the plain value, and whether the program marked it secret. */
export interface OutputValue {
  /** The value, secrets decrypted (as `pulumi stack output --show-secrets` prints it). */
  readonly value: unknown;
  /** True when the value is, or holds, a secret. */
  readonly secret: boolean;
}

/** The stack outputs by name (Pulumi's `OutputMap`). */
export type OutputMap = { [key: string]: OutputValue };

/** The kind of an operation, as Pulumi's `UpdateKind` names them (`up` is an `update`). */
export type UpdateKind = "update" | "preview" | "refresh" | "destroy";

/** A summary of one operation (the fields of Pulumi's `UpdateSummary` this engine knows). */
export interface UpdateSummary {
  readonly kind: UpdateKind;
  readonly startTime: Date;
  readonly endTime: Date;
  /** `failed` when a step, the program or the operation failed, or it was cancelled. */
  readonly result: "succeeded" | "failed";
  /** The resources each operation completed (failed steps are not counted; see `steps`). */
  readonly resourceChanges: OpMap;
}

/** One resource's step, for assertions beyond the counts. */
export interface ResourceStep {
  /** The resource's URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
  readonly urn: string;
  /** The resource's name in the program. */
  readonly name: string;
  /** The resource type, e.g. `pulumi-nodejs:dynamic/rooms:TencentRoom`. */
  readonly type: string;
  readonly op: OpType;
  /** Why the step failed: the provider's message (vendor code, RequestId, hint) or the engine's. */
  readonly error?: string;
  /** The provider's check failures (property path and reason), when its inputs were refused. */
  readonly failures?: readonly { readonly property: string; readonly reason: string }[];
}

/** What every result carries. */
interface Reported {
  /** The report, one line each, as `pulumi-rooms-local` prints it (steps, diagnostics, summary, outputs). */
  readonly stdout: string;
  /** Always empty: the engine reports everything on one stream, `stdout`. */
  readonly stderr: string;
  /** Every resource's step, in the order they ended. */
  readonly steps: readonly ResourceStep[];
}

/** The result of `preview` (Pulumi's `PreviewResult`). */
export interface PreviewResult extends Reported {
  /** What `up` would do, counted. */
  readonly changeSummary: OpMap;
}

/** The result of `up` (Pulumi's `UpResult`). */
export interface UpResult extends Reported {
  readonly outputs: OutputMap;
  readonly summary: UpdateSummary;
}

/** The result of `refresh` (Pulumi's `RefreshResult`). */
export interface RefreshResult extends Reported {
  readonly summary: UpdateSummary;
}

/** The result of `destroy` (Pulumi's `DestroyResult`). */
export interface DestroyResult extends Reported {
  readonly summary: UpdateSummary;
}

/** Any operation's result. */
export type OperationResultOf<O extends Operation> = O extends "preview"
  ? PreviewResult
  : O extends "up"
    ? UpResult
    : O extends "refresh"
      ? RefreshResult
      : DestroyResult;

/** The stack's state as `pulumi stack export` writes it (Pulumi's `Deployment`, version 3). */
export type Deployment = DeploymentV3;

const OP_TYPE: Record<Op, OpType> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "same",
  "refresh-same": "same",
  "refresh-update": "update",
  "refresh-delete": "delete",
};

const failed = (step: Step): boolean => Boolean(step.error || step.failures?.length);

/** The completed steps counted by OpType, as the report's summary counts them. */
export function changeCounts(steps: readonly Step[]): OpMap {
  const counts: OpMap = {};
  for (const step of steps) {
    if (failed(step)) continue;
    const op = OP_TYPE[step.op];
    counts[op] = (counts[op] ?? 0) + 1;
  }
  return counts;
}

/** The engine's steps as the API shows them. */
export function resourceSteps(steps: readonly Step[]): ResourceStep[] {
  return steps.map((step) => ({
    urn: step.urn,
    name: nameOf(step.urn),
    type: step.type ?? step.urn.split("::")[2]?.split("$").pop() ?? "",
    op: OP_TYPE[step.op],
    ...(step.error ? { error: errorText(step.error) } : {}),
    ...(step.failures?.length
      ? { failures: step.failures.map((f) => ({ property: f.property, reason: f.reason })) }
      : {}),
  }));
}

/** Stack outputs in wire form (secrets wrapped) as an OutputMap (secrets unwrapped and flagged). */
export function outputMap(outputs: Props): OutputMap {
  const map: OutputMap = {};
  for (const [key, value] of Object.entries(outputs)) {
    let secret = false;
    const open = (v: unknown): unknown => {
      if (isSecret(v)) {
        secret = true;
        return open(v.value);
      }
      if (Array.isArray(v)) return v.map(open);
      if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, open(x)]));
      return v;
    };
    const plain = open(value);
    map[key] = { value: plain, secret };
  }
  return map;
}
