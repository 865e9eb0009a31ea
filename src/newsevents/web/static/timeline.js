// Timeline: stacked bars of events per bucket by QuadClass and a line of mean Goldstein.
// Click a bucket to filter on it, drag across buckets to filter on a range.
import { svg, clear } from "./util.js";

const PAD = { l: 34, r: 34, t: 8, b: 22 };

export class TimelineView {
  constructor(node, onRange) {
    this.node = node;
    this.onRange = onRange;
    this.buckets = [];
  }

  render(data, since, until) {
    clear(this.node);
    const { w, h } = { w: this.node.clientWidth || 800, h: this.node.clientHeight || 170 };
    const root = svg("svg", { "aria-label": "timeline of events" });
    this.node.append(root);
    const byDate = new Map();
    for (const it of data.items || []) {
      let b = byDate.get(it.date);
      if (!b) byDate.set(it.date, b = { date: it.date, end: it.end || it.date, quads: {}, n: 0, gsum: 0 });
      b.quads[it.quad_class] = (b.quads[it.quad_class] || 0) + it.events;
      b.n += it.events;
      b.gsum += (it.goldstein_mean ?? 0) * it.events;
    }
    const buckets = fillGaps([...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)), data.bucket);
    this.buckets = buckets;
    if (!buckets.length) {
      root.append(svg("text", { x: w / 2, y: h / 2, class: "empty" }, "no dated events"));
      return;
    }
    const iw = w - PAD.l - PAD.r, ih = h - PAD.t - PAD.b;
    const bw = iw / buckets.length;
    const max = Math.max(...buckets.map(b => b.n));
    const yN = n => PAD.t + ih - (n / max) * ih;
    const yG = g => PAD.t + ih / 2 - (g / 10) * (ih / 2);
    const axis = svg("g", { class: "axis" });
    axis.append(svg("line", { x1: PAD.l, x2: PAD.l + iw, y1: PAD.t + ih, y2: PAD.t + ih }));
    axis.append(svg("text", { x: 2, y: PAD.t + 8 }, max));
    axis.append(svg("text", { x: 2, y: PAD.t + ih }, 0));
    axis.append(svg("text", { x: w - PAD.r + 4, y: PAD.t + 8 }, "+10"));
    axis.append(svg("text", { x: w - PAD.r + 4, y: PAD.t + ih }, "−10"));
    const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(iw / 70))));
    buckets.forEach((b, i) => {
      if (i % every === 0) axis.append(svg("text", { x: PAD.l + i * bw + 2, y: h - 6 }, b.date));
    });
    root.append(axis);
    const bars = svg("g", { class: "bars" });
    buckets.forEach((b, i) => {
      const g = svg("g", { class: "bucket", "data-date": b.date, "data-end": b.end, "data-events": b.n });
      const selected = (since || until) && (!since || b.end >= since.slice(0, b.end.length))
        && (!until || b.date <= until);
      if (selected) g.classList.add("selected");
      let acc = 0;
      for (const q of [1, 2, 3, 4]) {
        const n = b.quads[q] || 0;
        if (!n) continue;
        g.append(svg("rect", { x: PAD.l + i * bw + 1, width: Math.max(1, bw - 2), y: yN(acc + n),
                               height: yN(acc) - yN(acc + n), class: `q${q}` }));
        acc += n;
      }
      // a transparent full-height hit area makes small buckets easy to click
      g.append(svg("rect", { x: PAD.l + i * bw, width: bw, y: PAD.t, height: ih, fill: "transparent",
                             class: "hit", "data-index": i }));
      g.append(svg("title", {}, `${b.date}${b.end !== b.date ? "–" + b.end : ""}: ${b.n} event(s)` +
                               (b.n ? `, mean Goldstein ${(b.gsum / b.n).toFixed(1)}` : "")));
      bars.append(g);
    });
    root.append(bars);
    const pts = buckets.map((b, i) => (b.n ? `${PAD.l + (i + 0.5) * bw},${yG(b.gsum / b.n)}` : null)).filter(Boolean);
    root.append(svg("polyline", { points: pts.join(" "), class: "goldstein" }));
    pts.forEach(p => { const [x, y] = p.split(","); root.append(svg("circle", { cx: x, cy: y, r: 2, class: "goldstein-dot" })); });
    this.bindBrush(root, bw, ih);
  }

  bindBrush(root, bw, ih) {
    const index = ev => {
      const box = root.getBoundingClientRect();
      const i = Math.floor((ev.clientX - box.left - PAD.l) / bw);
      return Math.max(0, Math.min(this.buckets.length - 1, i));
    };
    let start = null, rect = null;
    root.addEventListener("pointerdown", ev => {
      start = index(ev);
      rect = svg("rect", { class: "brush", y: PAD.t, height: ih, x: PAD.l + start * bw, width: bw });
      root.append(rect);
      root.setPointerCapture(ev.pointerId);
    });
    root.addEventListener("pointermove", ev => {
      if (start === null) return;
      const i = index(ev), a = Math.min(start, i), b = Math.max(start, i);
      rect.setAttribute("x", PAD.l + a * bw);
      rect.setAttribute("width", (b - a + 1) * bw);
    });
    root.addEventListener("pointerup", ev => {
      if (start === null) return;
      const i = index(ev), a = Math.min(start, i), b = Math.max(start, i);
      start = null;
      this.onRange(this.buckets[a].date, this.buckets[b].end);
    });
  }
}

// Empty buckets between the first and the last keep the x axis proportional to time.
function fillGaps(buckets, unit) {
  if (buckets.length < 2 || !["day", "week", "month"].includes(unit)) return buckets;
  const have = new Map(buckets.map(b => [b.date, b]));
  const out = [];
  const last = buckets[buckets.length - 1].date;
  let d = buckets[0].date;
  for (let guard = 0; d <= last && guard < 2000; guard++) {
    const end = unit === "week" ? addDays(d, 6) : d;
    out.push(have.get(d) || { date: d, end, quads: {}, n: 0, gsum: 0 });
    d = unit === "month" ? nextMonth(d) : addDays(d, unit === "week" ? 7 : 1);
  }
  return out.length < 2000 ? out : buckets;
}

function addDays(iso, n) {
  const t = new Date(iso + "T00:00:00Z");
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

function nextMonth(ym) {
  let [y, m] = ym.split("-").map(Number);
  m += 1;
  if (m > 12) { m = 1; y += 1; }
  return `${y}-${String(m).padStart(2, "0")}`;
}
