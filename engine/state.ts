/**
 * The engine's record of a stack: one entry per resource, in the shape of a `pulumi stack export` resource
 * (docs/engine-protocol.md, "The checkpoint format"), with property values in wire form (secrets wrapped
 * with the secret signature, never decrypted or encrypted here; engine/checkpoint.ts does that on the way
 * to disk).
 */
import type { Props } from "./wire";

/** One resource as the engine knows it after its last step. */
export interface ResourceState {
  urn: string;
  /** Custom resources have an id and a provider; components and the stack do not. */
  custom?: boolean;
  type?: string;
  id: string;
  /** Checked inputs (a dynamic resource's include `__provider`). */
  inputs: Props;
  outputs: Props;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  /** `"<provider urn>::<provider id>"`. */
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Reasons of a partial failure; the next `up` updates the resource even when Diff finds no change. */
  initErrors?: string[];
  additionalSecretOutputs?: string[];
  ignoreChanges?: string[];
  /** `project:///<file relative to the project root>#line,column` of the declaration. */
  sourcePosition?: string;
  created?: string;
  modified?: string;
}

/** A stack's resources by URN, plus replaced resources still waiting for their delete. */
export interface StackState {
  resources: Map<string, ResourceState>;
  /** Old halves of create-before-delete replacements (`delete: true` in the checkpoint). */
  pendingDeletes: ResourceState[];
}

/** A read-only view of a stack's state: every change goes through engine/state-changes.ts. */
export interface StackView {
  readonly resources: ReadonlyMap<string, ResourceState>;
  readonly pendingDeletes: readonly ResourceState[];
}

export function emptyStack(): StackState {
  return { resources: new Map(), pendingDeletes: [] };
}

/** URNs a resource needs to exist before it: parent, dependencies and property dependencies. */
export function needs(resource: ResourceState): Set<string> {
  const out = new Set<string>(resource.dependencies ?? []);
  if (resource.parent) out.add(resource.parent);
  for (const urns of Object.values(resource.propertyDependencies ?? {})) for (const u of urns) out.add(u);
  if (resource.provider) out.add(resource.provider.slice(0, resource.provider.lastIndexOf("::")));
  out.delete(resource.urn);
  return out;
}

/** The resources ordered so each comes after what it needs (the order `pulumi stack export` keeps). */
export function ordered(resources: Iterable<ResourceState>): ResourceState[] {
  const list = [...resources];
  const byUrn = new Map(list.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const out: ResourceState[] = [];
  const visit = (r: ResourceState, path: Set<string>): void => {
    if (done.has(r.urn) || path.has(r.urn)) return;
    path.add(r.urn);
    for (const u of needs(r)) {
      const dep = byUrn.get(u);
      if (dep) visit(dep, path);
    }
    done.add(r.urn);
    out.push(r);
  };
  for (const r of list) visit(r, new Set());
  return out;
}

/** The engine's own provider records (the default provider) are never stepped through the host. */
export function isProvider(r: ResourceState): boolean {
  return r.type?.startsWith("pulumi:providers:") === true;
}

/** A state timestamp (`created`, `modified`): ISO 8601 to the second, as the CLI writes them. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
