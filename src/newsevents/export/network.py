"""The actor network as files for graph tools: GraphML (networkx, igraph, Gephi, yEd), GEXF 1.3
(Gephi) and an edge list CSV. Nodes are actor codes, directed edges source -> target with the
number of events, their mean Goldstein and counts per QuadClass (``store.views.network``).
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

__all__ = ["NETWORK_FORMATS", "write_network"]

NETWORK_FORMATS = ("graphml", "gexf", "edges-csv")
_QUADS = ("1", "2", "3", "4")


def write_network(net: dict[str, Any], fmt: str, out: str | Path) -> tuple[int, int]:
    """Write ``net`` (``{"nodes", "edges"}``) to ``out`` in ``fmt``; return (nodes, edges)."""
    out = Path(out)
    if fmt == "graphml":
        _write_xml(_graphml(net), out)
    elif fmt == "gexf":
        _write_xml(_gexf(net), out)
    elif fmt == "edges-csv":
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "target", "events", "goldstein_mean", "q1", "q2", "q3", "q4",
                        "source_label", "target_label"])
            labels = {n["id"]: n["label"] for n in net["nodes"]}
            for e in net["edges"]:
                qc = e["quad_counts"]
                w.writerow([e["source"], e["target"], e["events"], e["goldstein_mean"],
                            *(qc.get(q, 0) for q in _QUADS), labels.get(e["source"], ""),
                            labels.get(e["target"], "")])
    else:
        raise ValueError(f"unknown network format {fmt!r}; one of {', '.join(NETWORK_FORMATS)}")
    return len(net["nodes"]), len(net["edges"])


def _write_xml(root: ET.Element, out: Path) -> None:
    ET.indent(root)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def _graphml(net: dict[str, Any]) -> ET.Element:
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    keys = [("label", "node", "string"), ("events", "node", "int"), ("events", "edge", "int"),
            ("goldstein_mean", "edge", "double")] + [(f"q{q}", "edge", "int") for q in _QUADS]
    for name, where, typ in keys:
        ET.SubElement(root, "key", {"id": f"{where}_{name}", "for": where, "attr.name": name, "attr.type": typ})
    g = ET.SubElement(root, "graph", {"id": "actors", "edgedefault": "directed"})
    for n in net["nodes"]:
        node = ET.SubElement(g, "node", {"id": n["id"]})
        ET.SubElement(node, "data", {"key": "node_label"}).text = n["label"] or n["id"]
        ET.SubElement(node, "data", {"key": "node_events"}).text = str(n["events"])
    for i, e in enumerate(net["edges"]):
        edge = ET.SubElement(g, "edge", {"id": f"e{i}", "source": e["source"], "target": e["target"]})
        ET.SubElement(edge, "data", {"key": "edge_events"}).text = str(e["events"])
        ET.SubElement(edge, "data", {"key": "edge_goldstein_mean"}).text = repr(float(e["goldstein_mean"] or 0.0))
        for q in _QUADS:
            ET.SubElement(edge, "data", {"key": f"edge_q{q}"}).text = str(e["quad_counts"].get(q, 0))
    return root


def _gexf(net: dict[str, Any]) -> ET.Element:
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "newsevents"
    ET.SubElement(meta, "description").text = "Actor network: who acts on whom (CAMEO actor codes)"
    g = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    na = ET.SubElement(g, "attributes", {"class": "node"})
    ET.SubElement(na, "attribute", {"id": "events", "title": "events", "type": "integer"})
    ea = ET.SubElement(g, "attributes", {"class": "edge"})
    ET.SubElement(ea, "attribute", {"id": "goldstein_mean", "title": "goldstein_mean", "type": "double"})
    for q in _QUADS:
        ET.SubElement(ea, "attribute", {"id": f"q{q}", "title": f"q{q}", "type": "integer"})
    nodes = ET.SubElement(g, "nodes")
    for n in net["nodes"]:
        node = ET.SubElement(nodes, "node", {"id": n["id"], "label": n["label"] or n["id"]})
        vals = ET.SubElement(node, "attvalues")
        ET.SubElement(vals, "attvalue", {"for": "events", "value": str(n["events"])})
    edges = ET.SubElement(g, "edges")
    for i, e in enumerate(net["edges"]):
        edge = ET.SubElement(edges, "edge", {"id": str(i), "source": e["source"], "target": e["target"],
                                             "weight": str(e["events"])})
        vals = ET.SubElement(edge, "attvalues")
        ET.SubElement(vals, "attvalue", {"for": "goldstein_mean", "value": repr(float(e["goldstein_mean"] or 0.0))})
        for q in _QUADS:
            ET.SubElement(vals, "attvalue", {"for": f"q{q}", "value": str(e["quad_counts"].get(q, 0))})
    return root
