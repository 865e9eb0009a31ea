"""CAMEO / PLOVER ontology table."""
from __future__ import annotations

import pytest

from newsevents import ontology


def test_table_covers_every_root_and_is_zero_padded():
    codes = ontology.codes()
    roots = {c.root for c in codes.values()}
    assert roots == {f"{i:02d}" for i in range(1, 21)}
    assert all(c.code.isdigit() and 2 <= len(c.code) <= 4 for c in codes.values())
    assert len(codes) > 300


@pytest.mark.parametrize(
    "code, quad",
    [("010", 1), ("057", 1), ("061", 2), ("0874", 2), ("090", 3), ("1384", 3), ("141", 4), ("2042", 4)],
)
def test_quad_class(code, quad):
    assert ontology.quad_class(code) == quad
    assert ontology.lookup(code).quad_class == quad


def test_goldstein_values_and_parent_fallback():
    assert ontology.goldstein("190") == -10.0
    assert ontology.goldstein("040") == 1.0
    # 1384 is newer than GDELT's table: it takes 138's value
    assert ontology.goldstein("1384") == ontology.goldstein("138")
    assert ontology.goldstein("1951") == ontology.goldstein("195")


@pytest.mark.parametrize(
    "code, ptype, context",
    [
        ("075", "AID", "asylum"),
        ("0874", "RETREAT", "military"),
        ("0831", "CONCEDE", "political_institutions"),
        ("192", "COERCE", "military"),
        ("190", "ASSAULT", "military"),
        ("091", "ACCUSE", "crime; corruption"),
        ("163", "COERCE", "diplomatic"),
    ],
)
def test_plover_map(code, ptype, context):
    t, _mode, ctx = ontology.plover(code)
    assert t == ptype and ctx == context


def test_statements_have_no_plover_type_and_appeals_are_requests():
    assert ontology.plover_type("010") is None
    assert ontology.plover_type("01") is None
    assert ontology.plover("0214") == ("REQUEST", "assist", "intelligence")  # twin of 1014
    assert ontology.plover_type("026") == "REQUEST"


def test_gsr_draft_labels_map_to_current_types():
    assert ontology.plover_from_gsr("FIGHT") == "ASSAULT"
    assert ontology.plover_from_gsr("DISAPPROVE") == "ACCUSE"
    assert ontology.plover_from_gsr("INVESTIGATE") == "ACCUSE"
    assert ontology.plover_from_gsr("demand") == "REQUEST"
    assert ontology.plover_from_gsr("AID") == "AID"
    assert ontology.plover_from_gsr("NOPE") is None
    assert set(ontology.GSR_2016_TO_PLOVER.values()) <= set(ontology.PLOVER_TYPES)
    assert len(ontology.PLOVER_TYPES) == 16


def test_unknown_codes():
    assert ontology.lookup("0999").root == "09"  # falls back to the nearest parent
    with pytest.raises(KeyError):
        ontology.lookup("99")
    assert not ontology.is_valid("999")
    assert ontology.is_valid("0231")
