"""The parse the pipeline uses (``nlp.parse`` / ``parse_many``) equals spaCy's full pipeline."""
from __future__ import annotations

import json

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from newsevents import nlp

from .conftest import EXAMPLES

_ATTRS = [POS, TAG, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]

# Sentences exercising the attribute ruler's exceptions: pronouns, auxiliaries, "not"/"n't",
# determiners used as pronouns, expletive "there is", multi-token rules ("gonna", "let's"),
# regex rules ("nothin'", "y'all"), spaces, and the lemmatizer on inflected forms.
_TRICKY = (
    "I told them that she'd have gone. Y'all ain't gonna believe it, but there are wolves.\n\n"
    "Let's go! Nothin' was done; those who did it weren't caught.  That is what he's been saying, "
    "and this is mine, not yours. The ministers had met twice; talks got stuck and they're leaving."
)


def _texts() -> list[str]:
    out = [_TRICKY, ""]
    for name in ("seed-article.json", "companion-report.json"):
        out.append(json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["text"])
    return out


def test_fast_parse_equals_full_pipeline(nlp_model):
    texts = _texts()
    full = [nlp_model(t) for t in texts]
    many = list(nlp.parse_many(texts, batch_size=2))
    one = [nlp.parse(t) for t in texts]
    assert nlp._fast(nlp.DEFAULT_MODEL)[1] == ("attribute_ruler", "lemmatizer")  # the fast path ran
    for ref, a, b in zip(full, many, one):
        assert [t.text for t in ref] == [t.text for t in a] == [t.text for t in b]
        want = ref.to_array(_ATTRS)
        assert np.array_equal(want, a.to_array(_ATTRS))
        assert np.array_equal(want, b.to_array(_ATTRS))
        assert [str(t.morph) for t in ref] == [str(t.morph) for t in a]
        assert [t.lemma_ for t in ref] == [t.lemma_ for t in a]


def test_full_pipeline_still_loads_every_component(nlp_model):
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp_model.pipe_names)
    assert nlp_model("They were talking.")[2].lemma_ == "talk"
