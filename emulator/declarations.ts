/**
 * Which stack and resource declared each room. The emulator cannot know: a room is whatever a client
 * created. The local engine (pulumi-rooms-local) knows, from its checkpoint (URN -> room ID), and tells its
 * emulator after each operation and when its `console` command starts (`Emulator.setDeclarations`); the
 * console shows it beside each room. It is not written to the state file: the checkpoint is its record, and
 * the state file is rewritten before every step the engine records, so it is kept to the rooms.
 */

/** One room a stack's state holds, and the resource that declared it. */
export interface RoomDeclaration {
  readonly vendor: "tencent" | "zego";
  /** The vendor's room ID (the resource's id). */
  readonly roomId: string;
  /** The resource's URN, e.g. `urn:pulumi:dev::my-rooms::pulumi-nodejs:dynamic/rooms:TencentRoom::standup`. */
  readonly urn: string;
}

/** A stack and resource that declared a room, as the console shows it. */
export interface DeclaredBy {
  readonly stack: string;
  readonly urn: string;
}

/** Per vendor, room ID -> who declared it (usually one; two stacks may claim the same room). */
export type DeclaredRooms = Record<RoomDeclaration["vendor"], Record<string, DeclaredBy[]>>;

/** The declarations of every stack that told this emulator, by stack name. */
export class Declarations {
  private byStack = new Map<string, readonly RoomDeclaration[]>();

  /**
   * Replaces what `stack` declares (an empty list forgets the stack).
   * @throws Error naming the field when a value is not a declaration.
   */
  set(stack: string, rooms: readonly RoomDeclaration[]): void {
    const checked = checkDeclarations(stack, rooms);
    if (checked.length) this.byStack.set(stack, checked);
    else this.byStack.delete(stack);
  }

  /** Room ID -> the stacks and URNs that declared it, per vendor. */
  byRoom(): DeclaredRooms {
    const out: DeclaredRooms = { tencent: {}, zego: {} };
    for (const [stack, rooms] of [...this.byStack].sort(([a], [b]) => a.localeCompare(b)))
      for (const { vendor, roomId, urn } of rooms) (out[vendor][roomId] ??= []).push({ stack, urn });
    return out;
  }

  /** The stacks that declared rooms here, sorted. */
  stacks(): string[] {
    return [...this.byStack.keys()].sort();
  }

  /** Every stack's declarations, by stack name. */
  all(): Record<string, RoomDeclaration[]> {
    return Object.fromEntries([...this.byStack].map(([stack, rooms]) => [stack, [...rooms]]));
  }
}

const VENDORS: readonly string[] = ["tencent", "zego"];

/** The declarations, checked (they may come from JavaScript callers); throws naming the field. */
function checkDeclarations(stack: unknown, rooms: unknown): RoomDeclaration[] {
  const source = "setDeclarations";
  if (typeof stack !== "string" || stack === "")
    throw new Error(`${source}: the stack name must be a non-empty string`);
  if (!Array.isArray(rooms)) throw new Error(`${source}: the rooms of stack "${stack}" must be a list`);
  return rooms.map((room: unknown, i): RoomDeclaration => {
    const at = `${source}: stack "${stack}", room ${i}`;
    if (room === null || typeof room !== "object") throw new Error(`${at} must be {vendor, roomId, urn}`);
    const { vendor, roomId, urn } = room as Record<string, unknown>;
    if (typeof vendor !== "string" || !VENDORS.includes(vendor))
      throw new Error(`${at}: vendor must be "tencent" or "zego", not ${JSON.stringify(vendor)}`);
    if (typeof roomId !== "string" || roomId === "") throw new Error(`${at}: roomId must be a non-empty string`);
    if (typeof urn !== "string" || !urn.startsWith("urn:pulumi:"))
      throw new Error(`${at}: urn must be a Pulumi URN (urn:pulumi:...), not ${JSON.stringify(urn)}`);
    return { vendor: vendor as RoomDeclaration["vendor"], roomId, urn };
  });
}
