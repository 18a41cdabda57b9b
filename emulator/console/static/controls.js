// Controls view: fault plan, rate limits and reset, through the admin endpoints with the page's token.
import { $, el } from "./dom.js";

/** The per-start token the server put in the page; the controls refuse a browser request without it. */
const TOKEN = document.querySelector('meta[name="emulator-token"]').getAttribute("content");

/** Shows what is in force; fills the forms once, from the first data. */
export function renderControls(state) {
  const { faults, limits, actions } = state.data;
  $("fault-current").textContent = faults ? `in force: ${JSON.stringify(faults, null, 1)}` : "no fault plan in force";
  $("rate-current").textContent =
    `In force: Tencent ${limits.tencent.inForce === false ? "off" : `${limits.tencent.inForce}/s`}, ZEGO ${limits.zego.inForce === false ? "off" : `${limits.zego.inForce}/s`}. Documented: Tencent ${limits.tencent.documentedPerApi}/s, ZEGO ${limits.zego.documentedPerApi}/s.`;
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
  for (const kind of ["http502", "reset", "vendorTransient", "lostResponse", "latency"])
    form.elements[kind].value = String(plan[kind] || 0);
  if (plan.latencyMs !== undefined) form.elements.latencyMs.value = String(plan.latencyMs);
  for (const box of form.querySelectorAll('input[name="action"]'))
    box.checked = Boolean(plan.actions && plan.actions.includes(box.value));
}

function fillRateForm(limits) {
  const form = $("rate-form");
  for (const vendor of ["tencent", "zego"]) {
    const inForce = limits[vendor].inForce;
    form.elements[vendor].value = inForce === false ? String(limits[vendor].documentedPerApi) : String(inForce);
    form.elements[`${vendor}Off`].checked = inForce === false;
  }
}

/** Wires the forms and buttons; `refresh` fetches the data at once after a change. */
export function wireControls(state, refresh) {
  async function post(path, body) {
    const status = $("control-status");
    status.className = "status";
    status.textContent = "…";
    try {
      const res = await fetch(path, {
        method: "POST",
        headers: { "content-type": "application/json", "x-emulator-token": TOKEN },
        body: JSON.stringify(body),
      });
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
      refresh();
    }
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
    for (const vendor of ["tencent", "zego"])
      limits[vendor] = form.elements[`${vendor}Off`].checked ? false : Number(form.elements[vendor].value);
    post("/_emulator/rate-limits", limits);
  });
  $("rate-documented").addEventListener("click", async () => {
    if (!state.data) return;
    const { limits } = state.data;
    const answer = await post("/_emulator/rate-limits", {
      tencent: limits.tencent.documentedPerApi,
      zego: limits.zego.documentedPerApi,
    });
    if (answer)
      fillRateForm({
        tencent: { inForce: answer.limits.tencent, documentedPerApi: limits.tencent.documentedPerApi },
        zego: { inForce: answer.limits.zego, documentedPerApi: limits.zego.documentedPerApi },
      });
  });
  $("reset").addEventListener("click", async () => {
    if (!window.confirm("Forget every room and user of both vendors, the counters and the request log?")) return;
    await post("/_emulator/reset", {});
  });
}
