/**
 * The sample requests of the two vendors' "create a room" pages as resource arguments: this example
 * declares them, and the repository's provider tests start from the same values.
 */
import type { TencentRoomArgs, ZegoRoomArgs } from "pulumi-rooms";

/**
 * Tencent TUIRoomKit `create_room` "Basic Form" sample (https://trtc.io/document/60707): RoomInfo plus
 * ScheduleInviteeList_Account, without the schedule (see {@link TENCENT_SAMPLE_SCHEDULE}).
 */
export const TENCENT_CREATE_ROOM = {
  roomId: "room-test",
  roomName: "room-name-test",
  roomType: "Conference",
  ownerAccount: "user2",
  maxMemberCount: 300,
  isVideoDisabled: true,
  isAudioDisabled: true,
  isMessageDisabled: true,
  isScreenSharingDisabled: true,
  isCloudRecordingDisabled: true,
  customInfo: "custom123",
  isSeatEnabled: true,
  maxSeatCount: 16,
  takeSeatMode: "ApplyToTake",
  scheduleInvitees: ["user1", "user2", "user3"],
} satisfies TencentRoomArgs;

/** The sample's ScheduleStartTime and ScheduleEndTime (Unix seconds, in 2023: past, so the example moves them). */
export const TENCENT_SAMPLE_SCHEDULE = { start: 1693271355, end: 1693272355 };

/** ZEGOCLOUD ZIM `CreateRoom` request example: Room1 with two attributes, one auto-deleted. */
export const ZEGO_CREATE_ROOM = {
  roomId: "Room1",
  roomName: "RoomName1",
  destroyDelayTime: 3600,
  fromUserId: "User1",
  attributes: { k1: "v1", k2: { value: "v2", autoDelete: true } },
} satisfies ZegoRoomArgs;
