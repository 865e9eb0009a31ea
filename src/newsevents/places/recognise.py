"""Toponym recognition over a spaCy Doc: which spans are place names.

Sources, in order: spaCy GPE/LOC entities (FAC only when the gazetteer knows the name), ORG /
PERSON entities that are really places, place names inside organisation names ("the U.S.
Centers for Disease Control", "SOS Children's Village Malakal"), and capitalised gazetteer
names spaCy did not tag. Each error class handled here was found on geovirus-dev span errors.
"""
from __future__ import annotations

import bisect
from typing import Sequence

from spacy.tokens import Doc, Span

from newsevents.places.index import Candidate, gazetteer, norm
from newsevents.places.mentions import Spans
from newsevents.places.resolve import Mention, demonym_country
from newsevents.records import ActorMention

__all__ = ["recognise", "qualifier", "hint", "sent_index"]

_LABELS = {"GPE", "LOC", "FAC"}
#: Small words that may sit inside a multiword place name ("Bosnia and Herzegovina").
_INNER = {"of", "and", "de", "del", "la", "el", "al", "upon", "on", "du", "des", "the"}
# Gazetteer-only matches (no spaCy entity) must be multiword or a name of at least this
# importance: single capitalised words matching some village are mostly not toponyms.
_GAZ_MIN_POP = 100_000
_LOC_PREPS = {"in", "at", "near", "from", "outside", "across", "throughout", "around", "to", "into"}
#: A place name followed by these names a pathogen, not a place ("West Nile virus", "Reston
#: ebolavirus", "Marburg fever"): 14 false positives on geovirus-dev.
_PATHOGEN = {"virus", "viruses", "ebolavirus", "fever", "disease", "strain", "encephalitis",
             "virus's", "hemorrhagic", "haemorrhagic"}  # not "flu"/"outbreak": "the United States flu season"
#: Generic words spaCy keeps inside the entity but annotators leave out ("Hebei province").
_GENERIC_TAIL = {"province", "region", "state", "district", "county", "prefecture", "area"}
#: Entity labels whose tokens are never part of a toponym found by gazetteer scan.
_NOT_PLACE = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP",
              "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "PERSON", "ORG"}  # PRODUCT: "in Calcutta" was one


#: What stands before a state abbreviation we read as a place: "Peoria, Ill.", "D-Ill.", "(Ill.)".
_ABBREV_BEFORE = {",", "-", "(", "–", "—"}


def sent_index(doc: Doc, sent: Span) -> int:
    starts = doc.user_data.setdefault("newsevents.places.sent_starts", [s.start for s in doc.sents])
    return bisect.bisect_right(starts, sent.start) - 1


def qualifier(doc: Doc, end: int) -> str | None:
    """"Paris, Texas": the capitalised name right after a comma following the toponym.

    Not in a list ending in "and"/"or": "Washington, Pennsylvania and California".
    """
    if (end + 1 < len(doc) and doc[end].text == "," and len(doc[end + 1].text) == 2 and doc[end + 1].is_upper
            and gazetteer().abbreviation(doc[end + 1].text, postal=True) is not None):
        return doc[end + 1].text  # "Peoria, IL"
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].is_title:
        j = end + 1
        while j < len(doc) and j < end + 4 and (doc[j].is_title or doc[j].text == "."):
            j += 1
        nxt = doc[j] if j < len(doc) else None
        if nxt is not None and nxt.lower_ in ("and", "or"):
            return None  # "Washington, Pennsylvania and California" is a list
        # "Stroud, Ontario, Canada" is a chain, not a list; a list of countries ("China, Japan,
        # Korea") is harmless because the resolver never qualifies a country name.
        return doc[end + 1 : j].text
    return None


def hint(doc: Doc, end: int, start: int | None = None) -> str | None:
    """"admin1" when the words around the name say so ("Washington state", "Hebei province",
    "the state of Washington")."""
    if end < len(doc) and doc[end].lower_ in ("state", "province", "governor", "gov."):
        return "admin1"  # "New York Governor Andrew Cuomo": governors run states and provinces
    if start is not None and start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in ("state", "province"):
        return "admin1"
    return None


