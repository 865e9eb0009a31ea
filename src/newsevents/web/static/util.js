// Shared helpers. Every piece of stored text reaches the page through textContent or
// createTextNode, never innerHTML: article text, titles and names are data, not markup.
export const SVG_NS = "http://www.w3.org/2000/svg";
export const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation",
                           3: "verbal conflict", 4: "material conflict"};

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
  return node;
}

export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.setAttribute("class", v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export class ApiError extends Error {}

export async function api(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") qs.set(k, v);
  const url = qs.toString() ? `${path}?${qs}` : path;
  const resp = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : `${resp.status} ${resp.statusText}`;
    throw new ApiError(msg);
  }
  return body;
}

// Goldstein -10 (red) .. 0 (grey) .. +10 (green).
export function goldsteinColour(g) {
  const t = Math.max(-1, Math.min(1, (g ?? 0) / 10));
  const grey = [150, 150, 150], red = [200, 50, 47], green = [46, 157, 91];
  const to = t < 0 ? red : green, a = Math.abs(t);
  const c = grey.map((x, i) => Math.round(x + (to[i] - x) * a));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export function actorsText(list) {
  return (list || []).map(a => a.code ? `${a.name} [${a.code}]` : a.name).join("; ");
}
