/**
 * Settles the operations an earlier run left pending (begun, never known to have ended: the engine was
 * killed mid-call), before anything else changes the state, as the Pulumi CLI asks the user to resolve its
 * pending operations. Each is settled by reading the room through the provider host (Read with the room's
 * id: for a create, the declared room ID in its checked inputs): a room that exists is adopted into (or
 * kept in) the state, a room that does not is dropped from it; each outcome is said in the output.
 */
import type { Pending } from "./journal";
import type { StateChanges } from "./state-changes";
import type { ResourceState } from "./state";
import type { ResourceProvider } from "./step";
import { downgradeProps, markSecrets, plainOf } from "./wire";

const VERB = { create: "create", update: "update", delete: "delete", read: "read" } as const;

/** Settles each pending operation; `say` receives one line per operation. Throws when a Read fails. */
export async function settlePending(
  pending: readonly Pending[],
  changes: StateChanges,
  provider: () => Promise<ResourceProvider>,
  say: (line: string) => void,
): Promise<void> {
  if (!pending.length) return;
  const host = await provider();
  for (const { call, entry } of pending) {
    const what = `settled pending ${VERB[call]} of ${entry.urn.split("::").pop() ?? entry.urn}`;
    const id = entry.id || roomIdOf(entry);
    if (!id || !entry.custom) {
      say(`${what}: nothing to read, dropped`);
      continue;
    }
    const op = changes.begin("read", entry);
    let res: { id: string; properties: Record<string, unknown> };
    try {
      res = await host.read(id, entry.urn, plainOf(entry.id ? entry.outputs : entry.inputs), plainOf(entry.inputs));
    } catch (error) {
      changes.end(op, true);
      throw new Error(
        `${what}: the room could not be read (${error instanceof Error ? error.message : String(error)}); nothing was changed, run the operation again`,
        { cause: error },
      );
    }
    const held = findHeld(changes, entry, id);
    if (!res.id) {
      if (held) changes.remove(held, op);
      else changes.end(op, false);
      say(`${what}: no room ${id}, ${held ? "removed from state" : "dropped"}`);
      continue;
    }
    const secretKeys = [
      ...new Set([
        ...downgradeProps(entry.outputs).secretKeys,
        ...downgradeProps(entry.inputs).secretKeys,
        ...(entry.additionalSecretOutputs ?? []),
      ]),
    ];
    const next: ResourceState = { ...(held ?? entry), id: res.id, outputs: markSecrets(res.properties, secretKeys) };
    const current = changes.state.resources.get(entry.urn);
    if (!held && current && current.id !== res.id) changes.replace(next, current, op);
    else changes.set(next, op);
    say(`${what}: the room ${res.id} exists, ${held ? "kept in state" : "adopted into state"}`);
  }
}

/** The state's own entry for the room (a resource, or a pending delete), if it holds one. */
function findHeld(changes: StateChanges, entry: ResourceState, id: string): ResourceState | undefined {
  const live = changes.state.resources.get(entry.urn);
  if (live?.id === id) return live;
  return changes.state.pendingDeletes.find((p) => p.urn === entry.urn && p.id === id);
}

/** A create's room ID: the declared `roomId` of its checked inputs (the providers use it as the id). */
function roomIdOf(entry: ResourceState): string {
  const roomId = plainOf(entry.inputs).roomId;
  return typeof roomId === "string" ? roomId : "";
}
