// Actor network: nodes are actor codes, directed edges source -> target with the number of
// events and their mean Goldstein (edge colour). A small force layout (repulsion, springs,
// centring) runs to rest before drawing, so the picture is stable for a given answer.
import { svg, clear, goldsteinColour } from "./util.js";

export class NetworkView {
  constructor(node, onActor) {
    this.node = node;
    this.onActor = onActor;
  }

  render(data, selected) {
    clear(this.node);
    const w = this.node.clientWidth || 500, h = this.node.clientHeight || 340;
    const root = svg("svg", { "aria-label": "actor network" });
    this.node.append(root);
    // actors without an edge among the shown ones only crowd the picture (the table lists them)
    const linked = new Set((data.edges || []).flatMap(e => [e.source, e.target]));
    let nodes = (data.nodes || []).map(n => ({ ...n }));
    if (linked.size) nodes = nodes.filter(n => linked.has(n.id) || n.id === selected);
    if (!nodes.length) {
      root.append(svg("text", { x: w / 2, y: h / 2, class: "empty" }, "no actors with events"));
      return;
    }
    const byId = new Map(nodes.map(n => [n.id, n]));
    const edges = (data.edges || []).filter(e => byId.has(e.source) && byId.has(e.target));
    layout(nodes, edges, byId, w, h);
    const defs = svg("defs");
    root.append(defs);
    const maxE = Math.max(...edges.map(e => e.events), 1);
    const gEdges = svg("g", { class: "edges" });
    edges.forEach((e, i) => {
      const a = byId.get(e.source), b = byId.get(e.target);
      const colour = goldsteinColour(e.goldstein_mean);
      const id = `arrow${i}`;
      const m = svg("marker", { id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 9, markerHeight: 9,
                                 markerUnits: "userSpaceOnUse",
                                 orient: "auto-start-reverse" });
      m.append(svg("path", { d: "M0,0L10,5L0,10z", fill: colour }));
      defs.append(m);
      const ra = radius(a), rb = radius(b);
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      // curve a little so A->B and B->A do not overlap
      const mx = (a.x + b.x) / 2 - dy / len * 14, my = (a.y + b.y) / 2 + dx / len * 14;
      const x1 = a.x + dx / len * ra, y1 = a.y + dy / len * ra, x2 = b.x - dx / len * (rb + 2), y2 = b.y - dy / len * (rb + 2);
      const path = svg("path", { d: a === b ? loop(a) : `M${x1},${y1}Q${mx},${my} ${x2},${y2}`, class: "edge",
                                 stroke: colour, "stroke-width": 1 + 4 * Math.sqrt(e.events / maxE),
                                 "marker-end": a === b ? null : `url(#${id})`,
                                 "data-source": e.source, "data-target": e.target });
      const quads = Object.entries(e.quad_counts || {}).map(([q, n]) => `Q${q}: ${n}`).join(", ");
      path.append(svg("title", {}, `${e.source} → ${e.target}: ${e.events} event(s), mean Goldstein ` +
                                  `${(e.goldstein_mean ?? 0).toFixed(1)} (${quads})`));
      gEdges.append(path);
    });
    root.append(gEdges);
    const gNodes = svg("g", { class: "nodes" });
    for (const n of nodes) {
      const g = svg("g", { class: "node" + (selected && n.id === selected ? " selected" : ""),
                           transform: `translate(${n.x},${n.y})`, "data-id": n.id });
      const c = svg("circle", { r: radius(n) });
      c.append(svg("title", {}, `${n.label} [${n.id}]: ${n.events} event(s)`));
      g.append(c, svg("text", { x: radius(n) + 3, y: 3 }, n.id));
      g.addEventListener("click", () => this.onActor(n.id));
      gNodes.append(g);
    }
    root.append(gNodes);
  }
}

function radius(n) { return 4 + Math.sqrt(n.events) * 2.2; }
function loop(a) { const r = radius(a); return `M${a.x},${a.y - r}c18,-26 30,4 ${r},${r}`; }

function layout(nodes, edges, byId, w, h) {
  // Fruchterman-Reingold: repulsion k^2/d between all nodes, attraction d^2/k along edges, a
  // pull to the centre, and a temperature that cools to zero in a fixed number of steps.
  // Deterministic start (a circle by rank) so a given answer always gives the same picture.
  const pad = 24, W = w - 2 * pad - 50, H = h - 2 * pad;
  nodes.forEach((n, i) => {
    const t = (2 * Math.PI * i) / nodes.length;
    n.x = Math.cos(t) * W / 4; n.y = Math.sin(t) * H / 4;
  });
  const k = 0.9 * Math.sqrt((W * H) / Math.max(nodes.length, 1));
  const steps = 250;
  let temp = Math.min(W, H) / 5;
  for (let step = 0; step < steps; step++) {
    for (const n of nodes) { n.dx = 0; n.dy = 0; }
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.hypot(dx, dy), 1);
        const f = (k * k) / d;
        a.dx += dx / d * f; a.dy += dy / d * f; b.dx -= dx / d * f; b.dy -= dy / d * f;
      }
    }
    for (const e of edges) {
      const a = byId.get(e.source), b = byId.get(e.target);
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d * d) / k;
      a.dx -= dx / d * f; a.dy -= dy / d * f; b.dx += dx / d * f; b.dy += dy / d * f;
    }
    for (const n of nodes) {
      n.dx -= n.x * 0.08 * k / 10; n.dy -= n.y * 0.08 * k / 10;  // gravity keeps components together
      const d = Math.max(Math.hypot(n.dx, n.dy), 0.01), m = Math.min(d, temp);
      n.x += n.dx / d * m; n.y += n.dy / d * m;
    }
    temp *= 0.97;
  }
  // fit the result into the panel
  const xs = nodes.map(n => n.x), ys = nodes.map(n => n.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = W / Math.max(x1 - x0, 1), sy = H / Math.max(y1 - y0, 1);
  for (const n of nodes) {
    n.x = pad + (nodes.length > 1 ? (n.x - x0) * sx : W / 2);
    n.y = pad + (nodes.length > 1 ? (n.y - y0) * sy : H / 2);
  }
}
