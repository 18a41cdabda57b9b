// The console's small helpers: DOM building and times in the viewer's zone (and UTC).

export function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "text") {
      if (v !== undefined && v !== null) node.textContent = String(v);
      continue;
    }
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children || []) if (c !== null && c !== undefined) node.append(c);
  return node;
}
export const $ = (id) => document.getElementById(id);
export const pad = (n, w = 2) => String(n).padStart(w, "0");

export function localDateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function localTime(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function utcDateTime(ms) {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
export function startOfWeek(ms) {
  // Monday 00:00 in the viewer's time zone.
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d.getTime();
}
export function addDays(ms, days) {
  const d = new Date(ms);
  d.setDate(d.getDate() + days); // calendar days: right across daylight-saving changes
  return d.getTime();
}
export function isoDate(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
