/** MeetingSeries planning helpers for the expansion tests: a fixed context, a plan, its UTC view, its problems. */
import { strict as assert } from "node:assert";
import { planSeries, type PlanContext, type SeriesPlan } from "../../provider/series/plan";
import { SeriesArgumentError } from "../../provider/series/schema";

/** The context every case plans in unless it overrides a field. */
export const CTX: PlanContext = { project: "rooms-test", stack: "dev", asOf: "2027-03-22" };

/** Plans a 15-minute series named `name` (arguments and context override the defaults). */
export function plan(args: Record<string, unknown>, ctx: Partial<PlanContext> = {}, name = "standup"): SeriesPlan {
  return planSeries(name, { duration: "15m", ...args }, { ...CTX, ...ctx });
}

/** Each room as "local key -> UTC start..end". */
export function utc(p: SeriesPlan): string[] {
  return p.rooms.map((o) => `${o.key} ${o.start.toInstant().toString()}..${o.end.toInstant().toString()}`);
}

/** The problems a SeriesArgumentError names; fails when planning succeeds. */
export function problems(args: Record<string, unknown>, ctx: Partial<PlanContext> = {}, name = "standup"): string[] {
  try {
    plan(args, ctx, name);
  } catch (error) {
    assert.ok(error instanceof SeriesArgumentError, String(error));
    assert.match(error.message, new RegExp(`^MeetingSeries "${name}" has invalid arguments:`));
    return [...error.problems];
  }
  assert.fail("expected a SeriesArgumentError");
}
