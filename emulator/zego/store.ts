/**
 * The app's ZIM rooms: existence, quota, attributes with their sequence numbers, members and delayed
 * destruction (the pages under zegocloud.com/docs/zim-server/room/, and the ZIM guide "Manage rooms" for a
 * room's lifetime). Rules that need the room's current state (attribute count and total size, forced
 * failures) live here; request shape is checked in actions.ts.
 */
import { ZegoCode } from "./codes";
import {
  ATTRIBUTE_KEY_MAX_BYTES,
  ATTRIBUTE_VALUE_MAX_BYTES,
  ATTRIBUTES_TOTAL_MAX_BYTES,
  DESTROY_DELAY_MAX_SECONDS,
  byteLength,
} from "./fields";

/** One room attribute, JSON-safe. `seq` is the room's AttributeSeq when the key was last written. */
export interface ZegoAttributeRecord {
  /** The attribute's key (a key of the ZegoRoom's `attributes`), at most 16 bytes. */
  readonly key: string;
  /** Its value, at most 1024 bytes. */
  readonly value: string;
  /** The room's `attributeSeq` when this key was last written. */
  readonly seq: number;
  /** Deleted when the user who wrote it leaves the room (`autoDelete`). */
  readonly autoDelete: boolean;
  /** The FromUserId that last wrote it: AutoDelete fires when this user leaves the room. */
  readonly owner: string;
}

/** One member of a room, JSON-safe. */
export interface ZegoRoomUserRecord {
  /** The user's ID. */
  readonly userId: string;
  /** The user's name as it entered. */
  readonly userName: string;
  /** When the user entered, Unix ms. */
  readonly joinedAt: number;
}

/**
 * A ZEGO ZIM room as the emulator holds it, JSON-safe. What `Emulator.zego.rooms()` and `room(id)` return
 * (copies).
 */
export interface ZegoRoomRecord {
  /** The room ID (a ZegoRoom's `roomId`, its Pulumi ID); at most 32 bytes. */
  readonly roomId: string;
  /** The room name (`roomName`; the room ID when none was given). */
  readonly roomName: string;
  /** Seconds the room lives on once empty (`destroyDelayTime`); 0 when CreateRoom did not give one. */
  readonly destroyDelayTime: number;
  /** Creation time, Unix ms. */
  readonly createdAt: number;
  /** The FromUserId (operator) that created it (`fromUserId`, else `zego:fromUserId`). */
  readonly createdBy: string;
  /** +1 per attribute change (create, modify, delete): a ZegoRoom's `attributeSeq` output. */
  readonly attributeSeq: number;
  /** The room attributes, one record per key. */
  readonly attributes: readonly ZegoAttributeRecord[];
  /** Who is in the room now, in join order. */
  readonly users: readonly ZegoRoomUserRecord[];
  /** Unix ms at which a room in delayed destruction disappears; null when it is not pending destruction. */
  readonly destroyAt: number | null;
}

/** Limits that may change at run time (the handler's options). */
export interface RoomLimits {
  readonly roomQuota: number;
  readonly maxAttributes: number;
}

/** A new room as CreateRoom asks for it (already validated). */
export interface RoomInit {
  readonly roomId: string;
  readonly roomName: string;
  readonly destroyDelayTime: number;
  readonly createdBy: string;
  readonly attributes: readonly { readonly key: string; readonly value: string; readonly autoDelete: boolean }[];
}

/** One ModifyRoomAttribute item. */
export type AttributeChange =
  | { readonly action: "set"; readonly key: string; readonly value: string; readonly autoDelete: boolean }
  | { readonly action: "delete"; readonly key: string };

export type ChangeOutcome =
  | { readonly ok: true; readonly key: string; readonly seq: number }
  | { readonly ok: false; readonly key: string; readonly subCode: number };

/** What happened to the room when a user left it. */
export type LeaveOutcome = "absent" | "removed" | "delayed" | "destroyed";

interface Room {
  roomId: string;
  roomName: string;
  destroyDelayTime: number;
  createdAt: number;
  createdBy: string;
  attributeSeq: number;
  attributes: Map<string, ZegoAttributeRecord>;
  users: Map<string, ZegoRoomUserRecord>;
  destroyAt: number | null;
}

/** Sum of key and value bytes, the quantity the 5120-byte rule limits. */
export function attributesTotalBytes(attributes: Iterable<{ readonly key: string; readonly value: string }>): number {
  let total = 0;
  for (const a of attributes) total += byteLength(a.key) + byteLength(a.value);
  return total;
}

