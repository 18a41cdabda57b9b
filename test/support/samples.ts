/**
 * The vendor pages' sample requests as resource inputs (from the meeting-rooms example, which declares them),
 * shared by the provider tests of each vendor.
 * Tests spread them (`{ ...TENCENT_SAMPLE, roomId }`) and never change them in place.
 */
import { TENCENT_CREATE_ROOM, TENCENT_SAMPLE_SCHEDULE, ZEGO_CREATE_ROOM } from "../../examples/meeting-rooms/sample";

type Props = Record<string, unknown>;

/** create_room's "Sample Request Packets" (https://trtc.io/document/60707) as TencentRoom inputs. */
export const TENCENT_SAMPLE: Props = {
  ...TENCENT_CREATE_ROOM,
  scheduleStartTime: TENCENT_SAMPLE_SCHEDULE.start,
  scheduleEndTime: TENCENT_SAMPLE_SCHEDULE.end,
};

/** The CreateRoom example (https://www.zegocloud.com/docs/zim-server/room/create-a-room) as ZegoRoom inputs. */
export const ZEGO_EXAMPLE: Props = ZEGO_CREATE_ROOM;

/** The outputs of a ZegoRoom created from {@link ZEGO_EXAMPLE}: attributes in canonical form, two writes. */
export const ZEGO_EXAMPLE_OUTPUTS = {
  roomId: "Room1",
  roomName: "RoomName1",
  fromUserId: "User1",
  destroyDelayTime: 3600,
  attributes: { k1: { value: "v1", autoDelete: false }, k2: { value: "v2", autoDelete: true } },
  attributeSeq: 2,
  userCount: 0,
};

/**
 * The RoomInfo a Room Engine room holds when created with only its RoomId at `start` (the defaults the
 * emulator applies): no RoomStatus or MemberCount, which the answer
 * adds.
 */
export function defaultTencentRoomInfo(roomId: string, owner: string, start: number) {
  return {
    RoomId: roomId,
    RoomName: roomId,
    RoomType: "Conference" as const,
    Owner_Account: owner,
    MaxMemberCount: 20,
    MaxSeatCount: 20,
    IsVideoDisabled: false,
    IsAudioDisabled: false,
    IsMessageDisabled: false,
    IsScreenSharingDisabled: false,
    IsCloudRecordingDisabled: false,
    CustomInfo: "",
    ScheduleStartTime: start,
    ScheduleEndTime: start + 3600,
    IsSeatEnabled: false,
    TakeSeatMode: "None" as const,
    CreateTime: start,
  };
}
