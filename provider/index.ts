/**
 * pulumi-rooms: Tencent TUIRoomKit (Room Engine) and ZEGOCLOUD ZIM rooms as Pulumi resources, and
 * MeetingSeries, recurring meetings as a rolling window of TencentRooms. What this module exports is
 * what README documents ("Resources", "Errors", "Recurring meetings", "Test your program").
 *
 * @example
 * import { TencentRoom, ZegoRoom } from "pulumi-rooms";
 * new TencentRoom("standup", { ownerAccount: "user2", maxMemberCount: 50 });
 * new ZegoRoom("lobby", { roomName: "Lobby", attributes: { topic: "welcome" } });
 */
export { TencentRoom, type TencentRoomArgs } from "./tencent/resource";
export type { TencentRoomInputs } from "./tencent/schema";
export type { TencentRoomOutputs } from "./tencent/api";
export { TENCENT_REGIONS, type TencentRegion } from "./tencent/settings";
export { ZegoRoom, type ZegoRoomArgs, type ZegoRoomAttributeArg } from "./zego/resource";
export type { ZegoRoomInputs, ZegoRoomAttribute } from "./zego/schema";
export type { ZegoRoomOutputs } from "./zego/api";
export { ZEGO_REGIONS, type ZegoRegion } from "./zego/settings";
export {
  RoomApiError,
  RoomInputsError,
  RoomsError,
  SettingsError,
  type ApiErrorCode,
  type InputFailure,
  type ErrorKind,
  type RoomsErrorCode,
  type TransportCode,
  type Vendor,
} from "./core/errors";
export {
  MeetingSeries,
  type MeetingSeriesArgs,
  type MeetingSeriesOccurrence,
  type MeetingSeriesOverride,
  type MeetingSeriesRoomArgs,
} from "./series/resource";
export { SeriesArgumentError } from "./series/schema";
export { checkRoomInputs, checkTencentRoomInputs, checkZegoRoomInputs, ROOM_TYPES } from "./check-inputs";
