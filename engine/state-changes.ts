/**
 * The one place where a stack's state changes during an operation. Each change is a typed record, applied
 * to the state and then handed to one listener; the records carry what `applyChange` needs to replay them
 * onto a loaded state (whole entries, or a URN and an id for what leaves), so the listener may persist the
 * whole state (today) or append the record to a journal.
 *
 * A provider call that changes something is announced by `begin` before it is made, as the Pulumi CLI
 * records its pending operations (pulumi/pulumi pkg/resource/deploy/snapshot.go, `PendingOperations`); the record
 * that ends it (a state change, or `end` when nothing changed) names it in `settles`. Unchanged resources
 * produce no record.
 */
import type { ResourceState, StackState, StackView } from "./state";

/** The provider calls announced by `begin`. */
export type ProviderCall = "create" | "update" | "delete" | "read";

/** A provider call in flight, from `begin` until a record settles it. */
export interface PendingOperation {
  readonly seq: number;
  readonly call: ProviderCall;
  readonly urn: string;
}

/**
 * A provider call is about to start. `entry`: for create, the entry to be recorded (id "" and no outputs
 * yet); for update, the new inputs with the old id and outputs; for delete and read, the entry as it stands.
 */
export interface BeginRecord {
  kind: "begin";
  seq: number;
  call: ProviderCall;
  entry: ResourceState;
}

/** `entry` is now the resource under its URN (a create, update, refresh, partial failure, outputs...). */
export interface SetRecord {
  kind: "set";
  entry: ResourceState;
  settles?: number;
}

/**
 * A create-before-delete replacement: `entry` takes its URN and `replaced` (the old entry) joins the pending
 * deletes, in one record, so that no replay can see the old resource in neither place (an orphan).
 */
export interface ReplaceRecord {
  kind: "replace";
  entry: ResourceState;
  replaced: ResourceState;
  settles?: number;
}

/** The resource with this URN and id leaves the state (deleted, or gone on refresh). */
export interface RemoveRecord {
  kind: "remove";
  urn: string;
  id: string;
  settles?: number;
}

/** The pending delete with this URN and id (the first, should there be two) was deleted. */
export interface DropPendingRecord {
  kind: "drop-pending";
  urn: string;
  id: string;
  settles?: number;
}

/** A provider call ended without a state change: it failed, or there was nothing left to record. */
export interface EndRecord {
  kind: "end";
  settles: number;
  failed: boolean;
}

export type StateChange = BeginRecord | SetRecord | ReplaceRecord | RemoveRecord | DropPendingRecord | EndRecord;

/** The records that change the state (the others only open and close pending operations). */
export type StateMutation = SetRecord | ReplaceRecord | RemoveRecord | DropPendingRecord;

/** Receives every record, in order, right after it was applied. */
export type StateListener = (change: StateChange) => void;

export function changesState(change: StateChange): change is StateMutation {
  return change.kind !== "begin" && change.kind !== "end";
}

/**
 * Applies one record to a state (what a replay does). Returns false when a remove or drop found nothing to
 * remove; begin and end records change nothing.
 */
export function applyChange(stack: StackState, change: StateChange): boolean {
  switch (change.kind) {
    case "set":
      stack.resources.set(change.entry.urn, change.entry);
      return true;
    case "replace":
      stack.pendingDeletes.push(change.replaced);
      stack.resources.set(change.entry.urn, change.entry);
      return true;
    case "remove": {
      // A replaced resource's URN may already hold its successor: only the entry with this id leaves.
      if (stack.resources.get(change.urn)?.id !== change.id) return false;
      stack.resources.delete(change.urn);
      return true;
    }
    case "drop-pending": {
      const at = stack.pendingDeletes.findIndex((r) => r.urn === change.urn && r.id === change.id);
      if (at < 0) return false;
      stack.pendingDeletes.splice(at, 1);
      return true;
    }
    default:
      return false;
  }
}

/** The stack's state during one operation, changed only through these methods. */
export class StateChanges {
  private seq = 0;
  /** Pending deletes by identity, so `isPendingDelete` does not scan the list. */
  private readonly pending: Set<ResourceState>;

  constructor(
    private readonly stack: StackState,
    private readonly listener: StateListener = () => undefined,
  ) {
    this.pending = new Set(stack.pendingDeletes);
  }

  /** The state as it stands (read-only: change it through the methods below). */
  get state(): StackView {
    return this.stack;
  }

  /** Whether this very entry waits in the pending deletes (the old half of a replacement). */
  isPendingDelete(entry: ResourceState): boolean {
    return this.pending.has(entry);
  }

  /** Announces a provider call that changes something; call right before it is made. */
  begin(call: ProviderCall, entry: ResourceState): PendingOperation {
    const seq = ++this.seq;
    this.emit({ kind: "begin", seq, call, entry });
    return { seq, call, urn: entry.urn };
  }

  /** Records `entry` under its URN; `op` is the call it completes. */
  set(entry: ResourceState, op?: PendingOperation): void {
    this.emit({ kind: "set", entry, ...settles(op) });
  }

  /** Records a replacement's successor and moves the old entry to the pending deletes, in one record. */
  replace(entry: ResourceState, replaced: ResourceState, op?: PendingOperation): void {
    this.pending.add(replaced);
    this.emit({ kind: "replace", entry, replaced, ...settles(op) });
  }

  /** Drops a deleted entry: from the pending deletes when it waited there, else from the resources. */
  remove(entry: ResourceState, op?: PendingOperation): void {
    const kind = this.pending.delete(entry) ? "drop-pending" : "remove";
    if (!this.emit({ kind, urn: entry.urn, id: entry.id, ...settles(op) }) && op) this.end(op, false);
  }

  /** Ends a pending operation that changed nothing (`failed`: the call failed). */
  end(op: PendingOperation, failed: boolean): void {
    this.emit({ kind: "end", settles: op.seq, failed });
  }

  /** Applies the record and tells the listener, unless it was a remove that found nothing to remove. */
  private emit(change: StateChange): boolean {
    const changed = applyChange(this.stack, change);
    if (changed || !changesState(change)) this.listener(change);
    return changed;
  }
}

function settles(op: PendingOperation | undefined): { settles?: number } {
  return op ? { settles: op.seq } : {};
}
