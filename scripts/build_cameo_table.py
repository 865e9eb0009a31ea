"""Build src/newsevents/data/cameo_codes.tsv from the public CAMEO code tables.

Reads (by path, never copied into the repo) ``cameo_event_codes.jsonl`` (labels, MIT),
``cameo2plover_2021.jsonl`` (PLOVER map, CC BY-SA 4.0) and ``cameo_goldstein.tsv`` (GDELT's
Goldstein lookup) and writes one row per CAMEO code::

    code  level  root  quad_class  goldstein  plover_type  plover_mode  plover_context  label

Decisions (see docs/plover-map.md):
- A code missing from the Goldstein table takes its nearest ancestor's value (1384 -> 138).
- CAMEO 01 (statements) has no PLOVER type: left empty.
- CAMEO 02 (appeals) maps to REQUEST, with the mode/context of its CAMEO 10 twin
  (021 appeal for material cooperation <-> 101 demand material cooperation, ...), because PLOVER's
  REQUEST covers both polite appeals and demands.
- CAMEO 08 appears twice as a root in the PLOVER table (CONCEDE for 080-083, RETREAT for 084-087):
  the root row 08 keeps CONCEDE; each base/tertiary code carries its own mapping.

Usage: python scripts/build_cameo_table.py [/work/shared/data/cameo-reference]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_SRC = Path("/work/shared/data/cameo-reference")
OUT = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "data" / "cameo_codes.tsv"
COLUMNS = ("code", "level", "root", "quad_class", "goldstein", "plover_type", "plover_mode",
           "plover_context", "label")


def quad_class(root: str) -> int:
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def _ancestors(code: str) -> list[str]:
    """The code and its parents, nearest first: 1384 -> [1384, 138, 13]."""
    out = [code]
    while len(out[-1]) > 2:
        out.append(out[-1][:-1])
    return out


def build(src: Path) -> list[dict[str, str]]:
    labels: dict[str, tuple[str, str]] = {}
    for line in (src / "cameo_event_codes.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        labels[d["cameo_code"]] = (d["label"], d["level"])
    plover: dict[str, tuple[str | None, str | None, str | None]] = {}
    for line in (src / "cameo2plover_2021.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        code = d["cameo_code"]
        if code in plover:  # 08 twice: keep the first (CONCEDE); 175 twice: identical
            continue
        plover[code] = (d["plover_event"], d["plover_mode"], d["plover_context"])
        if code not in labels and d.get("cameo_label"):
            labels[code] = (d["cameo_label"], d["level"])
    gold: dict[str, float] = {}
    for i, line in enumerate((src / "cameo_goldstein.tsv").open(encoding="utf-8")):
        if i == 0 or not line.strip():
            continue
        k, v = line.rstrip("\n").split("\t")
        gold[k.strip()] = float(v)

    rows = []
    for code in sorted(labels, key=lambda c: (c[:2], c)):
        label, level = labels[code]
        root = code[:2]
        g = next((gold[a] for a in _ancestors(code) if a in gold), 0.0)
        if code in plover:
            ptype, pmode, pctx = plover[code]
        elif root == "02":
            twin = "10" + code[2:]  # 0214 -> 1014, 026 -> 106, 02 -> 10
            ptype, pmode, pctx = plover.get(twin, ("REQUEST", None, None))
            ptype = "REQUEST"
        elif root == "01":
            ptype = pmode = pctx = None
        else:  # a code absent from the PLOVER table: inherit from its nearest ancestor
            anc = next((a for a in _ancestors(code) if a in plover and a != code), root)
            ptype, pmode, pctx = plover.get(anc, (None, None, None))
        rows.append({
            "code": code, "level": level, "root": root, "quad_class": str(quad_class(root)),
            "goldstein": f"{g:.1f}", "plover_type": ptype or "", "plover_mode": pmode or "",
            "plover_context": pctx or "", "label": label,
        })
    return rows


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    rows = build(src)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            fh.write("\t".join(r[c] for c in COLUMNS) + "\n")
    print(f"wrote {len(rows)} codes to {OUT}")


if __name__ == "__main__":
    main(sys.argv)