/** Rooms of one app, in creation order. */
export class ZegoRoomStore {
  private readonly byId = new Map<string, Room>();
  /** Test hook: roomId -> key -> SubCode that a ModifyRoomAttribute write of that key fails with. */
  private readonly forced = new Map<string, Map<string, number>>();

  constructor(
    private readonly limits: () => RoomLimits,
    private readonly now: () => number,
  ) {}

  /** The live room, after delayed destructions that are due have happened. */
  private live(roomId: string): Room | undefined {
    this.sweep();
    return this.byId.get(roomId);
  }

  /** Rooms whose delay ran out are gone ("dismissed" rooms stop counting toward the quota). */
  private sweep(): void {
    const now = this.now();
    for (const [id, room] of this.byId) if (room.destroyAt !== null && room.destroyAt <= now) this.byId.delete(id);
  }

  exists(roomId: string): boolean {
    return this.live(roomId) !== undefined;
  }

  get(roomId: string): ZegoRoomRecord | undefined {
    const room = this.live(roomId);
    return room && toRecord(room);
  }

  list(): ZegoRoomRecord[] {
    this.sweep();
    return [...this.byId.values()].map(toRecord);
  }

  /** Existing room 660300014 first (so an adopting client gets it even at quota), then the quota 660300015. */
  create(init: RoomInit): { code: number; attributeSeq: number } {
    if (this.live(init.roomId)) return { code: ZegoCode.RoomExists, attributeSeq: 0 };
    if (this.byId.size >= this.limits().roomQuota) return { code: ZegoCode.RoomQuotaExceeded, attributeSeq: 0 };
    const room: Room = {
      roomId: init.roomId,
      roomName: init.roomName,
      destroyDelayTime: init.destroyDelayTime,
      createdAt: this.now(),
      createdBy: init.createdBy,
      attributeSeq: 0,
      attributes: new Map(),
      users: new Map(),
      destroyAt: null,
    };
    for (const a of init.attributes) write(room, a.key, a.value, a.autoDelete, init.createdBy);
    this.byId.set(room.roomId, room);
    return { code: ZegoCode.Ok, attributeSeq: room.attributeSeq };
  }

  destroy(roomId: string): boolean {
    if (!this.live(roomId)) return false;
    this.byId.delete(roomId);
    this.forced.delete(roomId);
    return true;
  }

  /**
   * One ModifyRoomAttribute item against the room as earlier items left it. Per-key failures carry a SubCode
   * (the vendor documents none): 660000002 for the key/value/count/size rules, or the forced test SubCode.
   * Deleting a key that is not there succeeds without a change (idempotent; Seq is the current AttributeSeq).
   */
  applyChange(roomId: string, change: AttributeChange, owner: string): ChangeOutcome {
    const room = this.live(roomId);
    if (!room) return { ok: false, key: change.key, subCode: ZegoCode.RoomNotExist };
    const forced = this.forced.get(roomId)?.get(change.key);
    if (forced !== undefined) return { ok: false, key: change.key, subCode: forced };
    if (change.action === "delete") {
      if (room.attributes.delete(change.key)) room.attributeSeq += 1;
      return { ok: true, key: change.key, seq: room.attributeSeq };
    }
    const rule = this.setProblem(room, change.key, change.value);
    if (rule) return { ok: false, key: change.key, subCode: ZegoCode.ParamError };
    return { ok: true, key: change.key, seq: write(room, change.key, change.value, change.autoDelete, owner) };
  }

  private setProblem(room: Room, key: string, value: string): string | undefined {
    if (key === "" || byteLength(key) > ATTRIBUTE_KEY_MAX_BYTES) return "key length";
    if (byteLength(value) > ATTRIBUTE_VALUE_MAX_BYTES) return "value length";
    const previous = room.attributes.get(key);
    if (!previous && room.attributes.size >= this.limits().maxAttributes) return "attribute count";
    const total =
      attributesTotalBytes(room.attributes.values()) -
      (previous ? attributesTotalBytes([previous]) : 0) +
      attributesTotalBytes([{ key, value }]);
    if (total > ATTRIBUTES_TOTAL_MAX_BYTES) return "total size";
    return undefined;
  }

  /** Test hook: writes an attribute without the request rules (a change made "behind our back"); returns its Seq. */
  setAttribute(roomId: string, key: string, value: string, autoDelete: boolean, owner: string): number {
    return write(this.require(roomId), key, value, autoDelete, owner);
  }

