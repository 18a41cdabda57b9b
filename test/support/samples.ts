/**
 * The founding documents' sample requests as resource inputs, shared by the provider tests of each vendor.
 * Tests spread them (`{ ...TENCENT_SAMPLE, roomId }`) and never change them in place.
 */

type Props = Record<string, unknown>;

/** tencent-create-room.txt, "Sample Request Packets", as TencentRoom inputs. */
export const TENCENT_SAMPLE: Props = {
  roomId: "room-test",
  roomName: "room-name-test",
  roomType: "Conference",
  ownerAccount: "user2",
  maxMemberCount: 300,
  scheduleStartTime: 1693271355,
  scheduleEndTime: 1693272355,
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
};

/** zego-create-room.txt, the CreateRoom example, as ZegoRoom inputs. */
export const ZEGO_EXAMPLE: Props = {
  roomId: "Room1",
  roomName: "RoomName1",
  destroyDelayTime: 3600,
  fromUserId: "User1",
  attributes: { k1: "v1", k2: { value: "v2", autoDelete: true } },
};
