/**
 * MeetingSeries: a Pulumi component that keeps one TencentRoom per occurrence of a recurrence rule inside a
 * rolling window. The plan (plan.ts) is pure; this class only turns it into child rooms and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { TencentRoom, type TencentRoomArgs } from "../tencent/resource";
import { seriesIcs } from "./ics";
import { planSeries, type PlannedOccurrence, type SeriesPlan } from "./plan";
import type { SERIES_OWNED_INPUTS } from "./schema";

/** The room inputs every occurrence shares: every TencentRoom input except the room ID and the schedule. */
export type MeetingSeriesRoomArgs = Omit<TencentRoomArgs, (typeof SERIES_OWNED_INPUTS)[number]>;

/** A change to one occurrence (or every occurrence of a date): a new start, a new length, any room input. */
export interface MeetingSeriesOverride extends MeetingSeriesRoomArgs {
  /** New local start: `"HH:MM"` on the same date, or `"YYYY-MM-DDTHH:MM"` to move the meeting to another day. */
  startsAt?: string;
  /** New length, 5 minutes to 24 hours, e.g. `"45m"`. */
  duration?: string;
}

/** Inputs of a {@link MeetingSeries}. Every field but `room` and the room inputs of exceptions is a plain value. */
export interface MeetingSeriesArgs {
  /**
   * RFC 5545 RRULE: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, COUNT or UNTIL, BYDAY (ordinals such as
   * 2TU with MONTHLY/YEARLY), BYMONTHDAY, BYMONTH, BYYEARDAY, BYWEEKNO, BYSETPOS, BYHOUR, BYMINUTE, WKST.
   * An UNTIL date (YYYYMMDD) is the last day, inclusive, in `timeZone`.
   */
  recurrence: string;
  /** Local wall time of the first occurrence, `YYYY-MM-DDTHH:MM`; it must be an occurrence of the rule. */
  startsAt: string;
  /** IANA time zone of the series: 09:00 stays 09:00 local across daylight-saving changes. */
  timeZone: string;
  /** Meeting length, 5 minutes to 24 hours: `"15m"`, `"1h30m"`. Elapsed time, also across a clock change. */
  duration: string;
  /** Occurrences that start within this span after today exist as rooms. Default `"14d"`. */
  horizon?: string;
  /**
   * How long after its end an occurrence stays in the program. Default `"6h"`, the vendor's recycling delay
   * for an ended, empty room. See docs/meeting-series.md for the exact window.
   */
  keep?: string;
  /**
   * Exceptions by local date (`"YYYY-MM-DD"`: every occurrence that day) or date and time
   * (`"YYYY-MM-DDTHH:MM"`: one occurrence): `"skip"`, or overrides. A key that names no occurrence is an error.
   */
  exceptions?: Record<string, "skip" | MeetingSeriesOverride>;
  /** The room inputs every occurrence shares. */
  room?: MeetingSeriesRoomArgs;
  /**
   * Prefix of every room ID (`<prefix>-YYYYMMDD-HHMM`), at most 34 bytes. Default
   * `<name>-<6 hex of scopeHash(project, stack, name)>`, which keeps stacks on one app apart.
   */
  roomIdPrefix?: string;
}

/** One occurrence that exists as a room in this run. */
export interface MeetingSeriesOccurrence {
  /** The occurrence's original local start, `YYYY-MM-DDTHH:MM` (its identity). */
  key: string;
  roomId: string;
  /** The child TencentRoom's resource name. */
  resourceName: string;
  /** Start and end, ISO-8601 UTC. */
  start: string;
  end: string;
  /** Start and end, local wall time with offset, e.g. `2027-03-29T09:00:00+02:00`. */
  startLocal: string;
  endLocal: string;
  /** Whether an exception changed this occurrence. */
  changed: boolean;
  /** `NotStarted`, `Running`, ... as the room reports it (unknown in preview). */
  roomStatus?: string;
}

const utc = (o: PlannedOccurrence, which: "start" | "end") =>
  new Date(o[which].epochMilliseconds).toISOString().replace(".000Z", "Z");
