/**
 * MeetingSeries through the engine's view: the program runs under mocks (component + child TencentRooms,
 * with the URNs the engine builds), then the real dynamic-provider host is driven over gRPC against the
 * emulator. A two-week series goes up; asOf moves a day (one room created, one deleted); a template edit
 * updates in place; a moved exception replaces one room; the ics output parses back (ical.js) to the
 * occurrences; destroy removes every room.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import ICAL from "ical.js";
import { MeetingSeries, type MeetingSeriesArgs, type MeetingSeriesOccurrence } from "pulumi-rooms";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, Engine, type Step } from "../support/engine";
import { ProviderHost } from "../support/host";
import { runProgram, type ProgramRun } from "../support/program";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-series-test";
const SERIES_TYPE = "pulumi-rooms:index:MeetingSeries";
const ROOM_TYPE = "pulumi-nodejs:dynamic/rooms:TencentRoom";

/** The stand-up: weekdays 09:00 Berlin, across the spring change of 2027-03-28. */
const STANDUP: MeetingSeriesArgs = {
  recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  startsAt: "2027-03-01T09:00",
  timeZone: "Europe/Berlin",
  duration: "15m",
  horizon: "14d",
  exceptions: { "2027-03-24": "skip", "2027-03-26": { startsAt: "10:00", roomName: "Stand-up (late)" } },
  room: { roomName: "Stand-up", ownerAccount: "pm-lead", scheduleInvitees: ["alice", "bob"], maxMemberCount: 20 },
};

interface SeriesExports {
  occurrences: MeetingSeriesOccurrence[];
  ics: string;
  prefix: string;
}

