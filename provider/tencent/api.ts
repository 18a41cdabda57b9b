/**
 * TencentRoom inputs to and from the Room Engine API: the create_room and update_room_info bodies, the
 * get_room_info answer as the provider relies on it, and the outputs mapped back from it.
 * Sources: "Create a Room" (https://trtc.io/document/60707), "Update Room Info"
 * (https://trtc.io/document/60705) and "Get Room Info" (https://trtc.io/document/60704).
 */
import * as z from "zod";
import { CHANGE_RULES, type TencentRoomInputs } from "./schema";

/** Input name -> Room Engine field name, for every field create_room takes inside RoomInfo. */
const API_NAMES = {
  roomId: "RoomId",
  roomName: "RoomName",
  roomType: "RoomType",
  ownerAccount: "Owner_Account",
  maxMemberCount: "MaxMemberCount",
  scheduleStartTime: "ScheduleStartTime",
  scheduleEndTime: "ScheduleEndTime",
  isVideoDisabled: "IsVideoDisabled",
  isAudioDisabled: "IsAudioDisabled",
  isMessageDisabled: "IsMessageDisabled",
  isScreenSharingDisabled: "IsScreenSharingDisabled",
  isCloudRecordingDisabled: "IsCloudRecordingDisabled",
  customInfo: "CustomInfo",
  isSeatEnabled: "IsSeatEnabled",
  maxSeatCount: "MaxSeatCount",
  takeSeatMode: "TakeSeatMode",
} as const satisfies Partial<Record<keyof TencentRoomInputs, string>>;

type ApiField = keyof typeof API_NAMES;

/**
 * The get_room_info `Response.RoomInfo` as the provider relies on it; wrong types are a protocol error.
 * The fields are those of the sample answer on trtc.io/document/60704. The Chinese page's sample
 * (cloud.tencent.com/document/product/1690/102881) also carries `IsPasswordEnabled` and `Password`, the
 * room password in clear: they are deliberately not named here, and `z.object` drops every key it does not
 * name, so a password never gets past parsing into outputs, state, logs or messages.
 */
export const ApiRoomInfoSchema = z.object({
  RoomId: z.string(),
  RoomName: z.string(),
  RoomType: z.string(),
  Owner_Account: z.string(),
  MaxMemberCount: z.number(),
  MaxSeatCount: z.number(),
  IsVideoDisabled: z.boolean(),
  IsAudioDisabled: z.boolean(),
  IsMessageDisabled: z.boolean(),
  IsScreenSharingDisabled: z.boolean(),
  IsCloudRecordingDisabled: z.boolean(),
  CustomInfo: z.string(),
  ScheduleStartTime: z.number(),
  ScheduleEndTime: z.number(),
  RoomStatus: z.string(),
  IsSeatEnabled: z.boolean(),
  TakeSeatMode: z.string(),
  CreateTime: z.number(),
  MemberCount: z.number().optional(),
});
export type ApiRoomInfo = z.infer<typeof ApiRoomInfoSchema>;

/** The create_room body for normalised inputs (unset optional fields are left to the vendor's defaults). */
export function toCreateBody(inputs: TencentRoomInputs): Record<string, unknown> {
  const roomInfo: Record<string, unknown> = {};
  for (const [field, apiName] of Object.entries(API_NAMES) as [ApiField, string][]) {
    if (inputs[field] !== undefined) roomInfo[apiName] = inputs[field];
  }
  const body: Record<string, unknown> = { RoomInfo: roomInfo };
  if (inputs.scheduleInvitees?.length) body.ScheduleInviteeList_Account = inputs.scheduleInvitees;
  return body;
}

/** The update_room_info body that sets exactly `fields` to their declared values. */
export function toUpdateBody(inputs: TencentRoomInputs, fields: readonly string[]): Record<string, unknown> {
  const roomInfo: Record<string, unknown> = { RoomId: inputs.roomId };
  for (const field of fields) {
    if (CHANGE_RULES[field as keyof TencentRoomInputs] !== "update")
      throw new Error(`${field} cannot be updated in place`);
    const value = inputs[field as ApiField];
    if (value !== undefined) roomInfo[API_NAMES[field as ApiField]] = value;
  }
  return { RoomInfo: roomInfo };
}

/** Inputs as the API holds them (what refresh stores), keeping what get_room_info cannot return. */
export function inputsFromApi(info: ApiRoomInfo, scheduleInvitees: string[] | undefined): TencentRoomInputs {
  return {
    roomId: info.RoomId,
    roomName: info.RoomName,
    // The vendor's own webhook sample spells a Conference room "Meeting" (CallbackAfterCreateRoom,
    // https://trtc.io/document/60733): that is the same type
    // and must not replace the room on every `up`; any other value is real drift and shows as such.
    roomType: info.RoomType === "Meeting" ? "Conference" : info.RoomType,
    ownerAccount: info.Owner_Account,
    maxMemberCount: info.MaxMemberCount,
    scheduleStartTime: info.ScheduleStartTime,
    scheduleEndTime: info.ScheduleEndTime,
    isVideoDisabled: info.IsVideoDisabled,
    isAudioDisabled: info.IsAudioDisabled,
    isMessageDisabled: info.IsMessageDisabled,
    isScreenSharingDisabled: info.IsScreenSharingDisabled,
    isCloudRecordingDisabled: info.IsCloudRecordingDisabled,
    customInfo: info.CustomInfo,
    isSeatEnabled: info.IsSeatEnabled,
    maxSeatCount: info.MaxSeatCount,
    // "None" means no mode chosen; as an input that is "not set".
    takeSeatMode:
      info.TakeSeatMode === "FreeToTake" || info.TakeSeatMode === "ApplyToTake" ? info.TakeSeatMode : undefined,
    scheduleInvitees,
  } as TencentRoomInputs;
}

/** Outputs: every input as the API holds it, times also as ISO strings, plus status and creation time. */
export function toOutputs(info: ApiRoomInfo, scheduleInvitees: string[] | undefined) {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return {
    ...inputsFromApi(info, scheduleInvitees),
    scheduleStartTimeIso: iso(info.ScheduleStartTime),
    scheduleEndTimeIso: iso(info.ScheduleEndTime),
    roomStatus: info.RoomStatus,
    createTime: info.CreateTime,
    createTimeIso: iso(info.CreateTime),
    memberCount: info.MemberCount ?? 0,
  };
}

/** Outputs of a TencentRoom (JSON). */
export type TencentRoomOutputs = Omit<ReturnType<typeof toOutputs>, "roomIdSource">;
