/**
 * The rooms of a team, reviewed like code: every pull request gets a `pulumi preview` (no vendor secrets
 * needed: check and diff are pure), every merge to main runs `pulumi up`, and a nightly `pulumi up` rolls
 * the MeetingSeries window forward (see .github/workflows/rooms.yml).
 */
import { MeetingSeries, TencentRoom, ZegoRoom } from "pulumi-rooms";

/** The weekly all-hands: a scheduled Tencent meeting for the whole company. */
const allHands = new TencentRoom("all-hands", {
  roomName: "All hands",
  ownerAccount: "ceo",
  maxMemberCount: 300,
  scheduleStartTime: "2027-03-05T16:00:00Z",
  scheduleEndTime: "2027-03-05T17:00:00Z",
  isCloudRecordingDisabled: false,
  scheduleInvitees: ["cto", "cfo", "head-of-people"],
});

/** A permanent ZEGO support lobby whose attributes the support bot reads. */
const supportLobby = new ZegoRoom("support-lobby", {
  roomName: "Support lobby",
  destroyDelayTime: 10800,
  attributes: {
    queue: "open",
    hours: "09:00-18:00 UTC",
  },
});

/** Weekly office hours: the nightly job keeps the next two weeks of rooms in place. */
const officeHours = new MeetingSeries("office-hours", {
  recurrence: "FREQ=WEEKLY;BYDAY=TU",
  startsAt: "2026-11-03T15:00",
  timeZone: "Europe/Berlin",
  duration: "1h",
  room: { roomName: "Office hours", ownerAccount: "cto", maxMemberCount: 50 },
});

export const allHandsRoomId = allHands.roomId;
export const allHandsStatus = allHands.roomStatus;
export const supportLobbyRoomId = supportLobby.roomId;
export const supportLobbyAttributeSeq = supportLobby.attributeSeq;
export const officeHoursCalendar = officeHours.ics;
