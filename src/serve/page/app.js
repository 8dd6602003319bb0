// The classroom explorer's page. No build step, no library: plain DOM. Scenario text (titles, names, labels,
// messages) is always inserted as text (textContent), never as markup; the charts are SVG drawn by the server.
"use strict";

const $ = (id) => document.getElementById(id);
const client = Math.random().toString(36).slice(2, 12);

// The page's whole state; the address bar holds it, so a bookmark reopens the same view.
const state = {
  scenario: "", start: "", label: "", changes: new Map(), runs: 1000, seed: null,
  run_seed: null, week: null, actor: "", side: "base", projector: false,
};
let controls = null;      // the variant's controls, from /api/controls
let defaults = new Map(); // path → value in the scenario as written
let names = new Map();    // path → "Iran (IRN): role", as the list of changes shows it
let info = null;          // /api/scenarios
let answerAbort = null, historyAbort = null, whyAbort = null;
let timer = null;
window.explorer = { answers: 0, lastMs: null, lastServerMs: null, errors: 0 };

function readAddress() {
  const p = new URLSearchParams(location.search);
  state.scenario = p.get("scenario") || "";
  state.start = p.get("start") || "";
  state.label = p.get("label") || "";
  state.changes = new Map();
  for (const part of (p.get("changes") || "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) state.changes.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const num = (k) => (p.get(k) !== null && p.get(k) !== "" ? Number(p.get(k)) : null);
  state.runs = num("runs") ?? state.runs;
  state.seed = num("seed");
  state.run_seed = num("run_seed");
  state.week = num("week");
  state.actor = p.get("actor") || "";
  state.side = p.get("side") === "variant" ? "variant" : "base";
  state.projector = p.get("view") === "projector";
}

// Without a typed name the variant is named by its changes in words ("Iran (IRN) role → observer"), when short
// enough for a label, rather than by their paths.
function autoLabel() {
  const words = [...state.changes].map(([path, value]) => {
    const event = controls && controls.events.find((e) => e.off === `${path}=${value}`);
    const name = (names.get(path) || path).replace(":", "");
    return event ? `${name} off` : `${name} → ${value.replace(/^"|"$/g, "")}`;
  });
  const text = words.join(", ");
  return text.length <= 60 && !/[:=]/.test(text) ? text : "";
}

function query(extra, address) {
  const p = new URLSearchParams();
  p.set("scenario", state.scenario);
  if (state.start) p.set("start", state.start);
  const label = state.label.trim() || (address ? "" : autoLabel());
  if (label) p.set("label", label);
  if (state.changes.size) p.set("changes", [...state.changes].map(([k, v]) => `${k}=${v}`).join("; "));
  p.set("runs", String(state.runs));
  if (state.seed !== null) p.set("seed", String(state.seed));
  for (const [k, v] of Object.entries(extra || {})) if (v !== null && v !== undefined && v !== "") p.set(k, String(v));
  return p;
}

function writeAddress() {
  const p = query({ run_seed: state.run_seed, week: state.week, actor: state.actor,
    side: state.side === "variant" ? "variant" : "", view: state.projector ? "projector" : "" }, true);
  history.replaceState(null, "", "?" + p.toString());
  $("toml").href = "/api/scenario.toml?" + query().toString();
  $("handout").href = "/api/report?" + query().toString();
  const nothing = state.changes.size === 0 && !state.start;
  $("handout").classList.toggle("disabled", nothing);
  $("handout").setAttribute("aria-disabled", String(nothing));
  $("handout").title = nothing ? "Change one thing first: a handout compares a variant with the baseline" : "The view as a one-file handout to print";
}

async function getJson(url, signal) {
  const r = await fetch(url, { signal });
  let body = null;
  try { body = await r.json(); } catch (_) { body = { error: `the server answered ${r.status}`, issues: [] }; }
  return { ok: r.ok, status: r.status, body };
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function showSvg(id, svg) {
  // The SVG is the server's own drawing (plotters escapes every text it draws), parsed as SVG, not as HTML.
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  const fig = $(id);
  if (root.nodeName !== "svg") return;
  root.removeAttribute("width");
  root.removeAttribute("height");
  fig.replaceChildren(document.importNode(root, true));
}

// ---- controls ---------------------------------------------------------------------------------------------------

function controlId(path) { return "c-" + path.replace(/[^A-Za-z0-9_]/g, "_"); }

function buildControls() {
  const groups = $("groups");
  groups.replaceChildren();
  defaults = new Map();
  controls.groups.forEach((g, gi) => {
    const box = el("details", { class: "group" });
    // The first groups, the parties', and any with a change are open; the rest fold to keep the list short.
    const changedHere = g.controls.some((c) => state.changes.has(c.path));
    if (gi < 3 || / party[,)]?/.test(g.heading) || changedHere) box.open = true;
    box.append(el("summary", {}, g.heading));
    for (const c of g.controls) {
      defaults.set(c.path, String(c.value));
      names.set(c.path, `${g.heading.split(":")[0]}: ${c.key.replace(/_/g, " ")}`);
      const row = el("div", { class: "control", id: controlId(c.path) });
      const name = el("label", { title: c.meaning + (c.note ? " — " + c.note : "") }, c.key.replace(/_/g, " "));
      row.append(name);
      let input;
      if (c.kind === "word") {
        input = el("select", { "aria-label": `${g.heading}: ${c.key}` });
        for (const w of c.words) input.append(el("option", { value: w }, w));
        input.value = String(c.now ?? c.value);
        input.addEventListener("change", async () => { setChange(c.path, input.value, true); await loadControls(); });
        row.append(input);
      } else {
        const slider = el("input", { type: "range", min: c.lo, max: c.hi, step: c.step, "aria-label": `${g.heading}: ${c.key} (slider)` });
        const box = el("input", { type: "number", step: c.step, "aria-label": `${g.heading}: ${c.key}`, class: "number" });
        slider.value = box.value = String(c.now ?? c.value);
        slider.addEventListener("input", () => { box.value = slider.value; setChange(c.path, slider.value, false); });
        box.addEventListener("change", () => { if (box.value.trim() !== "") { slider.value = box.value; setChange(c.path, box.value, true); } });
        row.append(slider, box);
        input = box;
      }
      const reset = el("button", { type: "button", class: "reset", title: "back to the scenario's value", "aria-label": `reset ${c.key}` }, "↺");
      reset.addEventListener("click", () => removeChange(c.path));
      row.append(reset);
      if (c.note) row.append(el("p", { class: "note" }, c.note));
      row.append(el("p", { class: "error", role: "alert", hidden: "" }));
      box.append(row);
    }
    groups.append(box);
  });
  const events = $("events");
  events.replaceChildren();
  $("events-box").hidden = controls.events.length === 0;
  for (const e of controls.events) {
    const path = e.off.slice(0, e.off.indexOf("="));
    const off = e.off.slice(e.off.indexOf("=") + 1);
    names.set(path, `event “${e.label}”`);
    const row = el("div", { class: "control event", id: controlId(path) });
    const box = el("input", { type: "checkbox", id: "ev-" + e.index });
    box.checked = true;
    box.addEventListener("change", () => (box.checked ? removeChange(path) : setChange(path, off, true)));
    const label = el("label", { for: "ev-" + e.index }, `${e.label} (${e.when})`);
    row.append(box, label, el("p", { class: "error", role: "alert", hidden: "" }));
    events.append(row);
  }
  const actor = $("actor");
  actor.replaceChildren();
  for (const [id, name] of controls.voters) actor.append(el("option", { value: id }, `${name} (${id})`));
  if (state.actor) actor.value = state.actor;
  else if (controls.voters.length) state.actor = actor.value;
  $("week-word").textContent = controls.round_label;
  const base = info.scenarios.find((x) => x.name === state.scenario);
  const title = base ? base.title : controls.title;
  $("title").textContent = title;
  document.title = `${title} — ceasefire explorer`;
  syncControls();
}

function syncControls() {
  for (const g of controls.groups) for (const c of g.controls) {
    const row = $(controlId(c.path));
    if (!row) continue;
    const v = state.changes.has(c.path) ? state.changes.get(c.path).replace(/^"|"$/g, "") : String(c.now ?? c.value);
    for (const input of row.querySelectorAll("input, select")) if (document.activeElement !== input) input.value = v;
    row.classList.toggle("changed", state.changes.has(c.path));
  }
  for (const e of controls.events) {
    const path = e.off.slice(0, e.off.indexOf("="));
    const box = $("ev-" + e.index);
    if (box) box.checked = !state.changes.has(path);
    const row = $(controlId(path));
    if (row) row.classList.toggle("changed", state.changes.has(path));
  }
  const list = $("changes");
  list.replaceChildren();
  if (state.changes.size === 0) list.append(el("li", { class: "none" }, "Nothing changed yet: move a control below."));
  for (const [path, value] of state.changes) {
    const off = controls.events.find((e) => e.off === `${path}=${value}`);
    const li = el("li", { title: `${path}=${value}` }, off ? `${names.get(path)}: off` : `${names.get(path) || path} = ${value}`);
    const b = el("button", { type: "button", class: "reset", "aria-label": `reset ${path}` }, "↺");
    b.addEventListener("click", () => removeChange(path));
    li.append(" ", b);
    list.append(li);
  }
  if (state.start) {
    const from = info.scenarios.find((x) => x.name === state.start);
    list.prepend(el("li", {}, `the variant starts from ${from ? from.title : state.start} (${state.start})`));
    const none = list.querySelector(".none");
    if (none) none.remove();
  }
  $("change-count").textContent = `(${state.changes.size + (state.start ? 1 : 0)})`;
}

function setChange(path, value, now) {
  if (defaults.has(path) && defaults.get(path) === String(value)) state.changes.delete(path);
  else state.changes.set(path, value);
  changed(now);
}

function removeChange(path) { state.changes.delete(path); changed(true); }

function changed(now) {
  syncControls();
  writeAddress();
  clearTimeout(timer);
  // While a slider moves, wait until it rests a moment: no queue of outdated answers.
  timer = setTimeout(refresh, now ? 0 : 150);
}

// ---- answers ----------------------------------------------------------------------------------------------------

// The validator's words, without what only the command line needs ("(set by --set …)", "--runs").
function plain(message) {
  return String(message || "").replace(/ \(set by --set [^)]*\)/g, "").replace(/--runs\b/g, "seeds").replace(/--seed\b/g, "first seed");
}

function showErrors(body) {
  for (const e of document.querySelectorAll(".control .error")) { e.hidden = true; e.textContent = ""; }
  for (const r of document.querySelectorAll(".control.bad")) r.classList.remove("bad");
  const general = $("general-error");
  general.hidden = true;
  if (!body) return;
  let placed = false;
  for (const issue of body.issues || []) {
    const rows = [...document.querySelectorAll(".control")].filter((r) => {
      const p = r.id;
      const want = controlId(issue.path);
      return want && (p === want || p.startsWith(want + "_") || want.startsWith(p + "_"));
    });
    for (const r of rows) {
      const group = r.closest("details");
      if (group) group.open = true;
      const box = r.querySelector(".error");
      box.textContent = plain(issue.message);
      box.hidden = false;
      r.classList.add("bad");
      placed = true;
    }
  }
  general.textContent = plain(body.error);
  general.hidden = placed;
  window.explorer.errors += 1;
}

function numbersTable(a) {
  const pct = (t) => `${(100 * t[0]).toFixed(1)} % [${(100 * t[1]).toFixed(1)}, ${(100 * t[2]).toFixed(1)}]`;
  const med = (m) => (m === null ? "—" : `${a.round_label} ${m}`);
  const table = el("table", { class: "numbers" });
  const head = el("tr");
  for (const h of ["", "baseline", a.label]) head.append(el("th", {}, h));
  table.append(head);
  const rows = [
    [`P(ceasefire reached) [95 %]`, pct(a.base.p_reached), pct(a.variant.p_reached)],
    [`P(in force at the end) [95 %]`, pct(a.base.p_in_force_at_end), pct(a.variant.p_in_force_at_end)],
    [`median ${a.round_label} of the ceasefire`, med(a.base.median_round), med(a.variant.median_round)],
    [`mean final agreement`, a.base.mean_final_agreement.toFixed(3), a.variant.mean_final_agreement.toFixed(3)],
  ];
  for (const r of rows) {
    const tr = el("tr");
    tr.append(el("th", {}, r[0]), el("td", {}, r[1]), el("td", {}, r[2]));
    table.append(tr);
  }
  return table;
}

async function refreshAnswer() {
  if (answerAbort) answerAbort.abort();
  answerAbort = new AbortController();
  const signal = answerAbort.signal;
  const t0 = performance.now();
  const slow = setTimeout(() => { $("status").textContent = "computing…"; }, 300);
  try {
    const r = await getJson("/api/answer?" + query({ client }).toString(), signal);
    if (r.status === 409) return;
    if (!r.ok) {
      showErrors(r.body);
      const first = (r.body.issues || [])[0];
      const what = plain(first ? `${names.get(first.path) || first.path}: ${first.message}` : r.body.error);
      $("status").textContent = `not run — ${what}` + (window.explorer.answers ? " (the last good answer stays on screen)" : "");
      $("status").classList.add("error");
      if (!window.explorer.answers) $("sentence").textContent = "No answer yet: fix the value marked in red.";
      return;
    }
    $("status").classList.remove("error");
    showErrors(null);
    const a = r.body;
    const nbsp = (t) => t.replace(/ %/g, "\u00a0%");
    if (state.changes.size === 0 && !state.start) {
      const p = a.base.p_reached;
      const med = a.base.median_round === null ? "" : ` (median ${a.round_label} ${a.base.median_round})`;
      $("sentence").textContent = nbsp(`Baseline: ${(100 * p[0]).toFixed(0)} % [${(100 * p[1]).toFixed(0)}, ${(100 * p[2]).toFixed(0)}] chance of a ceasefire within ${a.rounds} ${a.round_label}s${med}. Change one thing to compare.`);
    } else {
      $("sentence").textContent = nbsp(a.sentence + ".");
    }
    const ms = performance.now() - t0;
    window.explorer.answers += 1;
    window.explorer.lastMs = ms;
    window.explorer.lastServerMs = a.ms;
    $("status").textContent = `${a.seeds} · answered in ${Math.round(ms)} ms`;
    $("numbers").replaceChildren(numbersTable(a));
    showSvg("reached", a.charts.reached);
    showSvg("fan-base", a.charts.fan_base);
    showSvg("fan-variant", a.charts.fan_variant);
  } catch (e) {
    if (e.name !== "AbortError") $("status").textContent = "the server cannot be reached: is `ceasefire serve` still running?";
  } finally { clearTimeout(slow); }
}

async function refreshHistory() {
  if (state.projector) return;
  if (historyAbort) historyAbort.abort();
  historyAbort = new AbortController();
  try {
    const r = await getJson("/api/history?" + query({ run_seed: state.run_seed }).toString(), historyAbort.signal);
    if (!r.ok) return;
    const h = r.body;
    if (state.run_seed === null) { state.run_seed = h.seed; $("run-seed").value = h.seed; }
    $("text-base").textContent = "Baseline: " + h.base.text.split("\n").slice(1, 2).join(" ");
    $("text-variant").textContent = "Variant: " + h.variant.text.split("\n").slice(1, 2).join(" ");
    showSvg("agreement-base", h.base.agreement);
    showSvg("agreement-variant", h.variant.agreement);
    showSvg("votes-base", h.base.votes);
    showSvg("votes-variant", h.variant.votes);
    if (state.week === null) {
      state.week = h.base.ceasefire_round || 1;
      $("week").value = state.week;
    }
    refreshWhy();
  } catch (e) { /* superseded */ }
}

async function refreshWhy() {
  if (state.projector || !state.actor) return;
  if (whyAbort) whyAbort.abort();
  whyAbort = new AbortController();
  try {
    const r = await getJson("/api/why?" + query({ run_seed: state.run_seed, week: state.week, actor: state.actor, side: state.side }).toString(), whyAbort.signal);
    $("why").textContent = r.ok ? r.body.sentence : r.body.error;
    $("why").classList.toggle("error", !r.ok);
  } catch (e) { /* superseded */ }
}

function refresh() {
  writeAddress();
  refreshAnswer();
  refreshHistory();
}

async function loadControls() {
  const name = state.start || state.scenario;
  const p = new URLSearchParams({ scenario: name });
  if (state.changes.size) p.set("changes", [...state.changes].map(([k, v]) => `${k}=${v}`).join("; "));
  const r = await getJson("/api/controls?" + p.toString());
  if (!r.ok) { showErrors(r.body); return; }
  controls = r.body;
  if (state.seed === null) $("seed").placeholder = String(controls.seed);
  buildControls();
}

function setProjector(on) {
  state.projector = on;
  document.body.classList.toggle("projector", on);
  $("projector").setAttribute("aria-pressed", String(on));
  $("projector").textContent = on ? "Full view" : "Projector view";
  writeAddress();
  if (!on) refreshHistory();
}

async function start() {
  readAddress();
  info = (await getJson("/api/scenarios")).body;
  $("version").textContent = info.version;
  if (!state.scenario) state.scenario = info.default;
  for (const sel of [$("scenario"), $("start")]) {
    for (const s of info.scenarios) sel.append(el("option", { value: s.name }, s.bundled ? `${s.title} (${s.name})` : `${s.title} (file ${s.name})`));
  }
  $("scenario").value = state.scenario;
  $("start").value = state.start;
  $("label").value = state.label;
  $("runs").value = state.runs;
  $("runs").max = info.max_runs;
  if (state.seed !== null) $("seed").value = state.seed;
  if (state.run_seed !== null) $("run-seed").value = state.run_seed;
  if (state.week !== null) $("week").value = state.week;
  $("why-side").value = state.side;
  $("scenario").addEventListener("change", async () => {
    state.scenario = $("scenario").value; state.changes.clear(); state.run_seed = null; state.week = null; state.actor = "";
    await loadControls(); changed(true);
  });
  $("start").addEventListener("change", async () => {
    state.start = $("start").value; state.changes.clear(); state.actor = "";
    await loadControls(); changed(true);
  });
  $("label").addEventListener("input", () => { state.label = $("label").value; changed(false); });
  $("runs").addEventListener("change", () => { state.runs = Number($("runs").value) || 1; changed(true); });
  $("seed").addEventListener("change", () => { state.seed = $("seed").value === "" ? null : Number($("seed").value); changed(true); });
  $("reset-all").addEventListener("click", () => { state.changes.clear(); changed(true); });
  const seedBy = (d) => { state.run_seed = Math.max(0, (state.run_seed ?? 0) + d); $("run-seed").value = state.run_seed; writeAddress(); refreshHistory(); };
  $("seed-prev").addEventListener("click", () => seedBy(-1));
  $("seed-next").addEventListener("click", () => seedBy(1));
  $("run-seed").addEventListener("change", () => { state.run_seed = Number($("run-seed").value); writeAddress(); refreshHistory(); });
  $("week").addEventListener("change", () => { state.week = Number($("week").value); writeAddress(); refreshWhy(); });
  $("actor").addEventListener("change", () => { state.actor = $("actor").value; writeAddress(); refreshWhy(); });
  $("why-side").addEventListener("change", () => { state.side = $("why-side").value; writeAddress(); refreshWhy(); });
  $("projector").addEventListener("click", () => setProjector(!state.projector));
  document.addEventListener("keydown", (e) => {
    if ((e.key === "p" || e.key === "P") && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) setProjector(!state.projector);
  });
  await loadControls();
  setProjector(state.projector);
  refresh();
}

start();
