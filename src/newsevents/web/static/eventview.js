// Event view: the coded event, the rule or model that coded it, and the article text with the
// evidence sentence, trigger, actors, date and place highlighted. The text is cut at span
// boundaries into text nodes inside <span>s: the article is never parsed as HTML.
import { api, el, clear, QUAD_NAMES } from "./util.js";

export async function showEvent(box, id, onActor = null) {
  const ev = await api(`api/events/${encodeURIComponent(id)}`);
  const art = await api(`api/articles/${encodeURIComponent(ev.article_id)}`);
  clear(box);
  box.dataset.event = ev.id;
  box.append(el("h3", { class: "title" }, art.title || "(untitled)"));
  const meta = [art.source, art.published ? art.published.slice(0, 10) : null].filter(Boolean).join(" · ");
  if (meta) box.append(el("div", { class: "hint" }, meta));
  const dl = el("dl");
  const row = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v)); };

  row("event", `${ev.cameo_code} ${ev.cameo_label || ""} (root ${ev.cameo_root}, ${QUAD_NAMES[ev.quad_class]}, Goldstein ${ev.goldstein})`);
  row("PLOVER", [ev.plover_type, ev.plover_mode, ev.plover_context].filter(Boolean).join(" / "));
  row("source", actorLinks(ev.source, onActor));
  row("target", actorLinks(ev.target, onActor));
  row("date", ev.date ? `${ev.date.value} (${ev.date.precision}, ${ev.date.basis})` : null);
  row("place", ev.place ? `${ev.place.name}${ev.place.country ? ", " + ev.place.country : ""}` : null);
  row("modality", ev.modality);
  row("coded by", `${ev.coder} (confidence ${Number(ev.confidence).toFixed(2)})`);
  if (ev.story && ev.story.num_articles > 1) row("story", `${ev.story.num_articles} report(s), ${ev.story.num_sources} source(s)` +
                             (ev.story.conflicts && ev.story.conflicts.length ? ", contested" : ""));
  box.append(dl);
  const keys = el("div", { class: "keys" });
  for (const [cls, label] of [["evidence", "evidence"], ["trigger", "trigger"], ["source", "source actor"],
                              ["target", "target actor"], ["date", "date"], ["place", "place"]]) {
    keys.append(el("span", { class: cls }, label));
  }
  const text = el("div", { class: "article-text" });
  box.append(keys, text);
  renderSpans(text, art.text, eventSpans(ev, art));
  const mark = text.querySelector("span.evidence");
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 80);
}

// Actors as buttons that filter the page on their code (text only: names are data).
function actorLinks(list, onActor) {
  if (!list || !list.length) return null;
  const box = el("span");
  list.forEach((a, i) => {
    if (i) box.append("; ");
    const label = a.code ? `${a.name} [${a.code}]` : a.name;
    if (a.code && onActor) {
      box.append(el("button", { type: "button", class: "actor-link", title: `show events of ${a.code}`,
                                "data-code": a.code, onclick: () => onActor(a.code) }, label));
    } else {
      box.append(label);
    }
  });
  return box;
}

function eventSpans(ev, art) {
  const spans = [];
  const ev0 = ev.evidence_span;
  if (ev0) spans.push({ start: ev0.start, end: ev0.end, cls: "evidence" });
  if (ev.trigger && ev.trigger.start !== null) spans.push({ start: ev.trigger.start, end: ev.trigger.end, cls: "trigger" });
  for (const a of ev.source || []) if (a.start !== null && a.start !== undefined) spans.push({ start: a.start, end: a.end, cls: "source" });
  for (const a of ev.target || []) if (a.start !== null && a.start !== undefined) spans.push({ start: a.start, end: a.end, cls: "target" });
  // dates and places of the article are shown too; those inside the evidence stand out with it
  for (const s of art.spans || []) {
    if (s.kind === "date" || s.kind === "place") spans.push({ start: s.start, end: s.end, cls: s.kind });
  }
  return spans;
}

// Cut ``text`` at every span boundary; each piece gets the classes of the spans covering it.
export function renderSpans(box, text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    if (s.start >= 0 && s.end <= text.length && s.start < s.end) { cuts.add(s.start); cuts.add(s.end); }
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const classes = [...new Set(spans.filter(s => s.start <= a && s.end >= b).map(s => s.cls))];
    if (classes.length) box.append(el("span", { class: classes.join(" ") }, piece));
    else box.append(document.createTextNode(piece));
  }
}
