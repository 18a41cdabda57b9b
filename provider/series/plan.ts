/**
 * The plan of one run of a series: validated arguments, the window, and the occurrences that exist as rooms
 * (with their room IDs and resource names). Pure: the component (resource.ts) only turns it into rooms.
 */
import type { Temporal } from "temporal-polyfill";
import { expand, type Expansion, type Occurrence } from "./expand";
import { occurrenceResourceName, occurrenceRoomId, seriesPrefix } from "./ids";
import { parseSpec, SeriesArgumentError, type SeriesSpec } from "./schema";
import { templateProblems } from "./template";
import { inWindow, seriesWindow, type SeriesWindow } from "./window";

/** An occurrence that exists as a room in this run. */
export interface PlannedOccurrence extends Occurrence {
  roomId: string;
  resourceName: string;
  /** Unix seconds, as the Room Engine takes them. */
  startUnix: number;
  endUnix: number;
}

export interface SeriesPlan {
  spec: SeriesSpec;
  window: SeriesWindow;
  prefix: string;
  expansion: Expansion;
  /** The rooms of this run, by original start. */
  rooms: PlannedOccurrence[];
}

/** Where and when the program runs. */
export interface PlanContext {
  project: string;
  stack: string;
  /** The config value `pulumi-rooms:asOf`, if set. */
  asOf?: string;
  /** The clock, when asOf is not set. */
  now?: Date;
}

const unix = (t: Temporal.ZonedDateTime) => Math.floor(t.epochMilliseconds / 1000);

/**
 * Plans series `name` from its plain arguments. Throws a SeriesArgumentError naming every problem (arguments,
 * asOf, room-ID length, exceptions that name no occurrence, the room template's and the exceptions' room
 * inputs with the occurrences they reach) at once.
 */
export function planSeries(
  name: string,
  raw: unknown,
  ctx: PlanContext,
  template: Record<string, unknown> = {},
): SeriesPlan {
  const problems: string[] = [];
  const { spec, problems: specProblems } = parseSpec(raw);
  problems.push(...specProblems);
  const explicitPrefix =
    raw !== null && typeof raw === "object" && typeof (raw as { roomIdPrefix?: unknown }).roomIdPrefix === "string"
      ? (raw as { roomIdPrefix: string }).roomIdPrefix
      : undefined;
  const { prefix, problems: idProblems } = seriesPrefix(name, ctx.project, ctx.stack, explicitPrefix);
  problems.push(...idProblems);
  const { window, problems: windowProblems } = seriesWindow(
    ctx.asOf,
    ctx.now ?? new Date(),
    spec?.horizon ?? 0,
    spec?.keep ?? 0,
  );
  problems.push(...windowProblems);
  let expansion: Expansion | undefined;
  if (spec && window) {
    const expanded = expand(spec, window.until);
    problems.push(...expanded.problems);
    expansion = expanded.expansion;
  }
  const rooms = expansion?.occurrences
    .filter((o) => window !== undefined && inWindow(o, window))
    .map((o) => ({
      ...o,
      roomId: occurrenceRoomId(prefix, o.key),
      resourceName: occurrenceResourceName(name, o.key),
      startUnix: unix(o.start),
      endUnix: unix(o.end),
    }));
  // Checked once here, so a broken template value is one problem, not one check failure per room.
  problems.push(...templateProblems(template, spec?.exceptions ?? {}, rooms));
  if (problems.length || !spec || !window || !expansion || !rooms) throw new SeriesArgumentError(name, problems);
  return { spec, window, prefix, expansion, rooms };
}
