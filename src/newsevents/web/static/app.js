// The page: filters in the URL hash, four views over one filtered set of events.
import { api, el, clear, QUAD_NAMES } from "./util.js";
import { MapView } from "./map.js";
import { TimelineView } from "./timeline.js";
import { NetworkView } from "./network.js";
import { renderTable } from "./table.js";
import { showEvent } from "./eventview.js";

const FILTERS = ["actor", "root", "plover", "modality", "since", "until", "place", "quad_class"];
const PAGE = 50;
const state = { filters: {}, offset: 0, event: null, total: 0 };

const status = document.getElementById("status");
const form = document.getElementById("filters");
let mapView, timelineView, networkView;

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  state.filters = {};
  for (const k of FILTERS) if (h.get(k)) state.filters[k] = h.get(k);
  state.event = h.get("event") || null;
  state.offset = Math.max(0, parseInt(h.get("offset") || "0", 10) || 0);
}

function writeHash() {
  const h = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) h.set(k, v);
  if (state.offset) h.set("offset", state.offset);
  if (state.event) h.set("event", state.event);
  const next = "#" + h.toString();
  if (location.hash !== next) history.replaceState(null, "", next);
}

function syncForm() {
  for (const input of form.elements) {
    if (input.name && FILTERS.includes(input.name)) input.value = state.filters[input.name] || "";
  }
}

export function setFilters(changes) {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") delete state.filters[k];
    else state.filters[k] = String(v);
  }
  state.offset = 0;
  syncForm();
  refresh();
}

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function refresh() {
  writeHash();
  document.body.dataset.loading = "1";
  const f = state.filters;
  const { since, until, ...rest } = f;  // the timeline shows the whole range, the brush marks the filter
  try {
    const [places, timeline, network, events] = await Promise.all([
      api("api/places.geojson", f),
      api("api/timeline", { ...rest, bucket: "auto" }),
      api("api/network", f),
      api("api/events", { ...f, limit: PAGE, offset: state.offset }),
    ]);
    state.total = events.total;
    mapView.render(places);
    timelineView.render(timeline, since, until);
    networkView.render(network, f.actor);
    renderTable(events, state, openEvent);
    document.getElementById("page").textContent =
      events.total ? `${state.offset + 1}–${state.offset + events.items.length} of ${events.total}` : "";
    document.getElementById("prev").disabled = state.offset === 0;
    document.getElementById("next").disabled = state.offset + PAGE >= events.total;
    const active = Object.entries(f).map(([k, v]) => `${k}=${v}`).join(", ");
    say(`${events.total} event(s)` + (active ? ` · ${active}` : ""));
    if (state.event) await openEvent(state.event, false);
  } catch (err) {
    say(err.message, true);
  } finally {
    document.body.dataset.loading = "";
    document.body.dataset.ready = "1";
  }
}

async function openEvent(id, updateHash = true) {
  state.event = id;
  if (updateHash) writeHash();
  for (const tr of document.querySelectorAll("#events tbody tr")) {
    tr.classList.toggle("selected", tr.dataset.id === id);
  }
  try {
    await showEvent(document.getElementById("event-view"), id, actor => setFilters({ actor }));
  } catch (err) {
    say(err.message, true);
  }
}

function legend() {
  const box = document.getElementById("legend");
  clear(box);
  for (const q of [1, 2, 3, 4]) {
    box.append(el("button", { type: "button", class: "legend-item", "data-quad": q, title: "show only these",
                              onclick: () => setFilters({ quad_class: state.filters.quad_class === String(q) ? "" : q }) },
                  el("i", { class: `q${q}` }), QUAD_NAMES[q]));
  }
}

window.addEventListener("DOMContentLoaded", () => {
  readHash();
  syncForm();
  legend();
  mapView = new MapView(document.getElementById("map"), place => setFilters({ place }));
  timelineView = new TimelineView(document.getElementById("timeline"),
                                  (since, until) => setFilters({ since, until }));
  networkView = new NetworkView(document.getElementById("network"), actor => setFilters({ actor }));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const changes = {};
    for (const input of form.elements) if (input.name) changes[input.name] = input.value.trim();
    setFilters(changes);
  });
  document.getElementById("reset").addEventListener("click", () => {
    state.filters = {};
    state.event = null;
    setFilters({});
  });
  document.getElementById("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE); refresh();
  });
  document.getElementById("next").addEventListener("click", () => {
    state.offset += PAGE; refresh();
  });
  // a link or a typed address with other filters (#actor=SYR&event=...) reloads the views
  window.addEventListener("hashchange", () => { readHash(); syncForm(); refresh(); });
  refresh();
});
