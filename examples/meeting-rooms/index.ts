/**
 * Both vendors side by side: the sample requests of the two vendors' "create a room" pages, as code.
 *
 * - Tencent TUIRoomKit `create_room` "Basic Form" sample: RoomInfo plus ScheduleInviteeList_Account. The
 *   sample's schedule (1693271355..1693272355, in 2023) is in the past; this program keeps its 1000-second
 *   length but starts at a fixed future time (config `scheduleStart`), so every run declares the same room.
 * - ZEGOCLOUD ZIM `CreateRoom` request example: Room1 with two attributes, one auto-deleted.
 */
import * as pulumi from "@pulumi/pulumi";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { TENCENT_CREATE_ROOM, TENCENT_SAMPLE_SCHEDULE, ZEGO_CREATE_ROOM } from "./sample";

const config = new pulumi.Config();
/** ISO-8601 start of the scheduled Tencent meeting (fixed, so the program is deterministic). */
const scheduleStart = config.get("scheduleStart") ?? "2027-03-01T09:00:00Z";
/** The sample meeting lasts 1000 s (ScheduleEndTime - ScheduleStartTime). */
const SAMPLE_MEETING_SECONDS = TENCENT_SAMPLE_SCHEDULE.end - TENCENT_SAMPLE_SCHEDULE.start;
const startSeconds = Date.parse(scheduleStart) / 1000;

// Tencent: POST /v4/room_engine_http_srv/create_room
//   {"RoomInfo": {"RoomId": "room-test", ...}, "ScheduleInviteeList_Account": ["user1", "user2", "user3"]}
const conference = new TencentRoom("conference", {
  ...TENCENT_CREATE_ROOM,
  scheduleStartTime: startSeconds,
  scheduleEndTime: startSeconds + SAMPLE_MEETING_SECONDS,
});

// ZEGO: POST /?Action=CreateRoom
//   {"FromUserId": "User1", "RoomId": "Room1", "RoomName": "RoomName1", "DestroyDelayTime": 3600,
//    "Attributes": [{"Key": "k1", "Value": "v1", "AutoDelete": 0}, {"Key": "k2", "Value": "v2", "AutoDelete": 1}]}
const lobby = new ZegoRoom("lobby", ZEGO_CREATE_ROOM);

export const tencentRoomId = conference.roomId;
export const tencentRoomStatus = conference.roomStatus;
export const tencentSchedule = pulumi.interpolate`${conference.scheduleStartTimeIso} .. ${conference.scheduleEndTimeIso}`;
export const tencentInvitees = conference.scheduleInvitees;
export const zegoRoomId = lobby.roomId;
export const zegoAttributes = lobby.attributes;
export const zegoAttributeSeq = lobby.attributeSeq;
