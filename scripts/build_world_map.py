"""Build the page's world map (src/newsevents/web/static/world.json) from Natural Earth.

Source: the npm package ``world-atlas`` 2.0.2 (TopoJSON of Natural Earth 1:110m country
outlines; Natural Earth is public domain, world-atlas is ISC-licensed, see
static/LICENSE-world-atlas). Run once at build time, never at run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/countries-110m.json src/newsevents/web/static/world.json

The output is a small JSON list of countries, each with its rings as flat [lon, lat, lon, lat, ...]
arrays rounded to 0.01 degree, which the page draws as SVG paths (equirectangular projection).
"""
from __future__ import annotations

import json
import sys


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised and delta-encoded: undo both."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[float]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        # consecutive arcs share their joining point
        pts.extend(arc if not pts else arc[1:])
    # Rings crossing the antimeridian (Russia's Chukotka, Fiji) jump from +180 to -180: draw
    # them past +180 instead, or a flat projection strokes a line across the whole map.
    if any(abs(b[0] - a[0]) > 180 for a, b in zip(pts, pts[1:])):
        pts = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in pts]
    flat: list[float] = []
    for lon, lat in pts:
        flat += [round(lon, 2), round(lat, 2)]
    return flat


def build(topo: dict) -> dict:
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        rings = [ring(arcs, r) for poly in polys for r in poly]
        if g["properties"]["name"] == "Antarctica":
            continue  # spans every longitude; no news events to show there, and 1/6 of the bytes
        if rings:
            countries.append({"id": g.get("id"), "name": g["properties"]["name"], "rings": rings})
    return {"source": "Natural Earth 1:110m via world-atlas 2.0.2 (ISC)", "countries": countries}


if __name__ == "__main__":
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as fh:
        data = build(json.load(fh))
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))
    print(f"{out}: {len(data['countries'])} countries")
