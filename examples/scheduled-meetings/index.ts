/**
 * A week of Tencent TUIRoomKit meetings generated from a schedule table: one TencentRoom per row, with
 * its invitees. The week is fixed by config (`weekOf`, a Monday), never by the clock, so `pulumi preview`
 * shows no changes until the table or the config changes.
 *
 *   pulumi config set weekOf 2027-03-08   # another week: new rooms are created, the old ones deleted
 */
import * as pulumi from "@pulumi/pulumi";
import { TencentRoom } from "pulumi-rooms";

const config = new pulumi.Config();
/** The Monday of the week (YYYY-MM-DD, UTC). */
const weekOf = config.get("weekOf") ?? "2027-03-01";
/** The organiser who owns every meeting (an imported Chat account). */
const organiser = config.get("organiser") ?? "pm-lead";

const teams = {
  core: ["alice", "bob", "carol"],
  design: ["dan", "erin"],
  leads: ["alice", "dan", "frank"],
};

interface Meeting {
  /** 0 = Monday ... 4 = Friday. */
  day: number;
  /** Start, HH:MM UTC. */
  at: string;
  minutes: number;
  title: string;
  invitees: string[];
  record?: boolean;
}

/** The schedule table: edit a row and `pulumi up` updates (or replaces) exactly that meeting. */
const schedule: Meeting[] = [
  { day: 0, at: "09:00", minutes: 15, title: "Stand-up", invitees: teams.core },
  { day: 0, at: "14:00", minutes: 60, title: "Sprint planning", invitees: [...teams.core, ...teams.design], record: true },
  { day: 1, at: "09:00", minutes: 15, title: "Stand-up", invitees: teams.core },
  { day: 2, at: "09:00", minutes: 15, title: "Stand-up", invitees: teams.core },
  { day: 2, at: "16:00", minutes: 45, title: "Design review", invitees: [...teams.design, "alice"] },
  { day: 3, at: "09:00", minutes: 15, title: "Stand-up", invitees: teams.core },
  { day: 3, at: "11:00", minutes: 30, title: "Leads sync", invitees: teams.leads },
  { day: 4, at: "09:00", minutes: 15, title: "Stand-up", invitees: teams.core },
  { day: 4, at: "15:00", minutes: 60, title: "Demo and retro", invitees: [...new Set([...teams.core, ...teams.design, ...teams.leads])], record: true },
];

const DAYS = ["mon", "tue", "wed", "thu", "fri"];
const monday = Date.parse(`${weekOf}T00:00:00Z`);
if (Number.isNaN(monday) || new Date(monday).getUTCDay() !== 1) throw new Error(`config weekOf must be a Monday (YYYY-MM-DD), not ${weekOf}`);

export const meetings: Record<string, pulumi.Output<string>> = {};
for (const m of schedule) {
  const [hh, mm] = m.at.split(":").map(Number);
  const start = monday / 1000 + m.day * 86400 + (hh ?? 0) * 3600 + (mm ?? 0) * 60;
  // The resource name (and so the room ID) is stable per row: week, day, time and a slug of the title.
  const name = `${weekOf}-${DAYS[m.day]}-${m.at.replace(":", "")}-${m.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const room = new TencentRoom(name, {
    roomName: m.title,
    ownerAccount: organiser,
    scheduleStartTime: start,
    scheduleEndTime: start + m.minutes * 60,
    maxMemberCount: Math.max(10, m.invitees.length + 1),
    isCloudRecordingDisabled: !m.record,
    scheduleInvitees: m.invitees.filter((a) => a !== organiser),
    customInfo: JSON.stringify({ source: "schedule-table", week: weekOf }),
  });
  meetings[name] = pulumi.interpolate`${room.roomName} ${room.scheduleStartTimeIso} (${room.roomStatus})`;
}

export const meetingCount = schedule.length;