describe("MeetingSeries through the host (engine sequences over gRPC)", function () {
  let emu: Emulator;
  let host: ProviderHost;
  let engine: Engine;

  before(async function () {
    emu = await startEmulator();
    host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
    engine = new Engine(host);
  });

  after(async function () {
    await host?.stop();
    await emu?.stop();
  });

  /** Runs the program for one day, answering with the engine's outputs for rooms it already holds. */
  async function program(args: MeetingSeriesArgs, asOf: string): Promise<ProgramRun & { exports: SeriesExports }> {
    const run = await runProgram(
      () => {
        const series = new MeetingSeries("standup", args);
        return { occurrences: series.occurrences, ics: series.ics, prefix: series.roomIdPrefix };
      },
      {
        project: PROJECT,
        config: { "pulumi-rooms:asOf": asOf },
        outputs: (type, name) => {
          if (type !== ROOM_TYPE || !engine.has(name)) return undefined;
          const { __provider: _provider, ...outputs } = engine.get(name).outputs;
          return outputs;
        },
      },
    );
    return run as ProgramRun & { exports: SeriesExports };
  }

  const ops = (steps: Step[]) =>
    steps.filter((s) => !s.urn.includes(`::${SERIES_TYPE}::`)).map((s) => `${s.op} ${s.urn.split("::").pop()}`);

  it("preview of a new stack: the component and its rooms planned as creates, without a single vendor request", async function () {
    const run = await runProgram(() => void new MeetingSeries("standup", STANDUP), {
      project: PROJECT,
      preview: true,
      config: { "pulumi-rooms:asOf": "2027-03-22" },
    });
    const before = requests(emu);
    const steps = await engine.preview(declared(run.registrations));
    assert.deepEqual([...new Set(steps.map((s) => s.op))], ["create"]);
    assert.equal(steps.length, 10);
    assert.ok(steps.every((s) => !s.failures?.length));
    assert.equal(requests(emu), before, "check is pure");
    assert.equal(engine.state.size, 0);
  });

  it("up: the component and one room per occurrence in the window, children of the series, at 09:00 Berlin across the DST change", async function () {
    const run = await program(STANDUP, "2027-03-22");
    const series = run.registrations.find((r) => r.type === SERIES_TYPE);
    assert.ok(series && !series.custom, "the series registers as a component resource");
    const rooms = run.registrations.filter((r) => r.type === ROOM_TYPE);
    // 2027-03-22 .. 2027-04-04: ten weekdays, one skipped.
    assert.deepEqual(
      rooms.map((r) => r.name),
      [
        "standup-2027-03-22T0900",
        "standup-2027-03-23T0900",
        "standup-2027-03-25T0900",
        "standup-2027-03-26T0900",
        "standup-2027-03-29T0900",
        "standup-2027-03-30T0900",
        "standup-2027-03-31T0900",
        "standup-2027-04-01T0900",
        "standup-2027-04-02T0900",
      ],
    );
    for (const r of rooms) assert.equal(r.urn, `urn:pulumi:test::${PROJECT}::${SERIES_TYPE}$${ROOM_TYPE}::${r.name}`);

    const steps = await engine.up(declared(run.registrations));
    assert.deepEqual(
      steps.map((s) => s.op),
      Array(10).fill("create"),
    );
    assert.ok(engine.state.get(series.urn)?.component, "the engine keeps the component in state");
    const prefix = run.exports.prefix;
    assert.match(prefix, /^standup-[0-9a-f]{6}$/);
    assert.equal(emu.tencent.rooms().length, 9);
    const before = emu.tencent.room(`${prefix}-20270326-0900`);
    assert.equal(before?.ScheduleStartTime, Date.parse("2027-03-26T09:00:00Z") / 1000, "the override: 10:00 CET");
    assert.equal(before?.RoomName, "Stand-up (late)");
    assert.equal(
      emu.tencent.room(`${prefix}-20270325-0900`)?.ScheduleStartTime,
      Date.parse("2027-03-25T08:00:00Z") / 1000,
      "09:00 CET",
    );
    const afterChange = emu.tencent.room(`${prefix}-20270329-0900`);
    assert.equal(afterChange?.ScheduleStartTime, Date.parse("2027-03-29T07:00:00Z") / 1000, "09:00 CEST");
    assert.equal(afterChange?.ScheduleEndTime, Date.parse("2027-03-29T07:15:00Z") / 1000);
    assert.deepEqual(afterChange?.Invitees, ["alice", "bob"]);
    assert.equal(afterChange?.Owner_Account, "pm-lead");
    assert.equal(emu.tencent.room(`${prefix}-20270324-0900`), undefined, "skipped");
  });

  it("a second run on the same day changes nothing; occurrences carry each room's status from its outputs", async function () {
    const run = await program(STANDUP, "2027-03-22");
    const steps = await engine.up(declared(run.registrations));
    assert.deepEqual([...new Set(steps.map((s) => s.op))], ["same"]);
    const occurrences = run.exports.occurrences;
    assert.equal(occurrences.length, 9);
    assert.deepEqual(occurrences[4], {
      key: "2027-03-29T09:00",
      roomId: `${run.exports.prefix}-20270329-0900`,
      resourceName: "standup-2027-03-29T0900",
      start: "2027-03-29T07:00:00Z",
      end: "2027-03-29T07:15:00Z",
      startLocal: "2027-03-29T09:00:00+02:00",
      endLocal: "2027-03-29T09:15:00+02:00",
      changed: false,
      roomStatus: "NotStarted",
    });
    assert.equal(occurrences[3]?.startLocal, "2027-03-26T10:00:00+01:00");
    assert.equal(occurrences[3]?.changed, true);
  });

  it("asOf moves a day: exactly one room created (2027-04-05) and one deleted (2027-03-22)", async function () {
    const run = await program(STANDUP, "2027-03-23");
    const steps = await engine.up(declared(run.registrations));
    const changed = ops(steps).filter((s) => !s.startsWith("same "));
    assert.deepEqual(changed.sort(), ["create standup-2027-04-05T0900", "delete standup-2027-03-22T0900"]);
    const prefix = run.exports.prefix;
    assert.ok(emu.tencent.room(`${prefix}-20270405-0900`));
    assert.equal(emu.tencent.room(`${prefix}-20270322-0900`), undefined);
    assert.equal(emu.tencent.rooms().length, 9);
  });

  it("a template edit updates every room in place (the renamed exception keeps its own name)", async function () {
    const prefix = (await program(STANDUP, "2027-03-23")).exports.prefix;
    const created = emu.tencent.room(`${prefix}-20270330-0900`)?.CreateTime;
    const edited: MeetingSeriesArgs = {
      ...STANDUP,
      room: { ...STANDUP.room, roomName: "Daily stand-up", maxMemberCount: 25 },
    };
    const run = await program(edited, "2027-03-23");
    assert.deepEqual(
      run.registrations.filter((r) => r.type === ROOM_TYPE).map((r) => r.inputs.roomId),
      [...engine.state.values()]
        .filter((e) => !e.component)
        .map((e) => e.id)
        .sort(),
      "room IDs do not depend on the template",
    );
    const steps = await engine.up(declared(run.registrations));
    const changed = ops(steps).filter((s) => !s.startsWith("same "));
    assert.equal(changed.length, 9);
    assert.ok(
      changed.every((s) => s.startsWith("update ")),
      changed.join(", "),
    );
    assert.equal(emu.tencent.room(`${prefix}-20270330-0900`)?.RoomName, "Daily stand-up");
    assert.equal(emu.tencent.room(`${prefix}-20270330-0900`)?.MaxMemberCount, 25);
    assert.equal(emu.tencent.room(`${prefix}-20270330-0900`)?.CreateTime, created, "the same room, updated in place");
    assert.equal(emu.tencent.room(`${prefix}-20270326-0900`)?.RoomName, "Stand-up (late)");
  });

  it("moving an exception's start replaces exactly that room (same ID, deleted before its successor is created)", async function () {
    const edited: MeetingSeriesArgs = {
      ...STANDUP,
      room: { ...STANDUP.room, roomName: "Daily stand-up", maxMemberCount: 25 },
      exceptions: { ...STANDUP.exceptions, "2027-03-26": { startsAt: "11:30", roomName: "Stand-up (late)" } },
    };
    const run = await program(edited, "2027-03-23");
    const from = engine.calls.length;
    const steps = await engine.up(declared(run.registrations));
    assert.deepEqual(
      ops(steps).filter((s) => !s.startsWith("same ")),
      ["replace standup-2027-03-26T0900"],
    );
    const replaced = steps.find((s) => s.op === "replace");
    assert.equal(replaced?.deleteBeforeReplace, true);
    const calls = engine.calls
      .slice(from)
      .filter((c) => c.urn.endsWith("::standup-2027-03-26T0900") && (c.method === "Delete" || c.method === "Create"));
    assert.deepEqual(
      calls.map((c) => c.method),
      ["Delete", "Create"],
    );
    const room = emu.tencent.room(`${run.exports.prefix}-20270326-0900`);
    assert.equal(room?.ScheduleStartTime, Date.parse("2027-03-26T10:30:00Z") / 1000);
    assert.equal(emu.tencent.rooms().length, 9);
  });

  it("the ics output parses back with ical.js to the same occurrences (RRULE, EXDATE, RECURRENCE-ID, VTIMEZONE)", async function () {
    const run = await program(STANDUP, "2027-03-22");
    const { ics, occurrences } = run.exports;
    const expanded = expandIcs(ics, Date.parse("2027-03-22T00:00:00Z"), Date.parse("2027-04-05T00:00:00Z"));
    assert.deepEqual(
      expanded,
      occurrences.map((o) => ({
        start: o.start,
        end: o.end,
        summary: o.key === "2027-03-26T09:00" ? "Stand-up (late)" : "Stand-up",
      })),
    );
    assert.match(ics, /^RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r$/m);
    assert.match(ics, /^EXDATE;TZID=Europe\/Berlin:20270324T090000\r$/m);
    assert.match(ics, /^RECURRENCE-ID;TZID=Europe\/Berlin:20270326T090000\r$/m);
    assert.match(ics, /^DTSTAMP:20270322T000000Z\r$/m, "deterministic for one day");
  });

  it("destroy removes every room and the component", async function () {
    await engine.destroy();
    assert.equal(engine.state.size, 0);
    assert.equal(emu.tencent.rooms().length, 0);
  });
});

