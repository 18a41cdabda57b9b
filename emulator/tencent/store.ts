/**
 * The Tencent app's rooms and its Chat groups, as the emulator holds them: records in the API's own field
 * names (JSON-safe, so the state file and inspection hand out copies), members entered "behind the API's
 * back" (the REST API cannot enter anyone), and the backend's recycling of ended rooms. Request rules live
 * in fields.ts and commands.ts.
 */

/**
 * A Tencent room as the emulator holds it: the Room Engine API's field names (create_room, get_room_info:
 * trtc.io/document/60707), JSON-safe. What `Emulator.tencent.rooms()` and `room(id)` return (copies).
 */
export interface TencentRoomRecord {
  /** The room ID (a TencentRoom's `roomId`, its Pulumi ID); at most 48 bytes. */
  RoomId: string;
  /** The room name (`roomName`; the room ID when none was given). */
  RoomName: string;
  /** Always `Conference` (a meeting room). */
  RoomType: "Conference";
  /** The host's account (`ownerAccount`; the app admin when none was given). */
  Owner_Account: string;
  /** Most members at once (`maxMemberCount`; the package's limit when none was given). */
  MaxMemberCount: number;
  /** Most seats (mic positions) (`maxSeatCount`; the package's seat limit when none was given). */
  MaxSeatCount: number;
  /** All video muted (`isVideoDisabled`). */
  IsVideoDisabled: boolean;
  /** All audio muted (`isAudioDisabled`). */
  IsAudioDisabled: boolean;
  /** Members may not send text messages (`isMessageDisabled`). */
  IsMessageDisabled: boolean;
  /** Screen sharing disabled (`isScreenSharingDisabled`). */
  IsScreenSharingDisabled: boolean;
  /** Cloud recording disabled (`isCloudRecordingDisabled`). */
  IsCloudRecordingDisabled: boolean;
  /** Custom information (`customInfo`), at most 500 bytes; "" when none was given. */
  CustomInfo: string;
  /** Scheduled start, Unix seconds (`scheduleStartTime`, whatever form the program wrote it in). */
  ScheduleStartTime: number;
  /** Scheduled end, Unix seconds (`scheduleEndTime`; start + 1 hour when none was given). */
  ScheduleEndTime: number;
  /** Whether the room has seats (`isSeatEnabled`). */
  IsSeatEnabled: boolean;
  /** Seat mode (`takeSeatMode`): `None` for a room without seats. */
  TakeSeatMode: "None" | "FreeToTake" | "ApplyToTake";
  /** Creation time, Unix seconds. */
  CreateTime: number;
  /** Scheduled invitees as create_room sent them (`scheduleInvitees`, sorted by the provider): stored, never returned by get_room_info (as on the real API). */
  Invitees: string[];
  /**
   * The room password, set from a client SDK (TUIRoomKit "Room Password", trtc.io/document/64893), never
   * by these REST calls; tests set it with `mutateRoom`. get_room_info returns it with IsPasswordEnabled,
   * as the Chinese page's sample answer does (cloud.tencent.com/document/product/1690/102881).
   */
  Password?: string;
  /** Who is in the room now, in entry order (rooms start empty: the REST API enters nobody). */
  Members: TencentMemberRecord[];
}

/** One member of a Tencent room. */
export interface TencentMemberRecord {
  /** The member's account. */
  Member_Account: string;
  /** `Owner` for the room's owner, else `Admin` or `Member`. */
  Role: "Owner" | "Admin" | "Member";
  /** The member's name card in the room. */
  NameCard: string;
  /** The member's custom information. */
  CustomInfo: string;
  /** The member's marks (numbers the app assigns). */
  Marks: number[];
}

/** "the backend will try to recycle the room 6 hours after the meeting ends" (create_room, trtc.io/document/60707). */
const RECYCLE_AFTER_END_SECONDS = 6 * 60 * 60;

/** Rooms of one app by RoomId, plus the IDs Chat groups already use. */
export class TencentRoomStore {
  private byId = new Map<string, TencentRoomRecord>();
  private chatGroups: Set<string>;
  /** When each room ID last passed create_room's once-per-second check (ms). */
  private readonly lastCreate = new Map<string, number>();

