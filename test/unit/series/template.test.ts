/**
 * The room template and the exceptions' room inputs of a MeetingSeries, checked once when it is planned
 * (provider/series/template.ts): each problem once, with its path and the occurrences it reaches. Pure.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { RoomsError } from "../../../provider/core/errors";
import { planSeries } from "../../../provider/series/plan";
import { SeriesArgumentError } from "../../../provider/series/schema";
import { templateProblems } from "../../../provider/series/template";
import { CTX } from "../../support/series-plan";

const DAILY = {
  recurrence: "FREQ=DAILY",
  startsAt: "2027-03-22T09:00",
  timeZone: "Europe/Berlin",
  duration: "15m",
  horizon: "5d",
  keep: "0m",
};

function problemsOf(args: Record<string, unknown>, template: Record<string, unknown>): string[] {
  try {
    planSeries("standup", args, CTX, template);
  } catch (error) {
    assert.ok(error instanceof SeriesArgumentError, String(error));
    return [...error.problems];
  }
  return assert.fail("expected a SeriesArgumentError");
}

describe("unit: MeetingSeries room template", function () {
  it("a broken template value is one problem with its path and every occurrence it reaches", function () {
    const [problem, ...rest] = problemsOf(DAILY, { roomName: "x".repeat(101) });
    assert.deepEqual(rest, []);
    assert.match(
      problem ?? "",
      /^room\.roomName must be at most 100 bytes \(UTF-8\), got 101 bytes \(affects all 5 occurrences in the window: standup-[0-9a-f]{6}-20270322-0900, standup-[0-9a-f]{6}-20270323-0900, standup-[0-9a-f]{6}-20270324-0900 and 2 more\)$/,
    );
  });

  it("an exception that sets the field takes its occurrence out of the count; its own bad value has its path", function () {
    const problems = problemsOf(
      { ...DAILY, exceptions: { "2027-03-23": { roomName: "Fine" }, "2027-03-24": { maxMemberCount: 0 } } },
      { roomName: "x".repeat(101), maxMemberCount: 10, ownerAccount: "pm-lead" },
    );
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(
      problems[0] ?? "",
      /^room\.roomName must be at most 100 bytes .* \(affects 4 of the 5 occurrences in the window: /,
    );
    assert.doesNotMatch(problems[0] ?? "", /20270323/);
    assert.equal(problems[1], 'exceptions["2027-03-24"].maxMemberCount must be at least 1');
  });

  it("names a misspelt or series-owned template input, and lists template problems with the other arguments'", function () {
    const problems = problemsOf({ ...DAILY, timeZone: "Europe/Berlinn" }, { roomNmae: "x", roomId: "fixed" });
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0] ?? "", /^timeZone "Europe\/Berlinn"/);
    assert.equal(
      problems[1],
      "room.roomId is set by the series for each occurrence (use roomIdPrefix, startsAt and duration)",
    );
    assert.match(problems[2] ?? "", /^room\.roomNmae: unknown input "roomNmae" \(did you mean "roomName"\?\)/);
  });

  it("leaves values not known yet (Outputs, promises) to each room's check", function () {
    const template = { roomName: pulumi.output("x".repeat(101)), maxMemberCount: Promise.resolve(0) };
    assert.deepEqual(templateProblems(template, {}, []), []);
    assert.equal(planSeries("standup", DAILY, CTX, template).rooms.length, 5);
  });

  it("a series argument error is a RoomsError that Pulumi's runtime prints without a stack trace", function () {
    const error = new SeriesArgumentError("standup", ["timeZone: x"]);
    assert.ok(error instanceof RoomsError);
    assert.ok(pulumi.RunError.isInstance(error), "RunError.isInstance: message only, no stack");
    assert.ok(!Object.keys(error).includes("__pulumiRunError"), "not listed by util.inspect");
  });
});
