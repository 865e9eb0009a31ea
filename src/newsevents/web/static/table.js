// The filtered event table; a click opens the event view.
import { el, clear, actorsText, QUAD_NAMES } from "./util.js";

export function renderTable(data, state, onOpen) {
  const body = document.querySelector("#events tbody");
  clear(body);
  document.getElementById("table-count").textContent = `${data.total} event(s)`;
  for (const e of data.items) {
    const date = e.date ? e.date.value : "";
    const place = e.place ? e.place.name + (e.place.country ? ` (${e.place.country})` : "") : "";
    const tr = el("tr", { "data-id": e.id, "data-date": date || "", title: e.evidence },
      el("td", {}, date || "—"),
      el("td", {}, actorsText(e.source)),
      el("td", {}, el("span", { class: `dot q${e.quad_class}`, title: QUAD_NAMES[e.quad_class] }),
         `${e.cameo_label || ""} `, el("span", { class: "code" }, e.cameo_code)),
      el("td", {}, actorsText(e.target)),
      el("td", {}, place),
      el("td", {}, e.modality));
    if (e.id === state.event) tr.classList.add("selected");
    tr.addEventListener("click", () => onOpen(e.id));
    body.append(tr);
  }
  if (!data.items.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "hint" }, "no events match")));
}
