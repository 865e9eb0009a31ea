// World map: Natural Earth 1:110m outlines (static/world.json, shipped in the package) in an
// equirectangular projection; event places clustered on a screen grid, coloured by the
// QuadClass with most events. Wheel or +/- to zoom, drag to pan, click a cluster to filter.
import { svg, el, clear, QUAD_NAMES } from "./util.js";

const CELL = 34;  // px: places closer than this on screen are drawn as one cluster

export class MapView {
  constructor(node, onPlace) {
    this.node = node;
    this.onPlace = onPlace;
    this.view = { k: 1, tx: 0, ty: 0 };
    this.features = [];
    this.root = svg("svg", { "aria-label": "map of events" });
    this.land = svg("g", { class: "land" });
    this.points = svg("g", { class: "points" });
    this.root.append(this.land, this.points);
    node.append(this.root);
    const zoom = el("div", { class: "zoom" },
      el("button", { type: "button", title: "zoom in", onclick: () => this.zoomBy(1.6) }, "+"),
      el("button", { type: "button", title: "zoom out", onclick: () => this.zoomBy(1 / 1.6) }, "−"));
    node.append(zoom);
    this.world = fetch("static/world.json").then(r => r.json()).then(w => { this.drawLand(w); return w; });
    this.bindPanZoom();
  }

  size() { return { w: this.node.clientWidth || 600, h: this.node.clientHeight || 340 }; }
  base() { const { w, h } = this.size(); return Math.min(w / 360, h / 180); }
  project(lon, lat) {
    const s = this.base() * this.view.k;
    return [lon * s + this.view.tx, -lat * s + this.view.ty];
  }

  drawLand(world) {
    for (const c of world.countries) {
      let d = "";
      for (const ring of c.rings) {
        for (let i = 0; i < ring.length; i += 2) d += (i ? "L" : "M") + ring[i] + "," + (-ring[i + 1]);
        d += "Z";
      }
      const p = svg("path", { d, class: "country" });
      p.append(svg("title", {}, c.name));
      this.land.append(p);
    }
    this.applyView();
  }

  async render(geojson) {
    await this.world;
    this.features = (geojson.features || []).filter(f => f.geometry && f.geometry.coordinates);
    this.fit();
    this.drawPoints();
  }

  fit() {
    const { w, h } = this.size();
    const b = this.base();
    if (!this.features.length) { this.setView(1, w / 2, h / 2); return; }
    let [x0, y0, x1, y1] = [180, 90, -180, -90];
    for (const f of this.features) {
      const [lon, lat] = f.geometry.coordinates;
      x0 = Math.min(x0, lon); x1 = Math.max(x1, lon); y0 = Math.min(y0, lat); y1 = Math.max(y1, lat);
    }
    const spanX = Math.max(x1 - x0, 24) * 1.3, spanY = Math.max(y1 - y0, 14) * 1.3;
    const k = Math.max(1, Math.min(w / (spanX * b), h / (spanY * b), 40));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    this.setView(k, w / 2 - cx * b * k, h / 2 + cy * b * k);
  }

  setView(k, tx, ty) { this.view = { k, tx, ty }; this.applyView(); }

  applyView() {
    const s = this.base() * this.view.k;
    this.land.setAttribute("transform", `translate(${this.view.tx},${this.view.ty}) scale(${s})`);
    this.drawPoints();
  }

  zoomBy(f, cx, cy) {
    const { w, h } = this.size();
    cx = cx ?? w / 2; cy = cy ?? h / 2;
    const k = Math.max(1, Math.min(200, this.view.k * f));
    const r = k / this.view.k;
    this.setView(k, cx - (cx - this.view.tx) * r, cy - (cy - this.view.ty) * r);
  }

  bindPanZoom() {
    this.root.addEventListener("wheel", ev => {
      ev.preventDefault();
      const box = this.root.getBoundingClientRect();
      this.zoomBy(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - box.left, ev.clientY - box.top);
    }, { passive: false });
    let drag = null;
    this.root.addEventListener("pointerdown", ev => {
      if (ev.target.closest(".cluster")) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.view.tx, ty: this.view.ty };
      this.root.setPointerCapture(ev.pointerId);
    });
    this.root.addEventListener("pointermove", ev => {
      if (!drag) return;
      this.setView(this.view.k, drag.tx + ev.clientX - drag.x, drag.ty + ev.clientY - drag.y);
    });
    this.root.addEventListener("pointerup", () => { drag = null; });
  }

  drawPoints() {
    clear(this.points);
    const cells = new Map();
    for (const f of this.features) {
      const [x, y] = this.project(...f.geometry.coordinates);
      const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
      let c = cells.get(key);
      if (!c) cells.set(key, c = { x: 0, y: 0, n: 0, quads: { 1: 0, 2: 0, 3: 0, 4: 0 }, places: [] });
      const p = f.properties;
      c.x += x * p.events; c.y += y * p.events; c.n += p.events;
      for (const q of [1, 2, 3, 4]) c.quads[q] += (p.quad_counts || {})[q] || 0;
      c.places.push(p);
    }
    // grid cells side by side can still draw overlapping circles: fold each into a bigger
    // neighbour it would overlap (largest first)
    const radius = n => 5 + Math.sqrt(n) * 3;
    const kept = [];
    for (const c of [...cells.values()].sort((a, b) => b.n - a.n)) {
      const cx = c.x / c.n, cy = c.y / c.n;
      const host = kept.find(k => Math.hypot(k.x / k.n - cx, k.y / k.n - cy) < (radius(k.n) + radius(c.n)) * 0.9);
      if (!host) { kept.push(c); continue; }
      host.x += c.x; host.y += c.y; host.n += c.n; host.places.push(...c.places);
      for (const q of [1, 2, 3, 4]) host.quads[q] += c.quads[q];
    }
    for (const c of kept) {
      const x = c.x / c.n, y = c.y / c.n;
      const quad = [1, 2, 3, 4].reduce((a, q) => (c.quads[q] > c.quads[a] ? q : a), 1);
      const r = radius(c.n);
      const g = svg("g", { class: "cluster-group" });
      const circle = svg("circle", { cx: x, cy: y, r, class: `cluster q${quad}`, "data-events": c.n,
                                     "data-quad": quad, "data-places": c.places.length,
                                     "data-place": c.places.length === 1 ? (c.places[0].id || c.places[0].name) : null });
      const names = c.places.map(p => `${p.name}${p.country ? " (" + p.country + ")" : ""}: ${p.events}`);
      circle.append(svg("title", {}, `${c.n} event(s), mostly ${QUAD_NAMES[quad]}\n${names.join("\n")}`));
      circle.addEventListener("click", () => {
        if (c.places.length === 1) this.onPlace(c.places[0].id || c.places[0].name);
        else this.zoomBy(2.5, x, y);
      });
      g.append(circle);
      if (c.n > 1) g.append(svg("text", { x, y, class: "cluster-label" }, c.n));
      this.points.append(g);
    }
  }
}
