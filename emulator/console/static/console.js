// The emulator console's script: polls GET /_emulator/console once a second and renders the four views.
// Plain browser JavaScript, no build step. Every value from the emulator goes into the page through
// textContent or attributes, never innerHTML: room names and attributes are whatever API callers sent.
/* global uPlot */
"use strict";

(function () {
  const TOKEN = document.querySelector('meta[name="emulator-token"]').getAttribute("content");
  const POLL_MS = 1000;
  const CHART_SECONDS = 120;
  const LOG_MAX = 2000;
  const DAY_MS = 86400000;
  const PALETTE = ["#0a6cff", "#6c2bd9", "#14804a", "#c4320a", "#b54708", "#0e9384", "#c11574", "#475467"];

  const state = {
    data: null,
    lastSeq: 0,
    clearedAfter: 0,
    log: [], // newest first
    roomsKey: "",
    weekStart: startOfWeek(Date.now()),
    weekChosen: false, // by the URL or a button; until then the first data may move to the next meeting's week
    charts: {},
    controlsFilled: false,
  };

  // ---------- small DOM helpers ----------
  function el(tag, props, children) {
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
  const $ = (id) => document.getElementById(id);
  const pad = (n, w = 2) => String(n).padStart(w, "0");

  function localDateTime(ms) {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function localTime(ms) {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function utcDateTime(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }
  function startOfWeek(ms) {
    // Monday 00:00 in the viewer's time zone.
    const d = new Date(ms);
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
    return d.getTime();
  }
  function addDays(ms, days) {
    const d = new Date(ms);
    d.setDate(d.getDate() + days); // calendar days: right across daylight-saving changes
    return d.getTime();
  }
  function isoDate(ms) {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  // ---------- navigation (#rooms, #schedule, #schedule?week=YYYY-MM-DD, #requests, #controls) ----------
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
  window.addEventListener("hashchange", route);

  // ---------- polling ----------
  async function poll() {
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
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  function setLive(s, text) {
    const live = $("live");
    live.dataset.state = s;
    live.textContent = text;
  }

  function render() {
    if (!state.data) return;
    renderApps();
    renderRooms();
    renderSchedule();
    renderRequests();
    renderControls();
  }

  function renderApps() {
    const apps = state.data.apps;
    const items = [
      ["Tencent SDKAppID", apps.tencent.sdkAppId], ["admin", apps.tencent.identifier], ["SecretKey", apps.tencent.secretKey],
      ["ZEGO AppID", apps.zego.appId], ["FromUserId", apps.zego.fromUserId], ["ServerSecret", apps.zego.serverSecret],
    ];
    const box = $("apps");
    if (box.childElementCount) return;
    for (const [k, v] of items) box.append(el("div", {}, [el("dt", { text: k }), el("dd", { text: v })]));
  }

  // ---------- Rooms ----------
  const TENCENT_TIMES = new Set(["ScheduleStartTime", "ScheduleEndTime", "CreateTime"]);

  function fieldValue(key, value) {
    if (TENCENT_TIMES.has(key)) return [localDateTime(value * 1000), `${value} (${utcDateTime(value * 1000)})`];
    if ((key === "createdAt" || key === "destroyAt") && typeof value === "number") return [localDateTime(value), `${value} (${utcDateTime(value)})`];
    if (value === null) return ["—", "null"];
    if (typeof value === "string" && value === "") return ['""', "empty string"];
    return [typeof value === "object" ? JSON.stringify(value) : String(value), undefined];
  }

  function fieldList(record, skip) {
    const dl = el("dl", { class: "fields" });
    for (const [k, v] of Object.entries(record)) {
      if (skip.includes(k)) continue;
      const [shown, title] = fieldValue(k, v);
      dl.append(el("div", { class: "field" }, [el("dt", { text: k }), el("dd", { "data-field": k, title, text: shown })]));
    }
    return dl;
  }

  function tencentCard(room, nowMs) {
    const status = nowMs < room.ScheduleStartTime * 1000 ? "NotStarted" : "Running";
    const card = el("article", { class: "card tencent", "data-room": `tencent:${room.RoomId}` }, [
      el("h3", {}, [el("span", { class: "badge", text: "Tencent" }), el("span", { class: "name", text: room.RoomName }), el("code", { text: room.RoomId }), el("span", { class: "badge status", text: status })]),
      fieldList(room, ["Invitees", "Members"]),
      el("h4", { text: `Invitees (${room.Invitees.length})` }),
      el("div", { class: "muted", "data-list": "invitees", text: room.Invitees.join(", ") || "none" }),
      el("h4", { text: `Members (${room.Members.length})` }),
    ]);
    card.append(
      room.Members.length
        ? el("table", {}, [
            el("thead", {}, [el("tr", {}, ["Member_Account", "Role", "NameCard", "CustomInfo", "Marks"].map((h) => el("th", { text: h })))]),
            el("tbody", {}, room.Members.map((m) => el("tr", {}, [m.Member_Account, m.Role, m.NameCard, m.CustomInfo, JSON.stringify(m.Marks)].map((v) => el("td", { text: v }))))),
          ])
        : el("div", { class: "muted", text: "nobody in the room" }),
    );
    return card;
  }

  function zegoCard(room) {
    const card = el("article", { class: "card zego", "data-room": `zego:${room.roomId}` }, [
      el("h3", {}, [el("span", { class: "badge zego", text: "ZEGO" }), el("span", { class: "name", text: room.roomName || "(no name)" }), el("code", { text: room.roomId })]),
      fieldList(room, ["attributes", "users"]),
      el("h4", { text: `Attributes (${room.attributes.length}) · room AttributeSeq ${room.attributeSeq}` }),
    ]);
    card.append(
      room.attributes.length
        ? el("table", {}, [
            el("thead", {}, [el("tr", {}, ["key", "value", "seq", "autoDelete", "owner"].map((h) => el("th", { text: h, class: h === "seq" ? "num" : undefined })))]),
            el(
              "tbody",
              {},
              room.attributes.map((a) =>
                el("tr", { "data-attr": a.key }, [
                  el("td", {}, [el("code", { text: a.key })]),
                  el("td", { class: "value", text: a.value }),
                  el("td", { class: "num seq", text: a.seq }),
                  el("td", { text: a.autoDelete }),
                  el("td", { text: a.owner }),
                ]),
              ),
            ),
          ])
        : el("div", { class: "muted", text: "no attributes" }),
      el("h4", { text: `Users in the room (${room.users.length})` }),
      el("div", { class: "muted", text: room.users.map((u) => `${u.userId} (${u.userName}, joined ${localDateTime(u.joinedAt)})`).join(", ") || "nobody" }),
    );
    return card;
  }

  function renderRooms() {
    const { rooms, now } = state.data;
    const query = $("room-search").value.trim().toLowerCase();
    const vendor = $("room-vendor").value;
    const key = JSON.stringify([rooms, query, vendor, Math.floor(now / 60000)]);
    $("count-rooms").textContent = String(rooms.tencent.length + rooms.zego.length);
    if (key === state.roomsKey) return;
    state.roomsKey = key;
    const matches = (record) => !query || JSON.stringify(record).toLowerCase().includes(query);
    const cards = [];
    const tencent = [...rooms.tencent].sort((a, b) => a.ScheduleStartTime - b.ScheduleStartTime || a.RoomId.localeCompare(b.RoomId));
    const zego = [...rooms.zego].sort((a, b) => a.roomId.localeCompare(b.roomId));
    if (vendor !== "tencent") for (const r of zego) if (matches(r)) cards.push(zegoCard(r));
    if (vendor !== "zego") for (const r of tencent) if (matches(r)) cards.push(tencentCard(r, now));
    const box = $("rooms");
    box.replaceChildren(...(cards.length ? cards : [el("div", { class: "empty", text: query || vendor ? "No room matches." : "No rooms yet: deploy a stack against this emulator." })]));
    $("room-summary").textContent = `${cards.length} of ${rooms.tencent.length} Tencent + ${rooms.zego.length} ZEGO rooms`;
  }

  // ---------- Schedule ----------
  function meetings() {
    return state.data.rooms.tencent
      .map((r) => ({ id: r.RoomId, name: r.RoomName, start: r.ScheduleStartTime * 1000, end: r.ScheduleEndTime * 1000, owner: r.Owner_Account, invitees: r.Invitees.length }))
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

  function renderSchedule() {
    if (!state.weekChosen) {
      // Opened without a week: this week, unless it has no meeting and a later week does.
      state.weekChosen = true;
      const end = addDays(state.weekStart, 7);
      const list = meetings();
      const next = list.find((m) => m.end > Date.now());
      if (next && !list.some((m) => m.start < end && m.end > state.weekStart)) state.weekStart = startOfWeek(next.start);
    }
    const weekStart = state.weekStart;
    const weekEnd = addDays(weekStart, 7);
    const all = meetings();
    const now = Date.now();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const offset = -new Date(weekStart).getTimezoneOffset();
    $("week-label").textContent = `Week of ${new Date(weekStart).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" })}`;
    $("week-zone").textContent = `times in your time zone, ${zone} (UTC${offset >= 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}); hover a meeting for UTC`;
    const key = JSON.stringify([weekStart, all, Math.floor(now / 60000)]);
    if (key === state.scheduleKey) return;
    state.scheduleKey = key;

    const grid = $("week");
    const cells = [el("div", { class: "head" })];
    for (let i = 0; i < 7; i++) {
      const day = addDays(weekStart, i);
      const today = day <= now && now < addDays(day, 1);
      cells.push(el("div", { class: today ? "head today" : "head", text: new Date(day).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" }) }));
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
            title: `${m.name} (${m.id})\n${localDateTime(m.start)} – ${localDateTime(m.end)} your time\n${utcDateTime(m.start)} – ${utcDateTime(m.end)}\nowner ${m.owner}, ${m.invitees} invitee(s)`,
          },
          [el("strong", { text: m.name }), " ", el("span", { class: "when", text: `${localTime(m.start)}–${localTime(m.end)}` })],
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

  function showWeek(ms) {
    location.hash = `#schedule?week=${isoDate(startOfWeek(ms))}`;
  }

  // ---------- Requests ----------
  function resultText(e) {
    if (e.code === undefined) return e.status ? `HTTP ${e.status}` : "no answer (socket dropped)";
    if (e.code === 0) return e.fault === "lostResponse" ? "0 committed, answer lost" : "0 OK";
    return `${e.code} ${e.meaning || ""}`.trim();
  }
  const FAULT_NAMES = { reset: "connection reset", http502: "HTTP 502", vendorTransient: "vendor retry code", latency: "latency", lostResponse: "lost response" };

  function logRow(e) {
    const failed = e.fault || e.rateLimited || e.code === undefined || e.code !== 0;
    return el("tr", { class: failed ? "failed" : "ok", "data-seq": e.seq, "data-vendor": e.vendor }, [
      el("td", { title: utcDateTime(e.at), text: `${localTime(e.at)}:${pad(new Date(e.at).getSeconds())}.${pad(e.at % 1000, 3)}` }),
      el("td", { text: e.vendor === "tencent" ? "Tencent" : "ZEGO" }),
      el("td", { class: "api", text: e.action }),
      el("td", { class: "room", text: e.roomId || "" }),
      el("td", { class: "result", "data-code": e.code, text: resultText(e) }),
      el("td", { class: "num", text: `${e.latencyMs} ms` }),
      el("td", { class: "fault" }, e.fault ? [el("span", { class: "tag", text: FAULT_NAMES[e.fault] || e.fault })] : []),
      el("td", { class: "limit" }, e.rateLimited ? [el("span", { class: "tag limit", text: "refused by rate limit" })] : []),
    ]);
  }

  function renderRequests() {
    const vendor = $("req-vendor").value;
    const failedOnly = $("req-failed").checked;
    const query = $("req-search").value.trim().toLowerCase();
    const shown = state.log.filter(
      (e) =>
        (!vendor || e.vendor === vendor) &&
        (!failedOnly || e.fault || e.rateLimited || e.code !== 0) &&
        (!query || `${e.action} ${e.roomId || ""} ${e.code ?? ""} ${e.meaning || ""}`.toLowerCase().includes(query)),
    );
    const key = JSON.stringify([state.lastSeq, state.clearedAfter, vendor, failedOnly, query]);
    $("count-requests").textContent = String(state.log.length);
    if (key !== state.logKey) {
      state.logKey = key;
      $("log").replaceChildren(...shown.slice(0, 500).map(logRow));
      $("req-summary").textContent = `${shown.length} of the last ${state.log.length} requests${shown.length > 500 ? " (newest 500 shown)" : ""}`;
    }
    if (!$("view-requests").hidden) renderCharts();
  }

  function renderCharts() {
    const { rates, limits, now } = state.data;
    // Complete seconds only: the current one is still counting.
    const lastSec = Math.floor(now / 1000) - 1;
    const xs = [];
    for (let s = lastSec - CHART_SECONDS + 1; s <= lastSec; s++) xs.push(s);
    const byApi = new Map();
    const refused = { tencent: new Array(xs.length).fill(0), zego: new Array(xs.length).fill(0) };
    for (const b of rates) {
      const i = b.second - xs[0];
      if (i < 0 || i >= xs.length) continue;
      for (const [api, sample] of Object.entries(b.byApi)) {
        if (!byApi.has(api)) byApi.set(api, new Array(xs.length).fill(0));
        byApi.get(api)[i] = sample.total;
        refused[api.split("/")[0]][i] += sample.rateLimited;
      }
    }
    for (const vendor of ["tencent", "zego"]) {
      const apis = [...byApi.keys()].filter((k) => k.startsWith(`${vendor}/`)).sort();
      const series = apis.map((k) => byApi.get(k));
      const total = xs.map((_, i) => series.reduce((sum, s) => sum + s[i], 0));
      const documented = xs.map(() => limits[vendor].documentedPerApi);
      const inForce = limits[vendor].inForce;
      const data = [xs, ...series, total, refused[vendor], documented, ...(inForce === false ? [] : [xs.map(() => inForce)])];
      const signature = JSON.stringify([apis, inForce]);
      let chart = state.charts[vendor];
      if (!chart || chart.signature !== signature) {
        chart?.plot.destroy();
        const box = $(`chart-${vendor}`) || createChartBox(vendor);
        const holder = box.querySelector(".plot");
        holder.replaceChildren();
        const opts = {
          width: Math.max(holder.clientWidth || 440, 320),
          height: 200,
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] } },
          axes: [{ values: (_u, splits) => splits.map((v) => `${localTime(v * 1000)}:${pad(new Date(v * 1000).getSeconds())}`) }, { label: "requests / s", size: 50 }],
          series: [
            { label: "time" },
            ...apis.map((api, i) => ({ label: api.split("/")[1], stroke: PALETTE[i % PALETTE.length], width: 1.5 })),
            { label: "all APIs", stroke: "#111827", width: 1, dash: [2, 3] },
            { label: "refused by rate limit", stroke: "#c4320a", fill: "rgba(196, 50, 10, 0.15)", width: 1 },
            { label: `documented ${limits[vendor].documentedPerApi}/s per API`, stroke: "#c4320a", width: 1.5, dash: [8, 4] },
            ...(inForce === false ? [] : [{ label: `limit in force ${inForce}/s`, stroke: "#b54708", width: 1, dash: [3, 3] }]),
          ],
          legend: { live: false },
        };
        chart = { plot: new uPlot(opts, data, holder), signature };
        state.charts[vendor] = chart;
      } else {
        chart.plot.setData(data);
      }
      $(`chart-${vendor}`).querySelector(".limit-note").textContent =
        `documented: ${limits[vendor].documentedPerApi}/s per API · emulator limit in force: ${inForce === false ? "off" : `${inForce}/s`}`;
    }
  }

  function createChartBox(vendor) {
    const box = el("div", { class: "chart", id: `chart-${vendor}` }, [
      el("h2", { text: `${vendor === "tencent" ? "Tencent Room Engine" : "ZEGO ZIM"}: requests per second per API (last ${CHART_SECONDS} s)` }),
      el("div", { class: "muted limit-note" }),
      el("div", { class: "plot" }),
    ]);
    $("charts").append(box);
    return box;
  }

  // ---------- Controls ----------
  function renderControls() {
    const { faults, limits, actions } = state.data;
    $("fault-current").textContent = faults ? `in force: ${JSON.stringify(faults, null, 1)}` : "no fault plan in force";
    $("rate-current").textContent = `In force: Tencent ${limits.tencent.inForce === false ? "off" : `${limits.tencent.inForce}/s`}, ZEGO ${limits.zego.inForce === false ? "off" : `${limits.zego.inForce}/s`}. Documented: Tencent ${limits.tencent.documentedPerApi}/s, ZEGO ${limits.zego.documentedPerApi}/s.`;
    if (state.controlsFilled) return;
    state.controlsFilled = true;
    const box = $("fault-actions");
    for (const vendor of ["tencent", "zego"]) {
      for (const action of actions[vendor]) {
        box.append(el("label", {}, [el("input", { type: "checkbox", name: "action", value: action }), ` ${action}`]));
      }
    }
    fillRateForm(limits);
    if (faults) fillFaultForm(faults);
  }

  function fillFaultForm(plan) {
    const form = $("fault-form");
    form.elements.seed.value = String(plan.seed);
    for (const kind of ["http502", "reset", "vendorTransient", "lostResponse", "latency"]) form.elements[kind].value = String(plan[kind] || 0);
    if (plan.latencyMs !== undefined) form.elements.latencyMs.value = String(plan.latencyMs);
    for (const box of form.querySelectorAll('input[name="action"]')) box.checked = Boolean(plan.actions && plan.actions.includes(box.value));
  }

  function fillRateForm(limits) {
    const form = $("rate-form");
    for (const vendor of ["tencent", "zego"]) {
      const inForce = limits[vendor].inForce;
      form.elements[vendor].value = inForce === false ? String(limits[vendor].documentedPerApi) : String(inForce);
      form.elements[`${vendor}Off`].checked = inForce === false;
    }
  }

  async function post(path, body) {
    const status = $("control-status");
    status.className = "status";
    status.textContent = "…";
    try {
      const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-emulator-token": TOKEN }, body: JSON.stringify(body) });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error || `HTTP ${res.status}`);
      status.className = "status done";
      status.textContent = `${path}: done`;
      return answer;
    } catch (err) {
      status.className = "status error";
      status.textContent = `${path}: ${err.message}`;
      return undefined;
    } finally {
      setTimeout(poll0, 0);
    }
  }
  // An immediate refresh after a control (the regular poll keeps its own timer).
  async function poll0() {
    const res = await fetch(`/_emulator/console?since=${state.lastSeq}`, { cache: "no-store" }).catch(() => undefined);
    if (!res || !res.ok) return;
    const data = await res.json();
    state.data = { ...data, requests: { ...data.requests, events: [] } };
    render();
  }

  $("fault-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const plan = { seed: Number(form.elements.seed.value) };
    for (const kind of ["http502", "reset", "vendorTransient", "lostResponse", "latency"]) {
      const p = Number(form.elements[kind].value);
      if (p > 0) plan[kind] = p;
    }
    if (plan.latency) plan.latencyMs = Number(form.elements.latencyMs.value);
    const picked = [...form.querySelectorAll('input[name="action"]:checked')].map((i) => i.value);
    if (picked.length) plan.actions = picked;
    post("/_emulator/faults", plan);
  });
  $("fault-clear").addEventListener("click", () => post("/_emulator/faults", null));

  $("rate-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const limits = {};
    for (const vendor of ["tencent", "zego"]) limits[vendor] = form.elements[`${vendor}Off`].checked ? false : Number(form.elements[vendor].value);
    post("/_emulator/rate-limits", limits);
  });
  $("rate-documented").addEventListener("click", async () => {
    const { limits } = state.data;
    const answer = await post("/_emulator/rate-limits", { tencent: limits.tencent.documentedPerApi, zego: limits.zego.documentedPerApi });
    if (answer) fillRateForm({ tencent: { inForce: answer.limits.tencent }, zego: { inForce: answer.limits.zego } });
  });
  $("reset").addEventListener("click", async () => {
    if (!window.confirm("Forget every room and user of both vendors, the counters and the request log?")) return;
    await post("/_emulator/reset", {});
  });

  for (const id of ["room-search", "room-vendor", "req-vendor", "req-failed", "req-search"]) $(id).addEventListener("input", render);
  $("week-prev").addEventListener("click", () => showWeek(addDays(state.weekStart, -7)));
  $("week-next").addEventListener("click", () => showWeek(addDays(state.weekStart, 7)));
  $("week-today").addEventListener("click", () => showWeek(Date.now()));
  $("week-upcoming").addEventListener("click", () => {
    if (!state.data) return;
    const next = meetings().find((m) => m.end > Date.now());
    if (next) showWeek(next.start);
  });

  route();
  poll();
})();