  /** Test hook: removes an attribute; false when it was not there. */
  deleteAttribute(roomId: string, key: string): boolean {
    const room = this.require(roomId);
    if (!room.attributes.delete(key)) return false;
    room.attributeSeq += 1;
    return true;
  }

  /** Test hook: make ModifyRoomAttribute writes of these keys fail with `subCode` (an empty list clears the room). */
  failKeys(roomId: string, keys: readonly string[], subCode: number): void {
    if (keys.length === 0) {
      this.forced.delete(roomId);
      return;
    }
    const map = this.forced.get(roomId) ?? new Map<string, number>();
    for (const key of keys) map.set(key, subCode);
    this.forced.set(roomId, map);
  }

  /** A user joins; a room pending destruction is kept alive again. */
  addUser(roomId: string, userId: string, userName: string): void {
    const room = this.require(roomId);
    room.destroyAt = null;
    room.users.set(userId, { userId, userName, joinedAt: this.now() });
  }

  /**
   * A user leaves: their AutoDelete attributes go (room/update-room-attributes: "delete the attribute when
   * FromUserId leaves"); when the room empties it is destroyed, or with a DestroyDelayTime it enters delayed
   * destruction (ZIM guide "Manage rooms": "The room will be automatically destroyed after all room members
   * left the room. You can also delay the destruction").
   */
  removeUser(roomId: string, userId: string): LeaveOutcome {
    const room = this.live(roomId);
    if (!room || !room.users.delete(userId)) return "absent";
    this.dropAutoDelete(room, userId);
    if (room.users.size > 0) return "removed";
    if (room.destroyDelayTime > 0) {
      room.destroyAt = this.now() + room.destroyDelayTime * 1000;
      return "delayed";
    }
    this.destroy(roomId);
    return "destroyed";
  }

  /**
   * Test hook: every member leaves and the room stays in delayed destruction for `seconds` (default its
   * DestroyDelayTime, or the 10800 s maximum when it has none), so QueryRoomUserList answers 660300008.
   */
  setDelayedDestruction(roomId: string, seconds?: number): void {
    const room = this.require(roomId);
    for (const userId of [...room.users.keys()]) {
      room.users.delete(userId);
      this.dropAutoDelete(room, userId);
    }
    const delay = seconds ?? (room.destroyDelayTime > 0 ? room.destroyDelayTime : DESTROY_DELAY_MAX_SECONDS);
    room.destroyAt = this.now() + delay * 1000;
  }

  replaceAll(rooms: readonly ZegoRoomRecord[]): void {
    this.clear();
    for (const r of rooms) this.put(r);
  }

  /** Sets one room from its record (a copy), replacing any room of that ID. */
  put(r: ZegoRoomRecord): void {
    this.byId.set(r.roomId, {
      ...r,
      attributes: new Map(r.attributes.map((a) => [a.key, { ...a }])),
      users: new Map(r.users.map((u) => [u.userId, { ...u }])),
    });
  }

  clear(): void {
    this.byId.clear();
    this.forced.clear();
  }

  private dropAutoDelete(room: Room, userId: string): void {
    for (const a of [...room.attributes.values()]) {
      if (a.autoDelete && a.owner === userId) {
        room.attributes.delete(a.key);
        room.attributeSeq += 1;
      }
    }
  }

  private require(roomId: string): Room {
    const room = this.live(roomId);
    if (!room) throw new Error(`zego emulator: room ${JSON.stringify(roomId)} does not exist`);
    return room;
  }
}

/** Upsert one attribute: AttributeSeq += 1 and the key's Seq becomes the new AttributeSeq. */
function write(room: Room, key: string, value: string, autoDelete: boolean, owner: string): number {
  room.attributeSeq += 1;
  room.attributes.set(key, { key, value, seq: room.attributeSeq, autoDelete, owner });
  return room.attributeSeq;
}

function toRecord(room: Room): ZegoRoomRecord {
  return {
    roomId: room.roomId,
    roomName: room.roomName,
    destroyDelayTime: room.destroyDelayTime,
    createdAt: room.createdAt,
    createdBy: room.createdBy,
    attributeSeq: room.attributeSeq,
    attributes: [...room.attributes.values()].map((a) => ({ ...a })),
    users: [...room.users.values()].map((u) => ({ ...u })),
    destroyAt: room.destroyAt,
  };
}