/** Occurrences of an iCalendar text between two instants, as ical.js expands them (start, end UTC, summary). */
function expandIcs(ics: string, fromMs: number, untilMs: number): { start: string; end: string; summary: string }[] {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const events = calendar.getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
  const master = events.find((e) => !e.isRecurrenceException());
  assert.ok(master, "one master VEVENT");
  assert.equal(new Set(events.map((e) => e.uid)).size, 1, "overrides share the master's UID");
  for (const e of events) if (e.isRecurrenceException()) master.relateException(e);
  const out: { start: string; end: string; summary: string }[] = [];
  const iterator = master.iterator();
  for (
    let next = iterator.next();
    next && next.toJSDate().getTime() < untilMs + 7 * 86_400_000;
    next = iterator.next()
  ) {
    const details = master.getOccurrenceDetails(next);
    const start = details.startDate.toJSDate().getTime();
    // The window's rule: starts before until, ended at most 6 h (keep) before from.
    if (start >= untilMs || details.endDate.toJSDate().getTime() + 6 * 3_600_000 <= fromMs) continue;
    out.push({ start: iso(start), end: iso(details.endDate.toJSDate().getTime()), summary: details.item.summary });
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** Every request the emulator has counted. */
function requests(emu: Emulator): number {
  const sum = (v: unknown): number =>
    typeof v === "number"
      ? v
      : v !== null && typeof v === "object"
        ? Object.values(v).reduce((n: number, x) => n + sum(x), 0)
        : 0;
  return sum(emu.counters());
}
