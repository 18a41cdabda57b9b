/**
 * MeetingSeries planning against fixed cases, around the occurrences: skip and override, the window's edges,
 * room IDs, and every argument problem named. Pure (no Pulumi, no network).
 */
import { strict as assert } from "node:assert";
import { MAX_PREFIX_BYTES } from "../../../provider/series/ids";
import { plan, planCases, problemCases, problems, series, utc } from "../../support/series-plan";

describe("MeetingSeries expansion (fixed cases)", function () {
  describe("exceptions", function () {
    const base = series("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2027-03-01T09:00", "Europe/Berlin", { horizon: "7d" });

    it("skip removes the occurrence; an override moves it and keeps its room ID; the others are untouched", function () {
      const plain = plan(base);
      const p = plan({
        ...base,
        exceptions: {
          "2027-03-24": "skip",
          "2027-03-26": { startsAt: "10:00", duration: "45m", roomName: "Stand-up (late)" },
          "2027-03-25T09:00": { startsAt: "2027-03-27T11:00" },
        },
      });
      assert.deepEqual(
        plain.rooms.map((o) => o.key.slice(0, 10)),
        ["2027-03-22", "2027-03-23", "2027-03-24", "2027-03-25", "2027-03-26"],
      );
      assert.deepEqual(
        p.rooms.map((o) => o.key.slice(0, 10)),
        ["2027-03-22", "2027-03-23", "2027-03-25", "2027-03-26"],
      );
      const late = p.rooms.find((o) => o.key === "2027-03-26T09:00");
      assert.equal(late?.start.toString(), "2027-03-26T10:00:00+01:00[Europe/Berlin]");
      assert.equal((late?.endUnix ?? 0) - (late?.startUnix ?? 0), 45 * 60);
      assert.deepEqual(late?.override?.room, { roomName: "Stand-up (late)" });
      const moved = p.rooms.find((o) => o.key === "2027-03-25T09:00");
      assert.equal(moved?.start.toString(), "2027-03-27T11:00:00+01:00[Europe/Berlin]", "moved to Saturday");
      assert.equal(
        moved?.roomId,
        plain.rooms.find((o) => o.key === "2027-03-25T09:00")?.roomId,
        "a moved occurrence keeps its room ID",
      );
      assert.deepEqual(
        p.expansion.skipped.map((t) => t.toString()),
        ["2027-03-24T09:00:00+01:00[Europe/Berlin]"],
      );
      for (const o of p.rooms.filter((x) => !x.override))
        assert.deepEqual(
          o,
          plain.rooms.find((x) => x.key === o.key),
        );
    });

    it("an exception may lie outside the window (past or future) but must name an occurrence", function () {
      const p = plan({ ...base, exceptions: { "2027-03-02": "skip", "2027-06-01": { roomName: "June" } } });
      assert.equal(p.rooms.length, 5);
      assert.deepEqual(
        problems({ ...base, exceptions: { "2027-03-27": "skip", "2027-03-23T10:00": "skip", "2027-02-26": "skip" } }),
        [
          'exceptions["2027-03-27"]: 2027-03-27 is not a date of the series (nearest occurrences: 2027-03-26T09:00, 2027-03-29T09:00)',
          'exceptions["2027-03-23T10:00"]: 2027-03-23T10:00 is not a start of the series (nearest occurrences: 2027-03-23T09:00, 2027-03-24T09:00)',
          'exceptions["2027-02-26"]: 2027-02-26 is not a date of the series (nearest occurrences: 2027-03-01T09:00)',
        ],
      );
    });

    problemCases([
      {
        it: "a moved start that the clocks skip is an error naming the exception",
        args: {
          recurrence: "FREQ=DAILY",
          startsAt: "2027-03-27T09:00",
          timeZone: "Europe/Berlin",
          horizon: "3d",
          exceptions: { "2027-03-28": { startsAt: "02:30" } },
        },
        ctx: { asOf: "2027-03-27" },
        problems: [
          'exceptions["2027-03-28"].startsAt: 2027-03-28T02:30 does not exist in Europe/Berlin (the clocks skip it for daylight saving time)',
        ],
      },
    ]);
  });

  describe("the window [today - keep, today + horizon)", function () {
    // UTC zone: the edges are exact instants, easy to read.
    const daily = series("FREQ=DAILY", "2027-03-01T00:00", "UTC", { duration: "1h", horizon: "3d" });

    planCases([
      {
        it: "an occurrence starting exactly at today + horizon is outside; one starting at today 00:00 is inside",
        args: daily,
        ctx: { asOf: "2027-03-10" },
        view: "keys",
        rooms: ["2027-03-10T00:00", "2027-03-11T00:00", "2027-03-12T00:00"],
      },
      {
        it: "one minute more of horizon takes in the occurrence at its end",
        args: { ...daily, horizon: "3d1m" },
        ctx: { asOf: "2027-03-10" },
        view: "keys",
        rooms: ["2027-03-10T00:00", "2027-03-11T00:00", "2027-03-12T00:00", "2027-03-13T00:00"],
      },
    ]);

    it("keep: an occurrence stays while end + keep is after today 00:00 (exactly at it, it is gone)", function () {
      const yesterday = "2027-03-09T00:00"; // ends 01:00 on the 9th
      assert.ok(
        !plan({ ...daily, keep: "23h" }, { asOf: "2027-03-10" }).rooms.some((o) => o.key === yesterday),
        "01:00 + 23h = today 00:00: gone",
      );
      assert.ok(plan({ ...daily, keep: "23h1m" }, { asOf: "2027-03-10" }).rooms.some((o) => o.key === yesterday));
      const evening = plan({ ...daily, startsAt: "2027-03-01T20:00" }, { asOf: "2027-03-10" });
      assert.equal(
        evening.rooms[0]?.key,
        "2027-03-09T20:00",
        "ended 21:00 yesterday, + 6 h default keep = 03:00 today: still kept",
      );
    });

    it("today is the UTC day of the clock when asOf is not set, so one day's runs plan the same rooms", function () {
      const early = plan(daily, { asOf: undefined, now: new Date("2027-03-10T00:00:01Z") });
      const late = plan(daily, { asOf: undefined, now: new Date("2027-03-10T23:59:59Z") });
      assert.equal(early.window.asOf, "2027-03-10");
      assert.deepEqual(utc(early), utc(late));
      assert.deepEqual(utc(plan(daily, { asOf: "2027-03-10" })), utc(early));
    });

    it("asOf one day later: exactly one occurrence enters and one leaves", function () {
      const a = plan(daily, { asOf: "2027-03-10" }).rooms.map((o) => o.roomId);
      const b = plan(daily, { asOf: "2027-03-11" }).rooms.map((o) => o.roomId);
      assert.deepEqual(
        b.filter((id) => !a.includes(id)),
        ["standup-" + plan(daily).prefix.split("-")[1] + "-20270313-0000"],
      );
      assert.deepEqual(
        a.filter((id) => !b.includes(id)),
        [a[0]],
      );
    });
  });

  describe("room IDs", function () {
    const base = series("FREQ=WEEKLY;BYDAY=MO", "2027-03-01T09:00", "Europe/Berlin");

    it("<name>-<6 hex of scopeHash(project, stack, name)>-YYYYMMDD-HHMM, different per stack and project", function () {
      const dev = plan(base);
      assert.match(dev.rooms[0]?.roomId ?? "", /^standup-[0-9a-f]{6}-20270322-0900$/);
      assert.equal(dev.rooms[0]?.resourceName, "standup-2027-03-22T0900");
      assert.notEqual(plan(base, { stack: "prod" }).prefix, dev.prefix);
      assert.notEqual(plan(base, { project: "other" }).prefix, dev.prefix);
      assert.equal(
        plan(base, { asOf: "2027-03-29" }).rooms[0]?.roomId,
        dev.rooms[1]?.roomId,
        "an occurrence keeps its ID as the window rolls",
      );
      assert.equal(plan({ ...base, roomIdPrefix: "team-standup" }).rooms[0]?.roomId, "team-standup-20270322-0900");
    });

    it("too long: a clear error with the limit and the fix", function () {
      const longest = "s".repeat(MAX_PREFIX_BYTES - 7);
      assert.equal(Buffer.byteLength(plan(base, {}, longest).rooms[0]?.roomId ?? ""), 48);
      const [problem] = problems(base, {}, `${longest}x`);
      assert.match(
        problem ?? "",
        /^name: room IDs such as "s+x-[0-9a-f]{6}-20270301-0900" would be 49 bytes, over Tencent's 48: shorten the series name to at most 27 bytes, or set a roomIdPrefix of at most 34 bytes$/,
      );
      assert.deepEqual(problems({ ...base, roomIdPrefix: "ü".repeat(18) }), [
        `roomIdPrefix: room IDs such as "${"ü".repeat(18)}-20270301-0900" would be 50 bytes, over Tencent's 48: shorten roomIdPrefix to at most 34 bytes`,
      ]);
    });
  });

  describe("argument problems: every one named, at once", function () {
    it("rule parts, calendar dates, zone, duration bounds, spans, exception keys and overrides, asOf", function () {
      const found = problems(
        {
          recurrence: "FREQ=WEEKLY;BYDAY=MO,XX;FOO=1;BYSECOND=5;COUNT=2;UNTIL=20270401",
          startsAt: "2027-02-30T09:00",
          timeZone: "Europe/Berlinn",
          duration: "4m",
          horizon: "1y",
          keep: "8d",
          exceptions: {
            tomorrow: "skip",
            "2027-03-02": { startsAt: "25:00", roomId: "x", colour: "red" },
            "2027-03-03": "cancel",
          },
          horizen: "7d",
        },
        { asOf: "2027-3-22" },
      );
      const expected = [
        /^recurrence: rule part BYDAY "XX" is not a weekday/,
        /^recurrence: unknown rule part "FOO"/,
        /^recurrence: rule part BYSECOND: rooms are scheduled to the minute/,
        /^recurrence: rule parts COUNT and UNTIL must not both be given/,
        /^startsAt must be a local date-time YYYY-MM-DDTHH:MM that exists in the calendar, got "2027-02-30T09:00"$/,
        /^timeZone "Europe\/Berlinn" is not a time zone the IANA database knows/,
        /^duration must be from 5 minutes to 24 hours .*got "4m"$/,
        /^horizon must be a span such as/,
        /^keep must be from "0m" to 7 days, got "8d"$/,
        /^exceptions\["tomorrow"\]: exception key "tomorrow" must be a local date YYYY-MM-DD/,
        /^exceptions\["2027-03-02"\]\.roomId is set by the series/,
        /^exceptions\["2027-03-02"\]\.colour is not a room input/,
        /^exceptions\["2027-03-02"\]\.startsAt must be "HH:MM"/,
        /^exceptions\["2027-03-03"\]: an exception must be "skip" or an object of overrides/,
        /^unknown argument "horizen" \(a series takes recurrence, startsAt/,
        /^config pulumi-rooms:asOf must be a date YYYY-MM-DD/,
      ];
      assert.equal(found.length, expected.length, found.join("\n"));
      expected.forEach((re, i) => assert.match(found[i] ?? "", re));
    });

    it("duration bounds are the Room Engine's: 5 min and 24 h are allowed, beyond is not", function () {
      const base = series("FREQ=DAILY", "2027-03-22T09:00", "UTC");
      assert.equal(
        plan({ ...base, duration: "5m" }).rooms[0]?.endUnix,
        (plan({ ...base, duration: "5m" }).rooms[0]?.startUnix ?? 0) + 300,
      );
      assert.equal(plan({ ...base, duration: "24h" }).rooms.length > 0, true);
      assert.match(problems({ ...base, duration: "24h1m" })[0] ?? "", /^duration must be from 5 minutes to 24 hours/);
      assert.match(problems({ ...base, duration: "15" })[0] ?? "", /^duration must be a span such as "15m"/);
    });

    problemCases([
      {
        it: "a start that is not an occurrence",
        args: series("FREQ=WEEKLY;BYDAY=MO", "2027-03-02T09:00", "Europe/Berlin"),
        problems: [
          "startsAt: 2027-03-02T09:00 is not an occurrence of recurrence FREQ=WEEKLY;BYDAY=MO (its first occurrence from there is 2027-03-08T09:00): start the series on an occurrence",
        ],
      },
      {
        it: "a start that the clocks skip",
        args: series("FREQ=DAILY", "2027-03-28T02:30", "Europe/Berlin"),
        problems: [
          "startsAt: 2027-03-28T02:30 does not exist in Europe/Berlin (the clocks skip it for daylight saving time)",
        ],
      },
      {
        it: "a missing FREQ",
        args: series("INTERVAL=2", "2027-03-22T09:00", "UTC"),
        problems: ["recurrence: rule part FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)"],
      },
      {
        it: "a FREQ of another unit, and an offset for a zone",
        args: series("FREQ=HOURLY", "2027-03-22T09:00", "+01:00"),
        problems: [
          'recurrence: rule part FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY, got "HOURLY"',
          'timeZone "+01:00" is not a time zone the IANA database knows (e.g. Europe/Berlin, America/New_York, UTC)',
        ],
      },
    ]);
  });
});
