/**
 * Vendor-neutral pieces of the provider lifecycle: rule-driven diff with deleteBeforeReplace,
 * create-or-adopt, a read or delete that finds the room gone, idempotent delete, JSON-safe outputs and the hooks the host calls (check is in
 * core/check.ts). Nothing here but create and delete touches the network (diff must stay pure).
 */
import type { dynamic } from "@pulumi/pulumi";
import { containsUnknown, UNKNOWN, withoutProvider } from "./check";
import { RoomApiError } from "./errors";
import { deepEqual } from "./json";

/**
 * How a change to an input is applied: `update` in place, `replace` (destroy and create), or `ignore`
 * (never a diff: inputs that only choose how calls are made, such as the operator a call names).
 */
export type ChangeRule = "update" | "replace" | "ignore";

/** A Pulumi `DiffResult`. */
export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  /** Fields that will be updated in place (for the provider's own use; the host ignores it). */
  readonly updates: string[];
}

/**
 * Compares old outputs with new (checked) inputs field by field. A field absent from the new inputs is
 * not managed and never differs. When anything forces replacement and the room ID stays the same (or is
 * not known yet), `deleteBeforeReplace` is set: create would otherwise adopt the old room and the old
 * resource's delete would then destroy the successor.
 */
export function diffByRules(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  rules: Readonly<Record<string, ChangeRule>>,
  idField: string,
): DiffOutcome {
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    if (rule === "ignore") continue;
    const next = news[field];
    if (next === undefined) continue;
    if (next !== UNKNOWN && !containsUnknown(next) && deepEqual(olds[field], next)) continue;
    (rule === "replace" ? replaces : updates).push(field);
  }
  const sameId = news[idField] === undefined || news[idField] === UNKNOWN || news[idField] === olds[idField];
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces,
    updates,
    deleteBeforeReplace: replaces.length > 0 && sameId,
  };
}

/**
 * A provider's `diff` answer: the program's inputs (without `__provider`) against the old outputs, by
 * {@link diffByRules}, in the shape the host returns to the engine.
 */
export function diffHook(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  rules: Readonly<Record<string, ChangeRule>>,
  idField: string,
): Pick<DiffOutcome, "changes" | "replaces" | "deleteBeforeReplace"> {
  const { changes, replaces, deleteBeforeReplace } = diffByRules(olds, withoutProvider(news), rules, idField);
  return { changes, replaces, deleteBeforeReplace };
}

/**
 * Create with the "already exists" answers treated as adoption (a retried or repeated create finds its own room): `exists(error)`
 * says whether the vendor reported an existing room, and `adopt` reads it back, confirms it is ours and
 * reconciles it (or throws a clear error when it is not ours).
 */
export async function createOrAdopt<T>(
  create: () => Promise<T>,
  exists: (error: RoomApiError) => boolean,
  adopt: (error: RoomApiError) => Promise<T>,
): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof RoomApiError && err.kind === "vendor" && exists(err)) return adopt(err);
    throw err;
  }
}

/**
 * Runs a call on one room; the vendor's "room does not exist" answer (`gone(error)`) gives undefined instead
 * of an error: read then reports the room gone (refresh drops it from state), delete has reached its goal.
 */
export async function unlessGone<T>(
  call: () => Promise<T>,
  gone: (error: RoomApiError) => boolean,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof RoomApiError && err.kind === "vendor" && gone(err)) return undefined;
    throw err;
  }
}

/** Delete where "room does not exist" counts as success: the goal (no room) is reached either way. */
export async function deleteIdempotent(
  destroy: () => Promise<unknown>,
  gone: (error: RoomApiError) => boolean,
): Promise<void> {
  await unlessGone(destroy, gone);
}

/**
 * A provider's hooks bound to it, for a module to export as plain functions (the shim's entry points).
 * Errors leaving them are made safe for the host: see {@link forHost}.
 */
export function bindHooks<
  P extends Required<Pick<dynamic.ResourceProvider, "configure" | "check" | "diff" | "read" | "update" | "delete">> &
    dynamic.ResourceProvider,
>(provider: P) {
  return {
    configure: hostFacing(provider.configure.bind(provider)),
    check: hostFacing(provider.check.bind(provider)),
    diff: hostFacing(provider.diff.bind(provider)),
    create: hostFacing(provider.create.bind(provider)),
    read: hostFacing(provider.read.bind(provider)),
    update: hostFacing(provider.update.bind(provider)),
    delete: hostFacing(provider.delete.bind(provider)),
  };
}

function hostFacing<A extends unknown[], R>(hook: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await hook(...args);
    } catch (err) {
      throw forHost(err);
    }
  };
}

/**
 * The dynamic-provider host hands errors from Check, Diff, Read and Delete to grpc-js as they are, and
 * grpc-js uses a numeric `code` property as the gRPC status code: a RoomApiError's vendor code (70009,
 * 660300001, or a vendor's 3, which is INVALID_ARGUMENT) would reach the engine as the status instead of
 * UNKNOWN (2). The copy keeps the message (which names the vendor code), name and stack, without `code`.
 */
export function forHost(err: unknown): unknown {
  if (!(err instanceof Error) || typeof (err as { code?: unknown }).code !== "number") return err;
  const copy = new Error(err.message);
  copy.name = err.name;
  copy.stack = err.stack;
  return copy;
}