def _mention(doc: Doc, start: int, end: int, label: str) -> Mention:
    span = doc[start:end]
    return Mention(span.start_char, span.end_char, span.text, sent_index(doc, span.sent), label,
                   qualifier(doc, end), hint=hint(doc, end, start))


def abbreviation_end(doc: Doc, i: int) -> int | None:
    """End token of a state/province abbreviation starting at token ``i``, period(s) included:
    "Ill.", "W.Va." (one token, or "W.Va" + "."), "W. Va." (two tokens)."""
    gaz = gazetteer()
    best = None
    text = ""
    for j in range(i, min(len(doc), i + 4)):
        text += doc[j].text
        if text.endswith(".") and gaz.abbreviation(text) is not None:
            best = j + 1
        if doc[j].whitespace_ and not doc[j].text.endswith("."):
            break
    return best


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token span without a leading "the", a trailing possessive / punctuation / "province"."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    ab = abbreviation_end(doc, start) if start < end else None
    if ab is not None and ab >= end:
        return start, ab  # "W.Va." keeps its periods
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if end - start >= 2 and doc[end - 1].is_lower and doc[end - 1].lower_ in _GENERIC_TAIL:
        end -= 1
    return start, end


def _important(cands: Sequence[Candidate], min_pop: int = _GAZ_MIN_POP) -> bool:
    # (a second-level division's population is the sum of its towns': not a measure of fame)
    return any(c.feat in ("country", "continent", "region", "admin1")
               or (not c.alt and c.pop >= min_pop and c.feat != "admin2") for c in cands)


