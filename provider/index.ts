/**
 * pulumi-rooms: Tencent TUIRoomKit (Room Engine) and ZEGOCLOUD ZIM rooms as Pulumi resources, and
 * MeetingSeries, recurring meetings as a rolling window of TencentRooms.
 *
 * @example
 * import { TencentRoom, ZegoRoom } from "pulumi-rooms";
 * new TencentRoom("standup", { ownerAccount: "user2", maxMemberCount: 50 });
 * new ZegoRoom("lobby", { roomName: "Lobby", attributes: { topic: "welcome" } });
 */
export { TencentRoom, type TencentRoomArgs } from "./tencent/resource";
export { TencentRoomProvider, type TencentRoomProviderOptions } from "./tencent/provider";
export type { TencentRoomInputs, TencentRoomOutputs } from "./tencent/schema";
export { ZegoRoom, type ZegoRoomArgs, type ZegoRoomAttributeArg } from "./zego/resource";
export { ZegoRoomProvider, type ZegoRoomProviderOptions } from "./zego/provider";
export type { ZegoRoomInputs, ZegoRoomOutputs, ZegoRoomAttribute } from "./zego/schema";
export { PartialFailureError, RoomApiError, SettingsError, type ErrorKind, type Vendor } from "./core/errors";
export { TENCENT_REGIONS, ZEGO_REGIONS, type TencentRegion, type ZegoRegion } from "./core/settings";
export {
  MeetingSeries,
  type MeetingSeriesArgs,
  type MeetingSeriesOccurrence,
  type MeetingSeriesOverride,
  type MeetingSeriesRoomArgs,
} from "./series/resource";
export { SeriesArgumentError } from "./series/schema";
