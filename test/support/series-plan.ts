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

/** How a case reads a plan's rooms: "key UTC..UTC", the local key, the local day, or the zoned start. */
export type RoomView = "utc" | "keys" | "days" | "starts";

/** Each room of `p` as `view` reads it. */
export function roomsAs(p: SeriesPlan, view: RoomView): string[] {
  if (view === "utc") return utc(p);
  if (view === "starts") return p.rooms.map((o) => o.start.toString());
  return p.rooms.map((o) => (view === "days" ? o.key.slice(0, 10) : o.key));
}

/** A fixed case: a series planned (as of a day), and the rooms it must yield. */
export interface PlanCase {
  readonly it: string;
  readonly args: Record<string, unknown>;
  readonly ctx?: Partial<PlanContext>;
  readonly view: RoomView;
  readonly rooms: readonly string[];
  /** More to check on the plan. */
  readonly also?: (p: SeriesPlan) => void;
}

/** One test per case: the plan's rooms, read by the case's view, are the case's rooms. */
export function planCases(cases: readonly PlanCase[]): void {
  for (const c of cases)
    it(c.it, function () {
      const p = plan(c.args, c.ctx);
      assert.deepEqual(roomsAs(p, c.view), c.rooms);
      c.also?.(p);
    });
}

/** A fixed case of arguments that cannot be planned, and the problems named (every one, in order). */
export interface ProblemCase {
  readonly it: string;
  readonly args: Record<string, unknown>;
  readonly ctx?: Partial<PlanContext>;
  readonly problems: readonly string[];
}

/** One test per case: planning fails naming exactly the case's problems. */
export function problemCases(cases: readonly ProblemCase[]): void {
  for (const c of cases) it(c.it, () => assert.deepEqual(problems(c.args, c.ctx), c.problems));
}

/** Series arguments: the rule, the first local start and the zone, then any others. */
export function series(
  recurrence: string,
  startsAt: string,
  timeZone: string,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return { recurrence, startsAt, timeZone, ...more };
}
