// Schedule view: Tencent rooms (each a meeting from ScheduleStartTime to ScheduleEndTime) on a week timeline
// in the viewer's zone, UTC on hover.
import { $, addDays, el, isoDate, localDateTime, localTime, pad, startOfWeek, utcDateTime } from "./dom.js";

/** Tencent rooms as meetings, earliest first. */
export function meetings(data) {
  return data.rooms.tencent
    .map((r) => ({
      id: r.RoomId,
      name: r.RoomName,
      start: r.ScheduleStartTime * 1000,
      end: r.ScheduleEndTime * 1000,
      owner: r.Owner_Account,
      invitees: r.Invitees.length,
      declared: (data.declaredBy.tencent[r.RoomId] || []).map((d) => `stack ${d.stack}: ${d.urn}`),
    }))
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

/** Pieces of meetings per day column, with side-by-side lanes where they overlap. */
function layoutDay(dayStart, dayEnd, list) {
  const pieces = list
    .filter((m) => m.start < dayEnd && m.end > dayStart)
    .map((m) => ({ m, from: Math.max(m.start, dayStart), to: Math.min(m.end, dayEnd) }));
  const laneEnds = [];
  for (const p of pieces) {
    let lane = laneEnds.findIndex((end) => end <= p.from);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = p.to;
    p.lane = lane;
  }
  for (const p of pieces) p.lanes = laneEnds.length;
  return pieces;
}

/** Renders the week `state.weekStart` (Monday 00:00 local). */
export function renderSchedule(state) {
  if (!state.weekChosen) {
    // Opened without a week: this week, unless it has no meeting and a later week does.
    state.weekChosen = true;
    const end = addDays(state.weekStart, 7);
    const list = meetings(state.data);
    const next = list.find((m) => m.end > Date.now());
    if (next && !list.some((m) => m.start < end && m.end > state.weekStart)) state.weekStart = startOfWeek(next.start);
  }
  const weekStart = state.weekStart;
  const weekEnd = addDays(weekStart, 7);
  const all = meetings(state.data);
  const now = Date.now();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date(weekStart).getTimezoneOffset();
  $("week-label").textContent =
    `Week of ${new Date(weekStart).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}`;
  $("week-zone").textContent =
    `times in your time zone, ${zone} (UTC${offset >= 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}); hover a meeting for UTC`;
  const key = JSON.stringify([weekStart, all, Math.floor(now / 60000)]);
  if (key === state.scheduleKey) return;
  state.scheduleKey = key;

  const grid = $("week");
  const cells = [el("div", { class: "head" })];
  for (let i = 0; i < 7; i++) {
    const day = addDays(weekStart, i);
    const today = day <= now && now < addDays(day, 1);
    cells.push(
      el("div", {
        class: today ? "head today" : "head",
        text: new Date(day).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" }),
      }),
    );
  }
  const hours = el("div", { class: "hours" });
  for (let h = 1; h < 24; h++) {
    const label = el("span", { class: "hour", text: `${pad(h)}:00` });
    label.style.top = `${(h / 24) * 100}%`;
    hours.append(label);
  }
  cells.push(hours);
  for (let i = 0; i < 7; i++) {
    const dayStart = addDays(weekStart, i);
    const dayEnd = addDays(weekStart, i + 1);
    const span = dayEnd - dayStart; // 23 or 25 h on a daylight-saving day
    const today = dayStart <= now && now < dayEnd;
    const column = el("div", { class: today ? "day today" : "day", "data-day": isoDate(dayStart) });
    for (const p of layoutDay(dayStart, dayEnd, all)) {
      const m = p.m;
      const block = el(
        "div",
        {
          class: `meeting${m.end <= now ? " past" : ""}${p.to - p.from < 40 * 60000 ? " short" : ""}`,
          "data-meeting": m.id,
          title: `${m.name} (${m.id})\n${localDateTime(m.start)} – ${localDateTime(m.end)} your time\n${utcDateTime(m.start)} – ${utcDateTime(m.end)}\nowner ${m.owner}, ${m.invitees} invitee(s)${m.declared.map((d) => `\ndeclared by ${d}`).join("")}`,
        },
        [
          el("strong", { text: m.name }),
          " ",
          el("span", { class: "when", text: `${localTime(m.start)}–${localTime(m.end)}` }),
        ],
      );
      block.style.top = `${((p.from - dayStart) / span) * 100}%`;
      block.style.height = `${Math.max(((p.to - p.from) / span) * 100, 1.5)}%`;
      block.style.left = `${(p.lane / p.lanes) * 100}%`;
      block.style.width = `${100 / p.lanes}%`;
      column.append(block);
    }
    if (today) {
      const line = el("div", { class: "nowline", title: `now: ${localDateTime(now)} (${utcDateTime(now)})` });
      line.style.top = `${((now - dayStart) / span) * 100}%`;
      column.append(line);
    }
    cells.push(column);
  }
  grid.replaceChildren(...cells);
  const before = all.filter((m) => m.end <= weekStart).length;
  const after = all.filter((m) => m.start >= weekEnd).length;
  $("week-outside").textContent = all.length
    ? `${all.length - before - after} of ${all.length} Tencent meetings fall in this week; ${before} before it, ${after} after it.`
    : "No Tencent rooms yet: each TencentRoom is a scheduled meeting (ScheduleStartTime to ScheduleEndTime).";
}

export function showWeek(ms) {
  location.hash = `#schedule?week=${isoDate(startOfWeek(ms))}`;
}