  constructor(private readonly initialChatGroups: readonly string[] = []) {
    this.chatGroups = new Set(initialChatGroups);
  }

  has(roomId: string): boolean {
    return this.byId.has(roomId);
  }

  /** The live record (not a copy): commands change it in place. */
  live(roomId: string): TencentRoomRecord | undefined {
    return this.byId.get(roomId);
  }

  /** A JSON-safe copy, or undefined. */
  get(roomId: string): TencentRoomRecord | undefined {
    const r = this.byId.get(roomId);
    return r && structuredClone(r);
  }

  /** Every room, JSON-safe copies in creation order. */
  list(): TencentRoomRecord[] {
    return [...this.byId.values()].map((r) => structuredClone(r));
  }

  add(room: TencentRoomRecord): void {
    this.byId.set(room.RoomId, room);
  }

  destroy(roomId: string): boolean {
    return this.byId.delete(roomId);
  }

  /**
   * create_room's 100012 "the same room ID can only be created once per second": true when `roomId` may be
   * tried now. Every attempt that gets past this check opens the window, whatever its later outcome; an
   * attempt refused here does not, so a client pacing itself at 1/s is never locked out.
   */
  tryCreateWindow(roomId: string, nowMs: number): boolean {
    const last = this.lastCreate.get(roomId);
    if (last !== undefined && nowMs - last < 1000) return false;
    this.lastCreate.set(roomId, nowMs);
    return true;
  }

  isChatGroup(roomId: string): boolean {
    return this.chatGroups.has(roomId);
  }

  addChatGroup(roomId: string): void {
    this.chatGroups.add(roomId);
  }

  chatGroupIds(): string[] {
    return [...this.chatGroups];
  }

  /** Changes a room directly, as another admin or the console would. */
  mutate(roomId: string, patch: Partial<TencentRoomRecord>): void {
    Object.assign(this.require(roomId), patch);
  }

  /** Puts `account` in the room; the owner account enters with Role "Owner". Nothing when already in. */
  addMember(
    roomId: string,
    account: string,
    fields: Partial<Omit<TencentMemberRecord, "Member_Account" | "Role">>,
  ): void {
    const r = this.require(roomId);
    if (r.Members.some((m) => m.Member_Account === account)) return;
    const role = account === r.Owner_Account ? "Owner" : "Member";
    r.Members.push({ Member_Account: account, Role: role, NameCard: "", CustomInfo: "", Marks: [], ...fields });
  }

  /** Takes `account` out of the room; false when it was not in it. */
  removeMember(roomId: string, account: string): boolean {
    const r = this.byId.get(roomId);
    const before = r?.Members.length ?? 0;
    if (r) r.Members = r.Members.filter((m) => m.Member_Account !== account);
    return (r?.Members.length ?? 0) < before;
  }

  /** Removes rooms that ended 6 h ago and hold nobody (the backend's recycling); returns their IDs. */
  recycleEnded(nowSec: number): string[] {
    const gone: string[] = [];
    for (const [id, room] of this.byId) {
      if (room.Members.length === 0 && nowSec >= room.ScheduleEndTime + RECYCLE_AFTER_END_SECONDS) gone.push(id);
    }
    for (const id of gone) this.byId.delete(id);
    return gone;
  }

  replaceAll(rooms: readonly TencentRoomRecord[], chatGroupIds: readonly string[]): void {
    this.byId = new Map(rooms.map((r) => [r.RoomId, structuredClone(r)]));
    this.chatGroups = new Set(chatGroupIds);
  }

  /** Forgets rooms and create windows; the configured Chat groups come back. */
  clear(): void {
    this.byId.clear();
    this.lastCreate.clear();
    this.chatGroups = new Set(this.initialChatGroups);
  }

  private require(roomId: string): TencentRoomRecord {
    const r = this.byId.get(roomId);
    if (!r) throw new Error(`tencent emulator: no room ${roomId}`);
    return r;
  }
}