const local = (o: PlannedOccurrence, which: "start" | "end") =>
  o[which].toString({ timeZoneName: "never", smallestUnit: "second" });

/**
 * Recurring meetings as code: one {@link TencentRoom} per occurrence of `recurrence` that starts within
 * the rolling window `[today - keep, today + horizon)` (see docs/meeting-series.md), each a child of the
 * series. Run `pulumi up` daily to roll the window.
 *
 * @example
 * new MeetingSeries("standup", {
 *   recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
 *   startsAt: "2027-03-01T09:00",
 *   timeZone: "Europe/Berlin",
 *   duration: "15m",
 *   exceptions: { "2027-03-10": "skip", "2027-03-12": { startsAt: "10:00", roomName: "Stand-up (late)" } },
 *   room: { roomName: "Stand-up", ownerAccount: "pm-lead", scheduleInvitees: ["alice", "bob"] },
 * });
 */
export class MeetingSeries extends pulumi.ComponentResource {
  /** The occurrences that exist as rooms in this run, by original start. */
  readonly occurrences: pulumi.Output<MeetingSeriesOccurrence[]>;
  /** The whole series as iCalendar text (RRULE, EXDATE, RECURRENCE-ID overrides) for calendar subscribers. */
  readonly ics: pulumi.Output<string>;
  /** The child rooms of this run, by occurrence key (`YYYY-MM-DDTHH:MM`). */
  readonly rooms: Readonly<Record<string, TencentRoom>>;
  /** The room-ID prefix in use. */
  readonly roomIdPrefix: string;
  /** The UTC day this run planned for (`pulumi-rooms:asOf` or today). */
  readonly asOf: string;

  constructor(name: string, args: MeetingSeriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-rooms:index:MeetingSeries", name, {}, opts);
    const { room: template = {}, ...plain } = args;
    // Only the plain fields decide the plan; overrides' room inputs are Inputs and pass through untouched.
    const plan: SeriesPlan = planSeries(
      name,
      plain,
      { project: pulumi.getProject(), stack: pulumi.getStack(), asOf: new pulumi.Config("pulumi-rooms").get("asOf") },
      template,
    );
    this.roomIdPrefix = plan.prefix;
    this.asOf = plan.window.asOf;

    const rooms: Record<string, TencentRoom> = {};
    for (const o of plan.rooms) {
      const override = (o.override?.room ?? {}) as MeetingSeriesRoomArgs;
      rooms[o.key] = new TencentRoom(
        o.resourceName,
        { ...template, ...override, roomId: o.roomId, scheduleStartTime: o.startUnix, scheduleEndTime: o.endUnix },
        { parent: this },
      );
    }
    this.rooms = rooms;

    this.occurrences = pulumi
      .all(plan.rooms.map((o) => rooms[o.key]?.roomStatus ?? pulumi.output(undefined)))
      .apply((statuses) =>
        plan.rooms.map((o, i) => ({
          key: o.key,
          roomId: o.roomId,
          resourceName: o.resourceName,
          start: utc(o, "start"),
          end: utc(o, "end"),
          startLocal: local(o, "start"),
          endLocal: local(o, "end"),
          changed: o.override !== undefined,
          ...(typeof statuses[i] === "string" ? { roomStatus: statuses[i] } : {}),
        })),
      );

    // Summaries: the template's room name (or the series name), and each renamed occurrence's own.
    const renamed = plan.expansion.occurrences.filter((o) => o.override?.room.roomName !== undefined);
    const names = renamed.map((o) => pulumi.output(o.override?.room.roomName as pulumi.Input<string>));
    this.ics = pulumi
      .all([pulumi.output(template.roomName ?? name), pulumi.all(names)])
      .apply(([summary, overrideNames]) =>
        seriesIcs(name, plan, {
          summary,
          overrides: Object.fromEntries(renamed.map((o, i) => [o.key, overrideNames[i] ?? summary])),
        }),
      );

    this.registerOutputs({ occurrences: this.occurrences, ics: this.ics });
  }
}
