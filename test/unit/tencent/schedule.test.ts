/** The warning for a TencentRoom whose declared schedule is already past (provider/tencent/schedule.ts). */
import assert from "node:assert/strict";
import { pastScheduleWarning } from "../../../provider/tencent/schedule";

const NOW = Date.parse("2027-03-01T12:00:00Z") / 1000;

describe("unit: TencentRoom schedule in the past", function () {
  it("names the end when the meeting is over (the end defaults to start + 1 hour)", function () {
    assert.equal(
      pastScheduleWarning({ scheduleStartTime: "2027-03-01T09:00:00+01:00" }, NOW),
      "scheduleEndTime 2027-03-01T09:00:00Z is already past (now 2027-03-01T12:00:00Z): the meeting is over; a room created for it is Running at once, and the vendor recycles an ended, empty room about 6 hours after its end",
    );
  });

  it("names the start when the meeting has begun", function () {
    assert.match(
      pastScheduleWarning({ scheduleStartTime: NOW - 60, scheduleEndTime: NOW + 3600 }, NOW) ?? "",
      /^scheduleStartTime 2027-03-01T11:59:00Z is already past \(now 2027-03-01T12:00:00Z\): a room created for it is Running at once, not NotStarted$/,
    );
  });

  it("says nothing for a future schedule, no start (it defaults to the time of creation) or an invalid value", function () {
    assert.equal(pastScheduleWarning({ scheduleStartTime: NOW + 60 }, NOW), undefined);
    assert.equal(pastScheduleWarning({}, NOW), undefined);
    assert.equal(pastScheduleWarning({ scheduleEndTime: NOW - 60 }, NOW), undefined);
    assert.equal(pastScheduleWarning({ scheduleStartTime: "yesterday" }, NOW), undefined);
  });
});
