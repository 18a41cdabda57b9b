/**
 * The TencentRoom resource class and its serialized shim, nothing more.
 */
import * as pulumi from "@pulumi/pulumi";
import { roomProps } from "../core/room-props";
import { ROOM_ID_MAX_BYTES } from "./schema";
import { pastScheduleWarning } from "./schedule";
import type { TencentRoomOutputs } from "./api";
import type { TencentRoomInput } from "./schema";

/**
 * What Pulumi stores as `__provider`: each hook is a one-line run-time require of the installed package,
 * so state holds no logic and no credentials, every TencentRoom serializes to the same small text, and
 * refresh/destroy run the code installed now. It must reference nothing else in
 * this module: the serializer would copy it into state.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Hooks = Required<pulumi.dynamic.ResourceProvider>; // what the package's entry exports
const shim: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => (require("pulumi-rooms/tencent") as Hooks).configure(...a),
  check: (...a) => (require("pulumi-rooms/tencent") as Hooks).check(...a),
  diff: (...a) => (require("pulumi-rooms/tencent") as Hooks).diff(...a),
  create: (...a) => (require("pulumi-rooms/tencent") as Hooks).create(...a),
  read: (...a) => (require("pulumi-rooms/tencent") as Hooks).read(...a),
  update: (...a) => (require("pulumi-rooms/tencent") as Hooks).update(...a),
  delete: (...a) => (require("pulumi-rooms/tencent") as Hooks).delete(...a),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The type of MeetingSeries (provider/series/resource.ts), which cannot be imported here: it imports this module. */
const SERIES_TYPE = "pulumi-rooms:index:MeetingSeries";

/** Inputs of a {@link TencentRoom}: the create_room fields in camelCase. */
export interface TencentRoomArgs {
  /**
   * Room ID, at most 48 bytes (UTF-8). Default: auto-named `<resource name>-<hash of project, stack and
   * name>`, so stacks sharing an app never share a room. A declared ID adopts an existing room of ours:
   * never declare the same one in two stacks. Changing it replaces the room.
   */
  roomId?: pulumi.Input<string>;
  /** Room name, at most 100 bytes. Default: the room ID. Updated in place. */
  roomName?: pulumi.Input<string>;
  /** Room type: `"Conference"` (meeting room), the only type. Default `"Conference"`. */
  roomType?: pulumi.Input<"Conference">;
  /** Host ID (must be an imported account). Default: the admin account (`tencent:identifier`). Changing it replaces the room. */
  ownerAccount?: pulumi.Input<string>;
  /** Maximum number of room members. Default: the package limit (e.g. 20 on the trial). Updated in place. */
  maxMemberCount?: pulumi.Input<number>;
  /** Scheduled start: ISO-8601 with a zone, or Unix seconds. Default: the time of creation. Changing it replaces the room. */
  scheduleStartTime?: pulumi.Input<string | number>;
  /**
   * Scheduled end: ISO-8601 with a zone, or Unix seconds; 5 minutes to 24 hours after the start. Default:
   * start + 1 hour. Needs `scheduleStartTime`. Changing it replaces the room.
   */
  scheduleEndTime?: pulumi.Input<string | number>;
  /** Mute all video. Default false. Updated in place. */
  isVideoDisabled?: pulumi.Input<boolean>;
  /** Mute all audio. Default false. Updated in place. */
  isAudioDisabled?: pulumi.Input<boolean>;
  /** Stop all members sending text messages. Default false. Updated in place. */
  isMessageDisabled?: pulumi.Input<boolean>;
  /** Disable screen sharing. Default false. Updated in place. */
  isScreenSharingDisabled?: pulumi.Input<boolean>;
  /** Disable cloud recording. Default false. Updated in place. */
  isCloudRecordingDisabled?: pulumi.Input<boolean>;
  /** Custom information, at most 500 bytes. Default "". Updated in place. */
  customInfo?: pulumi.Input<string>;
  /** Whether the room has seats (mic positions). Default false. Changing it replaces the room. */
  isSeatEnabled?: pulumi.Input<boolean>;
  /** Maximum number of seats. Default: the package limit (20). Changing it replaces the room. */
  maxSeatCount?: pulumi.Input<number>;
  /** Seat mode: `"FreeToTake"` (open mic) or `"ApplyToTake"` (mic on request). Updated in place. */
  takeSeatMode?: pulumi.Input<"FreeToTake" | "ApplyToTake">;
  /**
   * Scheduled invitees, at most 300 accounts, no repeats. Only create_room takes them and they cannot be
   * read back: changing them replaces the room, and they never show as drift.
   */
  scheduleInvitees?: pulumi.Input<pulumi.Input<string>[]>;
}

// The hand-documented Args must stay the schema's input type, field for field.
type Plain<T> = {
  [K in keyof T]-?: T[K] extends pulumi.Input<infer U> | undefined
    ? U extends pulumi.Input<infer V>[]
      ? V[]
      : U
    : never;
};
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
// `roomIdSource` is the class's own marker of a derived ID, not something a program writes.
const argsMatchSchema: SameKeys<Plain<TencentRoomArgs>, Required<Omit<TencentRoomInput, "roomIdSource">>> = true;
void argsMatchSchema;

