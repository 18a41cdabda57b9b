/**
 * A team's week as recurring meetings: each meeting is a MeetingSeries (an RRULE in a time zone), and
 * pulumi-rooms keeps one Tencent room per occurrence in a rolling two-week window. Run `pulumi up` daily
 * (see the gitops example's nightly job): the next day's rooms appear, the ones the vendor has recycled
 * leave the program.
 *
 *   pulumi config set pulumi-rooms:asOf 2027-03-22   # plan for a fixed day (reproducible); default: today (UTC)
 */
import * as pulumi from "@pulumi/pulumi";
import { MeetingSeries } from "pulumi-rooms";

const config = new pulumi.Config();
/** The organiser who owns every meeting (an imported Chat account). */
const organiser = config.get("organiser") ?? "pm-lead";

const teams = {
  core: ["alice", "bob", "carol"],
  design: ["dan", "erin"],
  leads: ["alice", "dan", "frank"],
};
const everyone = [...new Set([...teams.core, ...teams.design, ...teams.leads])];
/** The team works from Berlin: 09:00 stays 09:00 when the clocks change. */
const berlin = "Europe/Berlin";

const standup = new MeetingSeries("standup", {
  recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  startsAt: "2026-11-02T09:00",
  timeZone: berlin,
  duration: "15m",
  exceptions: {
    "2027-04-05": "skip", // Easter Monday
    "2027-03-26": { startsAt: "10:30", roomName: "Stand-up (after the offsite)" },
  },
  room: {
    roomName: "Stand-up",
    ownerAccount: organiser,
    scheduleInvitees: teams.core,
    maxMemberCount: 10,
    isCloudRecordingDisabled: true,
  },
});

const planning = new MeetingSeries("planning", {
  recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
  startsAt: "2026-11-02T14:00",
  timeZone: berlin,
  duration: "1h",
  room: {
    roomName: "Sprint planning",
    ownerAccount: organiser,
    scheduleInvitees: [...teams.core, ...teams.design],
    maxMemberCount: 10,
  },
});

const designReview = new MeetingSeries("design-review", {
  recurrence: "FREQ=WEEKLY;BYDAY=WE",
  startsAt: "2026-11-04T16:00",
  timeZone: berlin,
  duration: "45m",
  exceptions: { "2027-03-31": { duration: "1h30m", roomName: "Design review (quarterly)", maxMemberCount: 20 } },
  room: {
    roomName: "Design review",
    ownerAccount: organiser,
    scheduleInvitees: [...teams.design, "alice"],
    maxMemberCount: 10,
    isCloudRecordingDisabled: true,
  },
});

/** Frank leads from New York: the leads sync follows his clock, so it moves for Berlin when the US changes first. */
const leadsSync = new MeetingSeries("leads-sync", {
  recurrence: "FREQ=WEEKLY;BYDAY=TH",
  startsAt: "2026-11-05T08:00",
  timeZone: "America/New_York",
  duration: "30m",
  room: {
    roomName: "Leads sync",
    ownerAccount: organiser,
    scheduleInvitees: teams.leads.filter((a) => a !== organiser),
    maxMemberCount: 10,
    isCloudRecordingDisabled: true,
  },
});

/** Demo and retro on the last Friday of the month; a longer horizon so next month's is already bookable. */
const demo = new MeetingSeries("demo", {
  recurrence: "FREQ=MONTHLY;BYDAY=-1FR",
  startsAt: "2026-11-27T15:00",
  timeZone: berlin,
  duration: "1h",
  horizon: "6w",
  room: {
    roomName: "Demo and retro",
    ownerAccount: organiser,
    scheduleInvitees: everyone.filter((a) => a !== organiser),
    maxMemberCount: 20,
  },
});

const series = { standup, planning, designReview, leadsSync, demo };

/** Each series' rooms in this run: local start, room ID and status. */
export const meetings = pulumi.output(
  Object.fromEntries(
    Object.entries(series).map(([name, s]) => [
      name,
      s.occurrences.apply((list) => list.map((o) => `${o.startLocal} ${o.roomId} (${o.roomStatus ?? "planned"})`)),
    ]),
  ),
);
/** Each series as iCalendar text, to publish for calendar subscribers (e.g. `pulumi stack output --show-secrets calendars`). */
export const calendars = pulumi.output(Object.fromEntries(Object.entries(series).map(([name, s]) => [name, s.ics])));
/** The day this run planned for. */
export const asOf = standup.asOf;
