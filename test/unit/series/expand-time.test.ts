/**
 * MeetingSeries expansion against fixed cases, in time: across both daylight-saving transitions in Europe
 * and the US, and the rule parts COUNT, UNTIL, INTERVAL and monthly by weekday. Pure (no Pulumi, no network).
 */
import { strict as assert } from "node:assert";
import { seriesIcs } from "../../../provider/series/ics";
import { plan, planCases, series, utc } from "../../support/series-plan";

describe("MeetingSeries expansion (fixed cases)", function () {
  describe("daylight-saving time: local wall time is kept", function () {
    planCases([
      {
        it: "Europe/Berlin, spring forward (2027-03-28): a weekly Monday 09:00 moves from 08:00Z to 07:00Z",
        args: series("FREQ=WEEKLY;BYDAY=MO", "2027-03-15T09:00", "Europe/Berlin", { horizon: "21d" }),
        ctx: { asOf: "2027-03-15" },
        view: "utc",
        rooms: [
          "2027-03-15T09:00 2027-03-15T08:00:00Z..2027-03-15T08:15:00Z",
          "2027-03-22T09:00 2027-03-22T08:00:00Z..2027-03-22T08:15:00Z",
          "2027-03-29T09:00 2027-03-29T07:00:00Z..2027-03-29T07:15:00Z",
        ],
      },
      {
        it: "Europe/Berlin, fall back (2027-10-31): a weekday 09:00 moves from 07:00Z to 08:00Z",
        args: series("FREQ=WEEKLY;BYDAY=FR,MO", "2027-10-29T09:00", "Europe/Berlin", { horizon: "4d" }),
        ctx: { asOf: "2027-10-29" },
        view: "utc",
        rooms: [
          "2027-10-29T09:00 2027-10-29T07:00:00Z..2027-10-29T07:15:00Z",
          "2027-11-01T09:00 2027-11-01T08:00:00Z..2027-11-01T08:15:00Z",
        ],
      },
      {
        it: "America/New_York, spring forward (2027-03-14): 09:00 stays 09:00",
        args: series("FREQ=WEEKLY;BYDAY=FR", "2027-03-12T09:00", "America/New_York", { horizon: "8d" }),
        ctx: { asOf: "2027-03-12" },
        view: "utc",
        rooms: [
          "2027-03-12T09:00 2027-03-12T14:00:00Z..2027-03-12T14:15:00Z",
          "2027-03-19T09:00 2027-03-19T13:00:00Z..2027-03-19T13:15:00Z",
        ],
      },
      {
        it: "America/New_York, fall back (2027-11-07): 09:00 stays 09:00",
        args: series("FREQ=WEEKLY;BYDAY=FR", "2027-11-05T09:00", "America/New_York", { horizon: "8d" }),
        ctx: { asOf: "2027-11-05" },
        view: "utc",
        rooms: [
          "2027-11-05T09:00 2027-11-05T13:00:00Z..2027-11-05T13:15:00Z",
          "2027-11-12T09:00 2027-11-12T14:00:00Z..2027-11-12T14:15:00Z",
        ],
      },
      {
        it: "an occurrence in the spring-forward gap does not exist (RFC 5545 §3.8.5.3)",
        args: series("FREQ=DAILY", "2027-03-27T02:30", "Europe/Berlin", { horizon: "3d" }),
        ctx: { asOf: "2027-03-27" },
        view: "keys",
        rooms: ["2027-03-27T02:30", "2027-03-29T02:30"],
      },
      {
        it: "an ambiguous occurrence (the fall-back fold) is the first of the two",
        args: series("FREQ=DAILY", "2027-10-30T02:30", "Europe/Berlin", { horizon: "3d" }),
        ctx: { asOf: "2027-10-30" },
        view: "starts",
        rooms: [
          "2027-10-30T02:30:00+02:00[Europe/Berlin]",
          "2027-10-31T02:30:00+02:00[Europe/Berlin]",
          "2027-11-01T02:30:00+01:00[Europe/Berlin]",
        ],
      },
    ]);

    it("a weekly series across both transitions keeps 09:00 local all year (UTC offset follows the zone)", function () {
      const p = plan(series("FREQ=WEEKLY;BYDAY=WE", "2027-01-06T09:00", "Europe/Berlin", { horizon: "366d" }), {
        asOf: "2027-01-01",
      });
      assert.equal(p.rooms.length, 52);
      assert.ok(p.rooms.every((o) => o.start.hour === 9 && o.start.minute === 0 && o.start.dayOfWeek === 3));
      const offsets = [...new Set(p.rooms.map((o) => o.start.offset))];
      assert.deepEqual(offsets, ["+01:00", "+02:00"]);
      assert.equal(
        p.rooms.filter((o) => o.start.offset === "+02:00").length,
        31,
        "Wednesdays from 31 March to 27 October are in summer time",
      );
    });

    it("does not depend on the machine's time zone (rrule's tzid results do: that is why rrule-temporal)", function () {
      const args = series("FREQ=WEEKLY;BYDAY=MO", "2027-03-22T09:00", "Europe/Berlin", { horizon: "8d" });
      const saved = process.env.TZ;
      try {
        process.env.TZ = "America/New_York";
        const inNewYork = utc(plan(args));
        const icsInNewYork = seriesIcs("standup", plan(args), { summary: "Stand-up", overrides: {} });
        process.env.TZ = "Asia/Kolkata";
        assert.deepEqual(utc(plan(args)), inNewYork);
        assert.equal(seriesIcs("standup", plan(args), { summary: "Stand-up", overrides: {} }), icsInNewYork);
        assert.match(icsInNewYork, /^DTSTART;TZID=Europe\/Berlin:20270322T090000\r$/m);
        assert.deepEqual(inNewYork, [
          "2027-03-22T09:00 2027-03-22T08:00:00Z..2027-03-22T08:15:00Z",
          "2027-03-29T09:00 2027-03-29T07:00:00Z..2027-03-29T07:15:00Z",
        ]);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });

    it("a meeting over the change lasts its duration in elapsed time (01:30-03:30 local is 1 h on spring-forward night)", function () {
      const p = plan(series("FREQ=DAILY;COUNT=1", "2027-03-28T01:30", "Europe/Berlin", { duration: "1h" }), {
        asOf: "2027-03-28",
      });
      const [o] = p.rooms;
      assert.ok(o);
      assert.equal(o.endUnix - o.startUnix, 3600);
      assert.equal(o.end.toString(), "2027-03-28T03:30:00+02:00[Europe/Berlin]");
    });
  });

  describe("rule parts", function () {
    const wide = { asOf: "2027-03-01" };
    const pacific = { startsAt: "2027-03-01T23:30", timeZone: "America/Los_Angeles", horizon: "60d" };

    planCases([
      {
        it: "COUNT ends the series whatever the horizon",
        args: series("FREQ=DAILY;COUNT=3", "2027-03-01T10:00", "UTC", { horizon: "60d" }),
        ctx: wide,
        view: "keys",
        rooms: ["2027-03-01T10:00", "2027-03-02T10:00", "2027-03-03T10:00"],
      },
      {
        it: "UNTIL as a date is the last day, inclusive, in the series' zone (the ics gets it as UTC, as RFC 5545 requires with a TZID)",
        args: { ...pacific, recurrence: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270315" },
        ctx: wide,
        view: "keys",
        rooms: ["2027-03-01T23:30", "2027-03-08T23:30", "2027-03-15T23:30"],
        also: (p) => assert.match(p.expansion.rrule, /UNTIL=\d{8}T\d{6}Z/),
      },
      {
        it: "UNTIL as UTC is an instant",
        args: { ...pacific, recurrence: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270315T072959Z" },
        ctx: wide,
        view: "keys",
        rooms: ["2027-03-01T23:30", "2027-03-08T23:30"],
      },
      {
        it: "INTERVAL=2 with two weekdays: every other week",
        args: series("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "2027-03-01T14:00", "Europe/Berlin", { horizon: "28d" }),
        ctx: wide,
        view: "days",
        rooms: ["2027-03-01", "2027-03-04", "2027-03-15", "2027-03-18"],
      },
      {
        it: "monthly by weekday: the second Tuesday",
        args: series("FREQ=MONTHLY;BYDAY=2TU", "2027-03-09T15:00", "Europe/London", { horizon: "120d" }),
        ctx: wide,
        view: "days",
        rooms: ["2027-03-09", "2027-04-13", "2027-05-11", "2027-06-08"],
      },
      {
        it: "monthly by weekday: the last Friday",
        args: series("FREQ=MONTHLY;BYDAY=-1FR", "2027-03-26T16:00", "America/New_York", { horizon: "100d" }),
        ctx: wide,
        view: "days",
        rooms: ["2027-03-26", "2027-04-30", "2027-05-28"],
      },
      {
        it: "lower-case parts and an RRULE: prefix are accepted and canonicalised",
        args: series("RRULE:freq=weekly;byday=mo", "2027-03-01T09:00", "Europe/Berlin", { horizon: "8d" }),
        ctx: wide,
        view: "days",
        rooms: ["2027-03-01", "2027-03-08"],
        also: (p) => assert.equal(p.spec.recurrence.rule, "FREQ=WEEKLY;BYDAY=MO"),
      },
    ]);
  });
});