/**
 * A Tencent Cloud TUIRoomKit (Room Engine, Conference) room.
 *
 * @example
 * const room = new TencentRoom("standup", { ownerAccount: "user2", scheduleStartTime: "2026-12-01T09:00:00Z" });
 */
export class TencentRoom extends pulumi.dynamic.Resource {
  /** Room ID (the resource's ID). */
  declare readonly roomId: pulumi.Output<string>;
  /** Room name as held (default: the room ID; at most 100 bytes). */
  declare readonly roomName: pulumi.Output<string>;
  /** Room type as held: `Conference` (meeting room). */
  declare readonly roomType: pulumi.Output<"Conference">;
  /** Host ID as the API holds it. */
  declare readonly ownerAccount: pulumi.Output<string>;
  /** Maximum number of room members as held (the package limit unless declared). */
  declare readonly maxMemberCount: pulumi.Output<number>;
  /** Scheduled start, Unix seconds. */
  declare readonly scheduleStartTime: pulumi.Output<number>;
  /** Scheduled end, Unix seconds. */
  declare readonly scheduleEndTime: pulumi.Output<number>;
  /** Scheduled start, ISO-8601 (UTC). */
  declare readonly scheduleStartTimeIso: pulumi.Output<string>;
  /** Scheduled end, ISO-8601 (UTC). */
  declare readonly scheduleEndTimeIso: pulumi.Output<string>;
  /** All video muted. */
  declare readonly isVideoDisabled: pulumi.Output<boolean>;
  /** All audio muted. */
  declare readonly isAudioDisabled: pulumi.Output<boolean>;
  /** Members may not send text messages. */
  declare readonly isMessageDisabled: pulumi.Output<boolean>;
  /** Screen sharing disabled. */
  declare readonly isScreenSharingDisabled: pulumi.Output<boolean>;
  /** Cloud recording disabled. */
  declare readonly isCloudRecordingDisabled: pulumi.Output<boolean>;
  /** Custom information as held (at most 500 bytes). */
  declare readonly customInfo: pulumi.Output<string>;
  /** Whether the room has seats (mic positions). */
  declare readonly isSeatEnabled: pulumi.Output<boolean>;
  /** Maximum number of seats as held (the package limit unless declared). */
  declare readonly maxSeatCount: pulumi.Output<number>;
  /** Seat mode; undefined when the room has none ("None" in the API). */
  declare readonly takeSeatMode: pulumi.Output<"FreeToTake" | "ApplyToTake" | undefined>;
  /** Scheduled invitees as declared (the API cannot return them). */
  declare readonly scheduleInvitees: pulumi.Output<string[] | undefined>;
  /** `NotStarted`, `Running` (or `None`), as get_room_info reports it. */
  declare readonly roomStatus: pulumi.Output<string>;
  /** Creation time, Unix seconds. */
  declare readonly createTime: pulumi.Output<number>;
  /** Creation time, ISO-8601 (UTC). */
  declare readonly createTimeIso: pulumi.Output<string>;
  /** Members in the room when last read. */
  declare readonly memberCount: pulumi.Output<number>;

  constructor(name: string, args: TencentRoomArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const outputs: Record<keyof TencentRoomOutputs, undefined> = {
      roomId: undefined,
      roomName: undefined,
      roomType: undefined,
      ownerAccount: undefined,
      maxMemberCount: undefined,
      scheduleStartTime: undefined,
      scheduleEndTime: undefined,
      isVideoDisabled: undefined,
      isAudioDisabled: undefined,
      isMessageDisabled: undefined,
      isScreenSharingDisabled: undefined,
      isCloudRecordingDisabled: undefined,
      customInfo: undefined,
      isSeatEnabled: undefined,
      maxSeatCount: undefined,
      takeSeatMode: undefined,
      scheduleInvitees: undefined,
      scheduleStartTimeIso: undefined,
      scheduleEndTimeIso: undefined,
      roomStatus: undefined,
      createTime: undefined,
      createTimeIso: undefined,
      memberCount: undefined,
    };
    const props = roomProps(name, args, opts, outputs, { maxBytes: ROOM_ID_MAX_BYTES });
    super(shim, name, props, opts, "rooms", "TencentRoom");
    // A past schedule is created all the same, Running at once: a warning at preview and up, on this
    // resource. A MeetingSeries keeps ended occurrences in its window on purpose (docs/meeting-series.md).
    if (opts?.parent && pulumi.resourceType(opts.parent) === SERIES_TYPE) return;
    pulumi.all([args.scheduleStartTime, args.scheduleEndTime]).apply(([scheduleStartTime, scheduleEndTime]) => {
      const warning = pastScheduleWarning({ scheduleStartTime, scheduleEndTime }, Math.floor(Date.now() / 1000));
      if (warning) void pulumi.log.warn(warning, this);
    });
  }
}
