"""How coding time grows with document length, stage by stage (issue 10, item 2).

Prose: the first Wikinews articles of the shared corpus joined into one text and cut at 25k, 50k,
100k and 200k characters (the per-document limit, ``newsevents.ingest.MAX_CHARS``). One long
"sentence": a clause repeated without a full stop up to 20,000 tokens. For each, the parse time
and the time of every stage after it; a stage is linear when its time doubles with the length.

    python benchmarks/length_scaling.py [--sizes 25000,50000,100000,200000] [--tokens 5000,10000,20000]

Reads ``$NEWSEVENTS_DATA/wikinews-text/wikinews_articles.jsonl`` (default ../shared/data).
Single process; figures are noisy on a shared machine (+-20 %): compare ratios, not seconds.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

STAGES = ("actors", "events", "dates", "date_events", "places", "place_events", "quotes", "features")


def _timed(fn: Callable[..., Any], key: str, totals: dict[str, float]) -> Callable[..., Any]:
    def run(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - t
    return run


def instrument(totals: dict[str, float]) -> None:
    """Time every stage ``pipeline.core.process_doc`` calls (the module attributes it reads)."""
    from newsevents import registry
    from newsevents.pipeline import core

    for name, reg in (("actors", registry.actor_resolvers), ("dates", registry.date_resolvers),
                      ("places", registry.geocoders)):
        get = reg.get
        reg.get = lambda n, _get=get, _key=name: _timed(_get(n), _key, totals)  # type: ignore[method-assign]
    core.events.code = _timed(core.events.code, "events", totals)
    core.dates.date_events = _timed(core.dates.date_events, "date_events", totals)
    core.places.place_events = _timed(core.places.place_events, "place_events", totals)
    core.quotes.extract = _timed(core.quotes.extract, "quotes", totals)
    core.features.extract = _timed(core.features.extract, "features", totals)


def measure(text: str, totals: dict[str, float]) -> dict[str, Any]:
    from newsevents import nlp
    from newsevents.ingest import make_article
    from newsevents.pipeline.core import process_doc

    article = make_article(text, published="2024-12-09", language="en")
    totals.clear()
    t = time.perf_counter()
    doc = nlp.parse(article.text)
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    process_doc(article, doc)
    stages_s = time.perf_counter() - t
    return {"chars": len(article.text), "tokens": len(doc), "sentences": sum(1 for _ in doc.sents),
            "parse_s": round(parse_s, 2), "stages_s": round(stages_s, 2),
            **{k: round(totals.get(k, 0.0), 2) for k in STAGES}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="25000,50000,100000,200000")
    ap.add_argument("--tokens", default="5000,10000,20000")
    ap.add_argument("--corpus", default=None)
    args = ap.parse_args(argv)
    from newsevents.evaluate.gate import default_data_root

    corpus = Path(args.corpus) if args.corpus else (default_data_root() or Path("../shared/data")) / \
        "wikinews-text" / "wikinews_articles.jsonl"
    texts = []
    with open(corpus, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if sum(map(len, texts)) > 250_000:
                break
    prose = "\n\n".join(texts)
    totals: dict[str, float] = {}
    instrument(totals)
    measure("Russia granted asylum to Bashar al-Assad in Moscow on Sunday.", totals)  # warm up
    rows = [dict(kind="prose", **measure(prose[:int(n)], totals)) for n in args.sizes.split(",")]
    clause = "Russian forces attacked rebels in Idlib and "
    rows += [dict(kind="one sentence", **measure(clause * (int(n) // 7) + "they left.", totals))
             for n in args.tokens.split(",")]
    cols = ["kind", "chars", "tokens", "sentences", "parse_s", "stages_s", *STAGES]
    print("\t".join(cols))
    for r in rows:
        print("\t".join(str(r[c]) for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
