"""CAMEO and PLOVER: code labels, roots, QuadClass, Goldstein, and the CAMEO -> PLOVER map.

The table ``data/cameo_codes.tsv`` is built by ``scripts/build_cameo_table.py`` from public code
tables (sources and licences in ``events/data/README.md``; decisions in ``docs/plover-map.md``).
CAMEO codes are strings with leading zeros ("0831", "190", "04").
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "PLOVER_TYPES",
    "GSR_2016_TO_PLOVER",
    "CameoCode",
    "codes",
    "lookup",
    "label",
    "root",
    "quad_class",
    "goldstein",
    "plover",
    "plover_type",
    "plover_from_gsr",
    "is_valid",
]

#: The 16 current PLOVER event types (PLOVER manual 2021+, as used by POLECAT).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",  # verbal cooperation
    "COOPERATE", "AID", "RETREAT",  # material cooperation
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",  # verbal conflict
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",  # material conflict
)

#: PLOVER-GSR (v0.5b1, 2016 draft) event labels -> current types. The draft's FIGHT (CAMEO 19,
#: conventional force) was folded into ASSAULT; DISAPPROVE (CAMEO 11) became ACCUSE; INVESTIGATE
#: (CAMEO 09) is ACCUSE with mode "investigate"; DEMAND (CAMEO 10) became REQUEST. These follow
#: the CAMEO2PLOVER-2021 table (CAMEO 19 -> ASSAULT, 09 -> ACCUSE/investigate, 11 -> ACCUSE,
#: 10 -> REQUEST). The other twelve labels are unchanged.
GSR_2016_TO_PLOVER: dict[str, str] = {
    "FIGHT": "ASSAULT",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "DEMAND": "REQUEST",
    **{t: t for t in PLOVER_TYPES},
}


@dataclass(frozen=True)
class CameoCode:
    code: str
    level: str  # root | base | tertiary
    root: str
    quad_class: int
    goldstein: float
    plover_type: str | None  # None for CAMEO 01 (public statements: no PLOVER type)
    plover_mode: str | None
    plover_context: str | None
    label: str


@lru_cache(maxsize=1)
def codes() -> dict[str, CameoCode]:
    """All CAMEO codes, keyed by code string."""
    out: dict[str, CameoCode] = {}
    with resources.files("newsevents.ontology").joinpath("data", "cameo_codes.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["code"]] = CameoCode(
                code=row["code"],
                level=row["level"],
                root=row["root"],
                quad_class=int(row["quad_class"]),
                goldstein=float(row["goldstein"]),
                plover_type=row["plover_type"] or None,
                plover_mode=row["plover_mode"] or None,
                plover_context=row["plover_context"] or None,
                label=row["label"],
            )
    return out


def _norm(code: str | int) -> str:
    s = str(code).strip()
    if s.isdigit() and len(s) == 1:
        s = "0" + s
    return s


def is_valid(code: str) -> bool:
    return _norm(code) in codes()


def lookup(code: str) -> CameoCode:
    """The record of ``code``; an unknown code falls back to its nearest listed parent."""
    c = _norm(code)
    table = codes()
    while c and c not in table:
        c = c[:-1] if len(c) > 2 else ""
    if not c:
        raise KeyError(f"unknown CAMEO code {code!r}")
    if c != _norm(code):
        base = table[c]
        return CameoCode(_norm(code), base.level, base.root, base.quad_class, base.goldstein,
                         base.plover_type, base.plover_mode, base.plover_context, base.label)
    return table[c]


def label(code: str) -> str:
    return lookup(code).label


def root(code: str) -> str:
    return _norm(code)[:2]


def quad_class(code: str) -> int:
    """1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13),
    4 material conflict (14-20)."""
    r = int(root(code))
    if not 1 <= r <= 20:
        raise KeyError(f"unknown CAMEO root in {code!r}")
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


def goldstein(code: str) -> float:
    return lookup(code).goldstein


def plover(code: str) -> tuple[str | None, str | None, str | None]:
    """(type, mode, context) in current PLOVER for a CAMEO code."""
    c = lookup(code)
    return c.plover_type, c.plover_mode, c.plover_context


def plover_type(code: str) -> str | None:
    return lookup(code).plover_type


def plover_from_gsr(label: str) -> str | None:
    """Map a PLOVER-GSR 2016 draft label (FIGHT, DISAPPROVE, ...) to a current PLOVER type."""
    return GSR_2016_TO_PLOVER.get((label or "").strip().upper())
