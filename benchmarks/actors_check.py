"""Actor-resolution check on PLOVER-GSR gold actors (country code and sector accuracy).

For every gold source/target actor with an ``actorText``: find the text in the sentence, take the
spaCy span over those characters, resolve it with ``actors.resolve_phrase(span, mentions)`` (the
mentions from ``actors.extract`` on the same parse, as the event coder calls it) and compare:

- country: gold ``code`` vs the predicted ``country`` (or the first three letters of the predicted
  code for IGOs/NGOs: IGOUNO -> IGO);
- sector: gold ``sector`` (first three letters: CVLalb -> CVL; None and ``***`` mean "no sector")
  vs the predicted ``sector``.

Gold conventions mapped before comparing (the 2016 records use some legacy CAMEO codes):
JAP/ITL/VTN -> JPN/ITA/VNM (CAMEO's old codes), JRN (journalist) -> MED, MOS (Muslim) -> REL, CIV (a typo
for CVL) -> CVL. Run: ``python benchmarks/actors_check.py [path] [--show]``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter

from newsevents import actors, nlp
from newsevents.records import Article

GOLD = "/work/shared/data/plover-gsr/plover-gsr-dev.jsonl"
COUNTRY_MAP = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
SECTOR_MAP = {"JRN": "MED", "MOS": "REL", "CIV": "CVL", "***": None}


def _search(part: str, text: str, pos: int) -> re.Match[str] | None:
    """Whole-word match, exact case first ("US" must not hit "discuss")."""
    pat = r"(?<!\w)" + re.escape(part) + r"(?!\w)"
    return re.compile(pat).search(text, pos) or re.compile(pat, re.I).search(text, pos)


def _find(text: str, actor_text: str) -> tuple[int, int] | None:
    parts = [p.strip() for p in actor_text.split("...") if p.strip()]
    m = _search(parts[0], text, 0)
    if m is None:
        return None
    start, end = m.start(), m.end()
    for p in parts[1:]:
        m = _search(p, text, end)
        if m is None:
            return None
        end = m.end()
    return start, end


def _gold_sector(s: str | None) -> str | None:
    if not s:
        return None
    s3 = s[:3].upper()
    return SECTOR_MAP[s3] if s3 in SECTOR_MAP else s3


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=GOLD)
    ap.add_argument("--show", action="store_true", help="print every miss")
    ap.add_argument("--context", action="store_true",
                    help="code with the record's title and published date (wikinews-events)")
    ap.add_argument("--first-event", action="store_true", help="score the first gold event only")
    args = ap.parse_args()
    n = c_ok = s_ok = both_ok = found = 0
    misses: Counter[str] = Counter()
    calls, t_resolve = 0, 0.0
    for line in open(args.path, encoding="utf-8"):
        rec = json.loads(line)
        text = rec["text"]
        # the records' date_placeholder (2000-01-01) is not a real date: code with no date
        pub = None
        if args.context and str(rec.get("published") or "")[:10].count("-") == 2:
            pub = dt.datetime.fromisoformat(rec["published"][:10]).replace(tzinfo=dt.timezone.utc)
        art = Article(id=rec["id"], text=text, published=pub,
                      title=(rec.get("title") or "") if args.context else "")
        doc = nlp.parse(text)
        mentions, _ = actors.extract(doc, art)
        for ev in rec["expected_events"][:1] if args.first_event else rec["expected_events"]:
            for role in ("source", "target"):
                for g in ev.get(role) or []:
                    at = g.get("actorText")
                    if not at:
                        continue
                    loc = _find(text, at)
                    if loc is None:
                        continue
                    span = doc.char_span(loc[0], loc[1], alignment_mode="expand")
                    if span is None:
                        continue
                    t0 = time.perf_counter()
                    refs = actors.resolve_phrase(span, mentions)
                    t_resolve += time.perf_counter() - t0
                    calls += 1
                    n += 1
                    ref = refs[0] if refs else None
                    found += bool(ref)
                    gc = COUNTRY_MAP.get(g.get("code"), g.get("code"))
                    gs = _gold_sector(g.get("sector"))
                    pc = (ref.country or (ref.code or "")[:3] or None) if ref else None
                    ps = ref.sector if ref else None
                    ok_c, ok_s = pc == gc, ps == gs
                    c_ok += ok_c
                    s_ok += ok_s
                    both_ok += ok_c and ok_s
                    if not (ok_c and ok_s):
                        misses["country" if not ok_c else "sector"] += 1
                        if args.show:
                            print(f"{'C' if not ok_c else ' '}{'S' if not ok_s else ' '} "
                                  f"{at!r}: gold {gc}/{gs} pred {pc}/{ps} "
                                  f"[{ref.code if ref else None} {ref.text if ref else ''}]")
    print(json.dumps({
        "n": n,
        "resolved": round(found / n, 3),
        "country_accuracy": round(c_ok / n, 3),
        "sector_accuracy": round(s_ok / n, 3),
        "both_accuracy": round(both_ok / n, 3),
        "resolve_phrase_ms": round(1000 * t_resolve / max(calls, 1), 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
