#!/usr/bin/env python3
"""Learn names -> actor codes from coded news: src/newsevents/actors/data/actors_names_wikinews.tsv.

Input: ``wikinews-events/train.jsonl`` (sentences from Wikinews, CC BY 2.5, coded with PLOVER
events and actor codes by annotators; see that directory's README). Reserved (dev) articles are
never read: only the training file is. For every coded source/target actor, the named entities
spaCy finds inside its words (PERSON, ORG, NORP) vote for the actor's code (ISO3 country, IGO or
NGO) and sector. A name is kept when

- the actor lexicon does not already know it (no country/organisation/leader entry, no PETRARCH2
  person or organisation), so the table only adds what the dictionaries lack;
- at least 80 % of its votes agree on the code;
- it is a name of two or more words, or a one-word name coded in two or more articles (a bare
  surname is only trusted when it recurs).

The table holds names and codes only, no text from the sentences. Run from the repository root:
``python scripts/build_learned_names.py /path/to/wikinews-events/train.jsonl`` (about a minute;
the output is deterministic for a given spaCy model and training file).
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from newsevents import nlp
from newsevents.actors.lexicon import lexicon, name_key

OUT = Path(__file__).resolve().parents[1] / "src/newsevents/actors/data/actors_names_wikinews.tsv"
KIND = {"BUS": "company", "MED": "media", "PTY": "party", "OPP": "party", "REB": "armed_group",
        "LAB": "organisation", "REL": "organisation"}


def _find(text: str, actor_text: str) -> tuple[int, int] | None:
    parts = [p.strip() for p in actor_text.split("...") if p.strip()]
    if not parts:
        return None
    pat = r"(?<!\w)" + re.escape(parts[0]) + r"(?!\w)"
    m = re.search(pat, text)
    return (m.start(), m.end()) if m else None


#: Words that make up descriptions rather than names ("District Court", "upper house").
GENERIC = frozenset("""of the and for in on at general district upper lower house state states
federal national executive directors director high supreme central regional provincial local
city county council committee department ministry office board""".split())


def generic(lex, text: str, lower: Counter) -> bool:
    """A description, not a name: lower-case, or only words that the training text also uses
    in lower case ("Foreign Ministry", "Election Commission", "Armed Forces": such names need
    their country from the article, not from a table)."""
    if text[:1].islower():
        return True
    return all(w in GENERIC or (w,) in lex.common or lower[w] >= 2 for w in name_key(text).split())


def known(lex, text: str, label: str) -> bool:
    """The lexicon resolves this name already."""
    if lex.named(text, learned=False) is not None or lex.leader_alias.get(text.lower()):
        return True
    if label == "PERSON" and lex.petrarch_people(text, single_word=True):
        return True
    toks = list(nlp.load()(text)) if label != "PERSON" else []
    return any(m.entry.basis != "agent" for m in lex.match(toks))


def main(path: str) -> int:
    lex = lexicon()
    votes: dict[str, Counter] = defaultdict(Counter)
    sectors: dict[str, Counter] = defaultdict(Counter)
    articles: dict[str, set] = defaultdict(set)
    labels: dict[str, Counter] = defaultdict(Counter)
    shown: dict[str, str] = {}
    raw = Path(path).read_bytes()
    recs = [json.loads(line) for line in raw.decode("utf-8").split("\n") if line.strip()]
    texts = [r["text"] for r in recs]
    lower: Counter = Counter()
    for rec, doc in zip(recs, nlp.load().pipe(texts, batch_size=64)):
        lower.update(t.text for t in doc if t.is_lower and t.is_alpha)
        for ev in rec.get("expected_events") or []:
            for role in ("source", "target"):
                for a in ev.get(role) or []:
                    code = a.get("code")
                    if not code or not a.get("actorText"):
                        continue
                    loc = _find(rec["text"], a["actorText"])
                    if loc is None:
                        continue
                    span = doc.char_span(loc[0], loc[1], alignment_mode="expand")
                    if span is None:
                        continue
                    for ent in span.ents:
                        if ent.label_ not in ("PERSON", "ORG", "NORP"):
                            continue
                        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
                        text = re.sub(r"\s*'s$", "", text).strip()
                        k = name_key(text)
                        if not k or len(k) < 3:
                            continue
                        votes[k][code[:3]] += 1
                        sectors[k][(a.get("sector") or "")[:3]] += 1
                        articles[k].add(rec.get("article"))
                        labels[k][ent.label_] += 1
                        shown.setdefault(k, text)
    rows = []
    for k, c in votes.items():
        code, n = c.most_common(1)[0]
        total = sum(c.values())
        if n / total < 0.8:
            continue
        if " " not in k and len(articles[k]) < 2:
            continue
        label = labels[k].most_common(1)[0][0]
        if generic(lex, shown[k], lower) or known(lex, shown[k], label):
            continue
        sector = sectors[k].most_common(1)[0][0]
        kind = "person" if label == "PERSON" else KIND.get(sector, "organisation")
        if code in ("IGO", "NGO"):
            org, country = code, ""
            if kind != "person":
                kind = "igo" if code == "IGO" else "ngo"
        else:
            org, country = "", code
        rows.append((shown[k], org, country, sector, kind, n, len(articles[k])))
    rows.sort(key=lambda r: name_key(r[0]))
    digest = hashlib.sha256(raw).hexdigest()[:16]
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("# Names learned from the coded actors of wikinews-events/train.jsonl (sha256 "
                 f"{digest}...) by scripts/build_learned_names.py.\n# Source sentences: Wikinews "
                 "(https://en.wikinews.org), CC BY 2.5; this table holds names and codes only.\n")
        fh.write("# name\tcode\tcountry\tsector\tkind\tvotes\tarticles\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(rows)} names -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  "/work/shared/data/wikinews-events/train.jsonl"))
