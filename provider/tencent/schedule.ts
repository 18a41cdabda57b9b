/**
 * A TencentRoom whose declared schedule already lies in the past: the Room Engine creates it all the same,
 * Running at once, and recycles an ended, empty room about 6 hours after its end (create_room,
 * https://trtc.io/document/60707). Nothing fails, so the program is told with a warning. Pure.
 */
import { normaliseKnownInputs } from "./schema";

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/**
 * The warning for a schedule (ISO-8601 text or Unix seconds, as a program writes them) that is past at
 * `nowSeconds`, naming the field and its time; undefined when nothing is past, when no start is declared
 * (it defaults to the time of creation) or when a value is invalid (check reports that).
 */
export function pastScheduleWarning(
  schedule: { scheduleStartTime?: unknown; scheduleEndTime?: unknown },
  nowSeconds: number,
): string | undefined {
  const { scheduleStartTime: start, scheduleEndTime: end } = normaliseKnownInputs({
    scheduleStartTime: schedule.scheduleStartTime,
    scheduleEndTime: schedule.scheduleEndTime,
  });
  if (typeof start !== "number" || typeof end !== "number") return undefined;
  const now = iso(nowSeconds);
  if (end <= nowSeconds)
    return `scheduleEndTime ${iso(end)} is already past (now ${now}): the meeting is over; a room created for it is Running at once, and the vendor recycles an ended, empty room about 6 hours after its end`;
  if (start <= nowSeconds)
    return `scheduleStartTime ${iso(start)} is already past (now ${now}): a room created for it is Running at once, not NotStarted`;
  return undefined;
}