def _extend(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Grow a span to the longest gazetteer name around it: spaCy splits "Democratic Republic
    of the Congo" into "Democratic Republic" and "Congo"."""
    gaz = gazetteer()
    best = (s, e)
    for ls in range(max(0, s - 4), s + 1):
        for le in range(e, min(len(doc), e + 4) + 1):
            if (ls, le) == (s, e) or le - ls <= best[1] - best[0]:
                continue
            span = doc[ls:le]
            if not (doc[ls].is_title and doc[le - 1].is_title) or "\n" in span.text or doc[ls].lower_ == "the":
                continue
            if any(c.feat in ("country", "admin1", "region") for c in gaz.candidates(span.text, fuzzy=False)):
                best = (ls, le)
    return best


def _inside(doc: Doc, ent: Span, local_only: bool = False) -> list[tuple[int, int]]:
    """Place names inside an organisation's name: "U.S. Centers for Disease Control", "Santa Ana
    Unified School District", "SOS Children's Village Malakal", "universities of Georgia and
    Glasgow". Only names of some importance, to keep "Franklin Elementary" out."""
    gaz = gazetteer()
    found = []
    i = ent.start
    while i < ent.end:
        hit = None
        for j in range(min(ent.end, i + 4), i, -1):
            toks = doc[i:j]
            if not (toks[0].is_title or toks[0].is_upper) or not (toks[-1].is_title or toks[-1].is_upper):
                continue
            if toks[0].lower_ == "the":  # "The U.S. Food and Drug Administration": span is "U.S."
                break
            if len(toks.text) < 2 or _hyphenated(doc, i, j):
                continue  # "Agence France-Presse" names no place
            cands = gaz.candidates(toks.text, fuzzy=False)
            if (_important(cands) and not local_only) or (
                    _local_head(doc, j) and _town_name(cands, toks.text) and _whole_name(doc, i, j)):
                hit = j  # "Middletown Police Department": a local name before a local noun
                break
        if hit:
            found.append((i, hit))
            i = hit
        else:
            i += 1
    return found


#: Nouns that a local place name modifies in news: "Winona man", "Middletown police", "Avondale
#: Mayor", "Paris High School", "Torrington Fire Department", "Camarillo resident".
_LOCAL_HEADS = {
    "man", "woman", "men", "women", "boy", "girl", "teen", "teenager", "couple", "family", "resident",
    "residents", "native", "natives", "police", "mayor", "council", "councilman", "councilwoman",
    "sheriff", "fire", "firefighters", "officials", "selectman", "selectmen", "commissioners", "commission", "board", "township",
    "area", "chamber", "city", "town", "village", "county", "hospital", "post", "businessman",
    "department", "volunteer", "volunteers", "neighborhood", "community", "voters", "aldermen",
    "businesses", "merchants", "leaders", "historical", "manager", "administrator",
    "attorney", "judge", "marshal", "constable", "trustees", "supervisors",
}


def _of_residence(doc: Doc, i: int) -> bool:
    """"Theresa Pilkington of Jeannette", "Smith, 33, of Glen Allen": "of" after a person or an
    age names where someone lives."""
    if i < 2 or doc[i - 1].lower_ != "of":
        return False
    b = doc[i - 2]
    return b.ent_type_ == "PERSON" or (b.text == "," and i >= 3 and (doc[i - 3].like_num or doc[i - 3].ent_type_ == "PERSON"))


def _local_head(doc: Doc, j: int) -> bool:
    return j < len(doc) and doc[j].lower_ in _LOCAL_HEADS


def _whole_name(doc: Doc, i: int, j: int) -> bool:
    """doc[i:j] is the whole proper name, not the tail or head of a longer one ("South Simcoe
    Police", "Stoke Mandeville", "Beltran Leyva"), nor half of a hyphenated word ("Al-Fashir")."""
    if _hyphenated(doc, i, j):
        return False
    if i > 0 and (doc[i - 1].is_title or doc[i - 1].is_upper) and not doc[i - 1].is_sent_start:
        return False
    return j >= len(doc) or not doc[j].is_title or _local_head(doc, j)


#: Capitalised common words that are also names of some village ("Police", Poland; "Story",
#: Iowa): never taken as a place on the strength of a local noun or preposition alone.
_COMMON = _LOCAL_HEADS | {
    "college", "university", "story", "grove", "hills", "hill", "north", "south", "east", "west",
    "park", "center", "centre", "lake", "river", "union", "enterprise", "justice", "agency", "liberty",
    "independence", "state", "national", "federal", "police", "church", "street", "avenue", "road",
    "health", "hope", "friendship", "unity", "commerce", "industry", "industrial", "energy", "metro",
    "pacific", "atlantic", "midland", "titan", "man", "mission", "university", "college", "academy",
}


#: Words after a name that make it an institution's name: a town name that the article also
#: writes as "Franklin Elementary" is read as the school when it stands alone ("at Franklin").
_INSTITUTION = {"elementary", "school", "schools", "high", "college", "university", "hospital", "church",
                "academy", "foundation", "inc", "inc.", "corp", "corp.", "company", "co.", "institute"}
_NAMED_INSTITUTIONS = "newsevents.places.institutions"


def _institution_names(doc: Doc) -> set[str]:
    names = doc.user_data.get(_NAMED_INSTITUTIONS)
    if names is None:
        names = {doc[k - 1].lower_ for k in range(1, len(doc))
                 if doc[k].lower_ in _INSTITUTION and doc[k].is_title and doc[k - 1].is_title}
        doc.user_data[_NAMED_INSTITUTIONS] = names
    return names


def _town_name(cands: Sequence[Candidate], text: str = "") -> bool:
    """Some reading is a place under its own name (not an alternate one): a local name."""
    if text.lower() in _COMMON or (text.isupper() and len(text) <= 4):
        return False  # "Police"; "UGA" (an acronym names an organisation)
    return any(not c.alt and c.feat in ("city", "capital", "admin2", "admin1", "country") for c in cands)


def _hyphenated(doc: Doc, i: int, j: int) -> bool:
    before = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
    after = j < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_
    return before or after


def _misread_place(doc: Doc, ent: Span) -> bool:
    """A place the small model tagged ORG/PERSON: "the blast in Hyderabad" (ORG), "DRC" (ORG).

    A country/region name counts anywhere; a city of >= 100k people only after a locative
    preposition, so "in Hyderabad" counts but "by Jordan" does not.
    """
    cands = gazetteer().candidates(ent.text, fuzzy=False)
    if any(c.feat in ("country", "continent") for c in cands):
        return True  # not regions: "EU"/"European Union" tagged ORG is the organisation
    if ent.start > 0 and _of_residence(doc, ent.start) and _town_name(cands, ent.text):
        return True  # "Theresa Pilkington of Jeannette"
    if ent.start == 0 or doc[ent.start - 1].lower_ not in _LOC_PREPS:
        return False
    if ent.text.lower() in _institution_names(doc):
        return _important(cands)  # "at Franklin" where the article writes "Franklin Elementary"
    # After "in"/"near"/"from": any town under its own name ("a tree in Berlin", "from Marston");
    # a "person" only after a preposition that takes places, not people ("drove to Lanexa" is
    # read, "spoke to Sherman" is not).
    if ent.label_ == "PERSON" and doc[ent.start - 1].lower_ in ("to", "by"):
        return _important(cands)
    return _important(cands) or _town_name(cands, ent.text)


_DATELINE_AFTER = {",", "(", "-", "--", "—", "–"}


def _datelines(doc: Doc) -> list[tuple[int, int]]:
    """Upper-case dateline places: "DAMASCUS, Dec 1 (Reuters) -", "KYIV, Ukraine —", and after a
    headline, "WINONA -- The body of ...": at the start of the text, of a line or of a sentence."""
    gaz = gazetteer()
    starts = {0} | {t.i for t in doc if t.is_sent_start} | {t.i + 1 for t in doc if "\n" in t.text or "\n" in t.whitespace_}
    out = []
    for i in sorted(starts):
        j = i
        while j < min(len(doc), i + 4) and doc[j].is_upper and doc[j].is_alpha and len(doc[j].text) > 1:
            j += 1
        if j == i or j >= len(doc) or doc[j].text not in _DATELINE_AFTER:
            continue
        if gaz.candidates(doc[i:j].text, fuzzy=False):
            out.append((i, j))
    return out


#: Letters after a name that are a degree, not a state: "Ann Smith, MD, said".
_DEGREES = {"MD", "M.D.", "PhD", "Ph.D.", "RN", "DO", "DDS", "JD", "MBA", "CPA", "Esq", "Esq."}


def _degree(doc: Doc, s: int, e: int) -> bool:
    """A short upper-case "place" right after "<person>," is a degree or title ("Smith, MD")."""
    if e - s != 1 or s < 2 or doc[s - 1].text != ",":
        return False
    return doc[s].text in _DEGREES or (len(doc[s].text) <= 3 and doc[s].is_upper and doc[s - 2].ent_type_ == "PERSON")


#: Street words that end a street name ("Wichita Drive", "Memphis St.", "Grand Avenue").
_STREET = {"street", "st.", "avenue", "ave.", "road", "rd.", "drive", "boulevard", "blvd.", "lane",
           "parkway", "pkwy.", "highway", "pike", "turnpike"}
#: Words that with a number name a road ("Highway 19", "Route 9", "Interstate 395").
_ROUTE = {"highway", "route", "interstate"}


def _streets(doc: Doc) -> list[tuple[int, int]]:
    """Street and road names: up to three capitalised words and a street word, or a road word
    and its number. Local news places events on them; the gazetteer cannot, so they are placed
    through the town beside them (``places.fallback``)."""
    out = []
    for k, t in enumerate(doc):
        low = t.lower_
        if low in _ROUTE and t.is_title and k + 1 < len(doc) and doc[k + 1].like_num:
            out.append((k, k + 2))
            continue
        if low not in _STREET or not t.is_title or k == 0:
            continue
        i = k
        while i > 0 and k - i < 3 and (doc[i - 1].is_title or doc[i - 1].text in ("’", "'")) \
                and doc[i - 1].lower_ not in ("the", "on", "at", "of") and not doc[i - 1].is_sent_start:
            i -= 1
        if i == k and k > 0 and doc[k - 1].is_sent_start and doc[k - 1].is_title:
            i = k - 1
        if i < k and doc[i].is_title:
            out.append((i, k + 1))
    return out


_COUNTY_WORDS = {"County", "Parish", "Borough"}


def _counties(doc: Doc) -> list[tuple[int, int]]:
    """"Walker County", "DeSoto Parish" wherever they stand, also inside the names of courts,
    jails, fairs and sheriff's offices ("the Titus County Jail"): a county by its full name is
    unambiguous, so the gazetteer's second-level divisions are matched with their generic word."""
    gaz = gazetteer()
    out = []
    for k, t in enumerate(doc):
        if t.text not in _COUNTY_WORDS or k == 0:
            continue
        for i in range(max(0, k - 3), k):
            if doc[i].lower_ == "the" or not all(x.is_title or x.is_upper for x in doc[i:k]):
                continue
            if any(c.feat == "admin2" and not c.alt for c in gaz.candidates(doc[i:k + 1].text, fuzzy=False)):
                out.append((i, k + 1))
                break
    return out


def _is_pathogen(doc: Doc, e: int) -> bool:
    return e < len(doc) and doc[e].lower_ in _PATHOGEN


def _list_siblings(doc: Doc, out: list[Mention], taken: list[bool], add) -> None:
    """A town name joined to a place by "," / "and" / "or" is a place too: "between Gainesville
    and Lindsay", "in Oakport and Moorhead". One pass in text order, so a list grows link by link."""
    ends = {doc.char_span(m.start, m.end, alignment_mode="expand").end for m in out
            if doc.char_span(m.start, m.end, alignment_mode="expand") is not None}
    gaz = gazetteer()
    for k in range(len(doc)):
        if k not in ends:
            continue
        j = k
        while j < len(doc) and doc[j].lower_ in (",", "and", "or"):
            j += 1
        if j == k or j >= len(doc) or taken[j] or not doc[j].is_title or doc[j].ent_type_ in ("PERSON", "ORG"):
            continue
        e = j + 1
        while e < len(doc) and e < j + 3 and doc[e].is_title and not taken[e]:
            e += 1
        while e > j:
            cands = gaz.candidates(doc[j:e].text, fuzzy=False)
            if _town_name(cands, doc[j:e].text) and _whole_name(doc, j, e):
                n = len(out)
                add(j, e, "GAZ")
                if len(out) > n:
                    ends.add(e)
                break
            e -= 1


def recognise(doc: Doc, mentions: Sequence[ActorMention] = (), *, adjectival: bool = False) -> list[Mention]:
    """Toponym mentions in ``doc``, in text order, not yet resolved (``adjectival``: demonyms too,
    label NORP)."""
    gaz = gazetteer()
    people = Spans([(m.start, m.end) for m in mentions if m.kind == "person"])

    def is_person(span: Span) -> bool:  # the actor stage saw a person here ("Lorne Craner" as GPE)
        return people.overlaps(span.start_char, span.end_char)
    out: list[Mention] = []
    taken = [False] * len(doc)

    def add(s: int, e: int, label: str) -> None:
        if s >= e or any(taken[t] for t in range(s, e)) or _is_pathogen(doc, e):
            return
        out.append(_mention(doc, s, e, label))
        for t in range(s, e):
            taken[t] = True

    for s0, e0 in _counties(doc):
        add(s0, e0, "GAZ")
    for s0, e0 in _streets(doc):
        add(s0, e0, "FAC")
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON") and not is_person(ent):
            s, e = _trim(doc, ent.start, ent.end)
            if s < e and _misread_place(doc, doc[s:e]):
                add(s, e, "GAZ")
                continue
            # Inside an organisation's name any place of some importance; inside what the model
            # calls a person only a local name before a local noun ("Fargo Mayor Dennis Walaker").
            for s2, e2 in _inside(doc, ent, local_only=ent.label_ == "PERSON"):
                add(s2, e2, "GAZ")
            continue
        if ent.label_ not in _LABELS:
            continue
        s, e = _trim(doc, ent.start, ent.end)
        if s >= e or not any(t.is_title or t.is_upper for t in doc[s:e]):
            continue  # "swan": toponyms are capitalised
        span = doc[s:e]
        if is_person(span) or _degree(doc, s, e):
            continue
        key = norm(span.text)
        if ent.label_ == "FAC" and not _important(gaz.candidates(span.text, fuzzy=False)):
            continue  # buildings: "the White House" is not White House, Tennessee
        if not gaz.has(key) and not any(t.pos_ == "PROPN" for t in span):
            continue  # "Having" tagged GPE: an unknown name must at least be a proper noun
        if not gaz.has(key) and demonym_country(span.text, gaz):
            continue  # "Angolan" tagged GPE: a demonym, context only
        s, e = _extend(doc, s, e)
        add(s, e, ent.label_)
    for s0, e0 in _datelines(doc):
        add(s0, e0, "GAZ")
    for ent in doc.ents:
        if adjectival and ent.label_ == "NORP" and demonym_country(ent.text, gaz):
            add(ent.start, ent.end, "NORP")
        if ent.label_ == "NORP" and ent[-1].text in _COUNTY_WORDS and any(
                c.feat == "admin2" and not c.alt for c in gaz.candidates(ent.text, fuzzy=False)):
            add(ent.start, ent.end, "GAZ")  # "Rapides Parish" tagged NORP: a county by its full name
        if ent.label_ in _NOT_PLACE:
            for t in range(ent.start, ent.end):
                taken[t] = True
    # Gazetteer names spaCy did not tag, longest first.
    i = 0
    while i < len(doc):
        if not taken[i] and doc[i].text[:1].isupper() and i > 0 and doc[i - 1].text in _ABBREV_BEFORE:
            ab = abbreviation_end(doc, i)
            if ab is not None and not any(taken[t] for t in range(i, ab)):
                add(i, ab, "GAZ")  # "Springfield, Ill.", "Sen. Dick Durbin, D-Ill."
                i = ab
                continue
        if not taken[i] and doc[i].is_upper and len(doc[i].text) >= 2 and not doc[i].is_title:
            # Bare country abbreviations spaCy leaves untagged: "(DRC)", "UK", "USA".
            if any(c.feat == "country" for c in gaz.candidates(doc[i].text, fuzzy=False)):
                add(i, i + 1, "GAZ")
            i += 1
            continue
        if (taken[i] or not doc[i].is_title or len(doc[i].text) < 2 or doc[i].lower_ == "the"
                or doc[i].is_sent_start and doc[i].pos_ != "PROPN"):
            i += 1
            continue
        hit = None
        for n in (4, 3, 2, 1):
            j = i + n
            if j > len(doc) or any(taken[t] for t in range(i, j)) or not doc[j - 1].is_title:
                continue
            if not all(t.is_title or t.lower_ in _INNER for t in doc[i:j]):
                continue
            cands = gaz.candidates(doc[i:j].text, fuzzy=False)
            local = _town_name(cands, doc[i:j].text) and _whole_name(doc, i, j) and (
                _local_head(doc, j) or i > 0 and doc[i - 1].lower_ in _LOC_PREPS or _of_residence(doc, i))
            if not cands or n == 1 and (doc[i].pos_ != "PROPN" or not (_important(cands) or local)):
                continue
            hit = j
            break
        if hit and not _is_pathogen(doc, hit):
            add(i, hit, "GAZ")
            i = hit
        else:
            i += 1
    _list_siblings(doc, out, taken, add)
    out.sort(key=lambda m: m.start)
    return out
