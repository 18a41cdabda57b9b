// The emulator console's entry point: polls GET /_emulator/console once a second, keeps the request log,
// routes between the four views (#rooms, #schedule, #schedule?week=YYYY-MM-DD, #requests, #controls).
// Plain browser modules, no build step. Every value from the emulator goes into the page through
// textContent or attributes, never innerHTML: room names and attributes are whatever API callers sent.
import { renderControls, wireControls } from "./controls.js";
import { $, addDays, el, localTime, pad, startOfWeek } from "./dom.js";
import { renderRequests } from "./requests.js";
import { renderRooms } from "./rooms.js";
import { meetings, renderSchedule, showWeek } from "./schedule.js";

const POLL_MS = 1000;
const LOG_MAX = 2000;

const state = {
  data: null,
  lastSeq: 0,
  clearedAfter: 0,
  log: [], // newest first
  weekStart: startOfWeek(Date.now()),
  weekChosen: false, // by the URL or a button; until then the first data may move to the next meeting's week
  charts: {},
  controlsFilled: false,
};

function route() {
  const hash = location.hash.replace(/^#/, "") || "rooms";
  const [view, query] = hash.split("?");
  const week = new URLSearchParams(query || "").get("week");
  if (view === "schedule" && week && /^\d{4}-\d{2}-\d{2}$/.test(week)) {
    const [y, m, d] = week.split("-").map(Number);
    state.weekStart = startOfWeek(new Date(y, m - 1, d).getTime());
    state.weekChosen = true;
  }
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.dataset.view !== view;
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  render();
}

/** Fetches the data once and merges the new request-log events. */
async function refresh() {
  try {
    const res = await fetch(`/_emulator/console?since=${state.lastSeq}`, { cache: "no-store" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = await res.json();
    const requests = data.requests;
    if (requests.clearedAfter > state.clearedAfter) {
      state.clearedAfter = requests.clearedAfter;
      state.log = state.log.filter((e) => e.seq > requests.clearedAfter);
    }
    for (const e of requests.events) if (e.seq > state.lastSeq) state.log.unshift(e);
    if (state.log.length > LOG_MAX) state.log.length = LOG_MAX;
    state.lastSeq = Math.max(state.lastSeq, requests.latestSeq);
    state.data = data;
    setLive("live", `live ${localTime(Date.now())}:${pad(new Date().getSeconds())}`);
    render();
  } catch (err) {
    setLive("down", `emulator not reachable (${err.message}); retrying`);
  }
}

async function poll() {
  await refresh();
  setTimeout(poll, POLL_MS);
}

function setLive(s, text) {
  const live = $("live");
  live.dataset.state = s;
  live.textContent = text;
}

function render() {
  if (!state.data) return;
  renderApps();
  renderRooms(state);
  renderSchedule(state);
  renderRequests(state);
  renderControls(state);
}

function renderApps() {
  const apps = state.data.apps;
  const items = [
    ["Tencent SDKAppID", apps.tencent.sdkAppId],
    ["admin", apps.tencent.identifier],
    ["SecretKey", apps.tencent.secretKey],
    ["ZEGO AppID", apps.zego.appId],
    ["FromUserId", apps.zego.fromUserId],
    ["ServerSecret", apps.zego.serverSecret],
  ];
  const box = $("apps");
  if (box.childElementCount) return;
  for (const [k, v] of items) box.append(el("div", {}, [el("dt", { text: k }), el("dd", { text: v })]));
}

window.addEventListener("hashchange", route);
for (const id of ["room-search", "room-vendor", "req-vendor", "req-failed", "req-search"])
  $(id).addEventListener("input", render);
$("week-prev").addEventListener("click", () => showWeek(addDays(state.weekStart, -7)));
$("week-next").addEventListener("click", () => showWeek(addDays(state.weekStart, 7)));
$("week-today").addEventListener("click", () => showWeek(Date.now()));
$("week-upcoming").addEventListener("click", () => {
  if (!state.data) return;
  const next = meetings(state.data).find((m) => m.end > Date.now());
  if (next) showWeek(next.start);
});
wireControls(state, refresh);
route();
poll();
