// Requests view: the live log and, per vendor, requests per second per API against the documented limit (uPlot).
import { $, el, localTime, pad, utcDateTime } from "./dom.js";

const CHART_SECONDS = 120;
const PALETTE = ["#0a6cff", "#6c2bd9", "#14804a", "#c4320a", "#b54708", "#0e9384", "#c11574", "#475467"];

function resultText(e) {
  if (e.code === undefined) return e.status ? `HTTP ${e.status}` : "no answer (socket dropped)";
  if (e.code === 0) return e.fault === "lostResponse" ? "0 committed, answer lost" : "0 OK";
  return `${e.code} ${e.meaning || ""}`.trim();
}
const FAULT_NAMES = {
  reset: "connection reset",
  http502: "HTTP 502",
  vendorTransient: "vendor retry code",
  latency: "latency",
  lostResponse: "lost response",
};

function logRow(e) {
  const failed = e.fault || e.rateLimited || e.code === undefined || e.code !== 0;
  return el("tr", { class: failed ? "failed" : "ok", "data-seq": e.seq, "data-vendor": e.vendor }, [
    el("td", {
      title: utcDateTime(e.at),
      text: `${localTime(e.at)}:${pad(new Date(e.at).getSeconds())}.${pad(e.at % 1000, 3)}`,
    }),
    el("td", { text: e.vendor === "tencent" ? "Tencent" : "ZEGO" }),
    el("td", { class: "api", text: e.action }),
    el("td", { class: "room", text: e.roomId || "" }),
    el("td", { class: "result", "data-code": e.code, text: resultText(e) }),
    el("td", { class: "num", text: `${e.latencyMs} ms` }),
    el("td", { class: "fault" }, e.fault ? [el("span", { class: "tag", text: FAULT_NAMES[e.fault] || e.fault })] : []),
    el(
      "td",
      { class: "limit" },
      e.rateLimited ? [el("span", { class: "tag limit", text: "refused by rate limit" })] : [],
    ),
  ]);
}

/** Renders the log (when it or a filter changed) and, when the view is shown, the charts. */
export function renderRequests(state) {
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
    $("req-summary").textContent =
      `${shown.length} of the last ${state.log.length} requests${shown.length > 500 ? " (newest 500 shown)" : ""}`;
  }
  if (!$("view-requests").hidden) renderCharts(state);
}

function renderCharts(state) {
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
    const data = [
      xs,
      ...series,
      total,
      refused[vendor],
      documented,
      ...(inForce === false ? [] : [xs.map(() => inForce)]),
    ];
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
        axes: [
          {
            values: (_u, splits) => splits.map((v) => `${localTime(v * 1000)}:${pad(new Date(v * 1000).getSeconds())}`),
          },
          { label: "requests / s", size: 50 },
        ],
        series: [
          { label: "time" },
          ...apis.map((api, i) => ({ label: api.split("/")[1], stroke: PALETTE[i % PALETTE.length], width: 1.5 })),
          { label: "all APIs", stroke: "#111827", width: 1, dash: [2, 3] },
          { label: "refused by rate limit", stroke: "#c4320a", fill: "rgba(196, 50, 10, 0.15)", width: 1 },
          {
            label: `documented ${limits[vendor].documentedPerApi}/s per API`,
            stroke: "#c4320a",
            width: 1.5,
            dash: [8, 4],
          },
          ...(inForce === false
            ? []
            : [{ label: `limit in force ${inForce}/s`, stroke: "#b54708", width: 1, dash: [3, 3] }]),
        ],
        legend: { live: false },
      };
      chart = { plot: new window.uPlot(opts, data, holder), signature };
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
    el("h2", {
      text: `${vendor === "tencent" ? "Tencent Room Engine" : "ZEGO ZIM"}: requests per second per API (last ${CHART_SECONDS} s)`,
    }),
    el("div", { class: "muted limit-note" }),
    el("div", { class: "plot" }),
  ]);
  $("charts").append(box);
  return box;
}
