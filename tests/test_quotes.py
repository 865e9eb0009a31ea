"""The quotes stage on our own short texts, one construction per test (real spaCy parses)."""
from __future__ import annotations

import pytest

from newsevents import quotes
from newsevents.quotes.marks import find_segments
from newsevents.records import Article


@pytest.fixture(scope="module")
def run(nlp_model):
    def _run(text: str):
        doc = nlp_model(text)
        return quotes.extract(doc, Article(id="t", text=text), [])

    return _run


def _one(qs, fragment):
    found = [q for q in qs if fragment in q.text]
    assert found, f"no quote containing {fragment!r} in {[q.text for q in qs]}"
    return found[0]


# ------------------------------------------------------------------ quotation marks (no parse)
@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “the talks have failed completely” on Monday.", ["the talks have failed completely"]),
        ('She said "the harbour will stay closed" today.', ["the harbour will stay closed"]),
        ("Il a dit « nous resterons ici longtemps » hier.", ["nous resterons ici longtemps"]),
        ("Er sagte „wir bleiben hier noch lange“ gestern.", ["wir bleiben hier noch lange"]),
        ("She wrote ‘the border is open again today’ and left.", ["the border is open again today"]),
    ],
)
def test_mark_styles(text, expected):
    assert [text[s.start : s.end] for s in find_segments(text)] == expected


def test_apostrophes_are_not_quotes():
    assert find_segments("The minister’s aides don’t know the farmers’ plans.") == []


def test_quote_running_over_paragraphs():
    text = "“The first part of the speech ends here.\n“The second part closes it,” he said."
    segs = find_segments(text)
    assert [text[s.start : s.end] for s in segs] == [
        "The first part of the speech ends here.", "The second part closes it"]
    assert not segs[0].closed and segs[1].continues


# ------------------------------------------------------------------ direct quotes
def test_cue_after_quote(run):
    qs = run("“The harvest was the worst in a decade,” Maria Lopez said on Friday.")
    q = _one(qs, "harvest")
    assert q.direct and q.text == "The harvest was the worst in a decade"
    assert q.cue == "said" and q.speaker.name == "Maria Lopez"


def test_cue_before_quote_with_colon(run):
    qs = run("The governor told the crowd: “We will rebuild every school that the flood destroyed.”")
    q = _one(qs, "rebuild")
    assert q.direct and q.cue == "told" and q.speaker.text == "The governor"


def test_inverted_cue(run):
    qs = run("“Nobody expected the vote to be this close,” said Peter Hansen, a local organiser.")
    q = _one(qs, "Nobody")
    assert q.speaker is not None and "Hansen" in q.speaker.name


def test_split_quote_has_one_speaker(run):
    text = "“The factory will close,” the owner said, “but every worker will be paid until March.”"
    qs = [q for q in run(text) if q.direct]
    assert len(qs) == 2
    assert {q.speaker.text for q in qs} == {"the owner"}
    assert qs[0].cue_start == qs[1].cue_start


def test_second_quote_after_long_attribution_sentence(run):
    text = ("“The budget is balanced,” said Anna Berg, the finance committee chair in the regional "
            "assembly since last spring. “Nobody will pay more tax next year.”")
    qs = [q for q in run(text) if q.direct]
    assert len(qs) == 2 and all(q.speaker and "Berg" in q.speaker.name for q in qs)


def test_dash_attribution(run):
    qs = run("“The clinic saved my daughter and I will always be grateful.” ― Laura Mendes")
    q = _one(qs, "clinic")
    assert q.speaker is not None and q.speaker.text == "Laura Mendes"


def test_scare_quotes_are_not_quotations(run):
    qs = run("Critics called the plan a “gift” to landlords.")
    assert not [q for q in qs if q.direct]


# ------------------------------------------------------------------ reported chains
def test_quoted_as_saying_gives_speaker_and_via(run):
    text = ("Reuters quoted senior army officers as saying, “The troops will leave the valley "
            "before winter,” adding that talks would continue.")
    q = _one(run(text), "troops")
    assert q.direct and q.cue == "quoted ... as saying"
    assert q.speaker.text == "senior army officers"
    assert q.via is not None and q.via.text == "Reuters"


def test_according_to(run):
    text = "The port reopened on Tuesday after a week of strikes, according to the harbour authority."
    q = _one(run(text), "port reopened")
    assert not q.direct and q.cue == "according to"
    assert q.speaker.text == "the harbour authority"
    assert "according" not in q.text


def test_told_outlet_is_via(run):
    q = _one(run("The defence minister told the newspaper that the drills were routine."), "drills")
    assert q.speaker.text == "The defence minister"
    assert q.via is not None and "newspaper" in q.via.text


# ------------------------------------------------------------------ indirect speech
def test_said_that(run):
    q = _one(run("The central bank said that inflation would fall next year."), "inflation")
    assert not q.direct and q.text == "inflation would fall next year"
    assert q.cue == "said" and q.speaker.text == "The central bank"


def test_content_before_cue(run):
    q = _one(run("The strike will end on Monday, union leaders said."), "strike")
    assert q.text == "The strike will end on Monday" and q.speaker.text == "union leaders"


def test_relative_clause_speaker(run):
    text = "Omar Haddad, who runs the shelter, warned that food supplies would run out within days."
    q = _one(run(text), "food supplies")
    assert q.cue == "warned" and q.speaker.text == "Omar Haddad"


def test_statement_noun(run):
    q = _one(run("The ministry's statement that no civilians were hurt was disputed."), "civilians")
    assert q.cue == "statement" and q.speaker.text == "The ministry"
    assert q.speaker.sector in (None, "GOV")


def test_agentless_report_has_no_speaker(run):
    q = _one(run("It was reported that the embassy had closed its doors."), "embassy")
    assert q.speaker is None


# ------------------------------------------------------------------ coreference
def test_pronoun_resolves_to_compatible_person(run):
    text = ("Mr. Daniel Okafor met Ms. Ruth Adler in Lagos on Monday. "
            "She said that the contract would be signed within a month.")
    q = _one(run(text), "contract")
    assert q.speaker.text == "She" and q.speaker.name == "Ruth Adler"


def test_pronoun_prefers_recent_subject(run):
    text = ("Senator Paul Grant visited the flooded town with his aides. "
            "“We owe these families a new bridge,” he said.")
    q = _one(run(text), "bridge")
    assert q.speaker.text == "he" and q.speaker.name == "Paul Grant"


def test_title_resolves_to_named_holder(run):
    text = ("Foreign Minister Ilse Vogel arrived in Oslo on Sunday. "
            "The minister said that the treaty was ready for signature.")
    q = _one(run(text), "treaty")
    assert q.speaker.text == "The minister" and q.speaker.name == "Ilse Vogel"


# ------------------------------------------------------------------ the example report
def test_seed_article_quotes(nlp_model):
    import json
    from pathlib import Path

    from newsevents import actors

    EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

    data = json.loads((EXAMPLES / "seed-article.json").read_text(encoding="utf-8"))
    text = data["text"]
    art = Article(id="seed", text=text)
    doc = nlp_model(text)
    mentions, _ = actors.extract(doc, art)
    direct = {q.text: q for q in quotes.extract(doc, art, mentions) if q.direct}
    tass = direct["Russia has always advocated a political resolution to the Syrian crisis"]
    assert tass.speaker.text == "Kremlin insiders" and tass.via.text == "TASS"
    trump = direct["Russia and Iran, once his protectors, are now weakened by their own battles"]
    assert "Trump" in trump.speaker.name and trump.cue == "remarked"
    un = [q for t, q in direct.items() if t.startswith("The fall of Assad")]
    assert len(un) == 1 and "Guterres" in un[0].speaker.name and un[0].cue == "stated"
    assert len(direct) == 3


def test_relative_pronoun_speaker_named_after_antecedent(run):
    text = "The report angered a local farmer who said the new dam had ruined his fields."
    q = _one(run(text), "dam")
    assert q.speaker.text == "who" and "farmer" in q.speaker.name


def test_double_apostrophe_quotes(run):
    text = "''We will rebuild the bridge before winter,'' the mayor said."
    qs = [q for q in run(text) if q.direct]
    assert [q.text for q in qs] == ["We will rebuild the bridge before winter"]
    assert qs[0].speaker.text == "the mayor"


def test_mixed_paraphrase_with_quotation_is_one_indirect_quote(run):
    text = "The coach said he hoped the new season would show that “this team never gives up.”"
    qs = [q for q in run(text) if q.cue == "said"]
    assert len(qs) == 1 and not qs[0].direct
    assert qs[0].text.startswith("he hoped") and "never gives up" in qs[0].text


def test_transcript_and_headline_labels(run):
    text = ("Ostrom: Water Prices Will Rise Again Next Year.\n\n"
            "MARTIN: Will the council vote on the tariff this week?\n\n"
            "Correction: An earlier version misspelled a name.")
    qs = run(text)
    colon = [q for q in qs if q.cue == ":"]
    assert [(q.speaker.text, q.text) for q in colon] == [
        ("Ostrom", "Water Prices Will Rise Again Next Year"),
        ("MARTIN", "Will the council vote on the tariff this week?"),
    ]


def test_cue_after_parenthesised_party_label(run):
    text = ("“The plant will reopen before the election,” Rep. Laura Finch (D-Ohio) said in a "
            "phone interview.")
    q = _one(run(text), "plant")
    assert q.cue == "said" and "Laura Finch" in q.speaker.text


def test_participle_after_preposition_takes_main_subject(run):
    text = "The senator ended the hearing early after saying that the witnesses had lied."
    q = _one(run(text), "witnesses")
    assert q.speaker is not None and q.speaker.text == "The senator"


def test_phrasal_and_adjectival_stance_cues(run):
    q = _one(run("The auditor pointed out that the accounts had never been checked."), "accounts")
    assert q.cue == "pointed out" and q.speaker.text == "The auditor"
    q = _one(run("The union has been critical of the new pension rules."), "pension")
    assert q.cue == "critical" and q.speaker.text == "The union"


def test_colon_introduced_quote_takes_clause_verb(run):
    text = "The open letter reads: “We ask the council to keep the library open on Sundays.”"
    q = _one(run(text), "library")
    assert q.direct and q.cue == "reads" and q.speaker.text == "The open letter"


def test_double_hyphen_attribution(run):
    q = _one(run("“Water is the one thing we cannot import.” -- Amina Yusuf"), "Water")
    assert q.speaker is not None and q.speaker.text == "Amina Yusuf"


def test_quote_over_paragraphs_attributed_at_its_end(run):
    text = ("“The first part of the appeal asks for calm in the city.\n"
            "“The second part asks for patience with the inquiry,” the mayor said.")
    qs = [q for q in run(text) if q.direct]
    assert len(qs) == 2
    assert all(q.speaker is not None and q.speaker.text == "the mayor" for q in qs)


def test_spokesman_resolves_to_named_spokesman(run):
    text = ("Navy spokesman Karl Brenner briefed reporters in Kiel. Later the admiral arrived. "
            "The spokesman said that the frigate would sail on Friday.")
    q = _one(run(text), "frigate")
    assert q.speaker.text == "The spokesman" and q.speaker.name == "Karl Brenner"


def test_nested_double_marks():
    text = "“I would rather live in what he calls “chaos” than anywhere else.” ― Ana Ruiz"
    assert [text[s.start : s.end] for s in find_segments(text)] == [
        "I would rather live in what he calls “chaos” than anywhere else."]
    text = "“We are done. “Nobody will stop us,” the leader said."
    assert [text[s.start : s.end] for s in find_segments(text)] == [
        "We are done.", "Nobody will stop us"]


def test_people_named_inside_a_quote_are_not_antecedents(run):
    text = ("Carlos Mendez runs the party office in Tampa.\n\n"
            "“Nobody is knocking on doors for Maria Santos this year,” he said.")
    q = _one(run(text), "knocking")
    assert q.speaker.text == "he" and q.speaker.name == "Carlos Mendez"


def test_surname_names_the_most_recent_full_name(run):
    text = ("Anna Weber and her brother Jonas Weber run the bakery. Jonas Weber opened it in 1990. "
            "Weber said that prices would rise.")
    q = _one(run(text), "prices")
    assert q.speaker.text == "Weber" and q.speaker.name == "Jonas Weber"


def test_organisation_noun_and_it_resolve_to_named_organisation(run):
    text = ("Nordstahl AG cut 2,000 jobs on Monday. The company said that demand had collapsed. "
            "Nordstahl AG closed two plants in March. It said that the closures were final.")
    qs = run(text)
    company = _one(qs, "demand")
    assert company.speaker.text == "The company" and "Nordstahl" in company.speaker.name
    it = _one(qs, "closures")
    assert it.speaker.text == "It" and "Nordstahl" in it.speaker.name


def test_title_modifiers_must_match_the_named_holder(run):
    text = ("Green Party nominee Olga Berg spoke first. "
            "The Liberal nominee said that the tax would be scrapped.")
    q = _one(run(text), "tax")
    assert q.speaker.text == "The Liberal nominee" and "Berg" not in q.speaker.name


def test_quoted_terms_next_to_a_cue_are_not_utterances(run):
    text = "Drinks sold as “light” or “zero” still contain sweeteners, the regulator said."
    assert not [q for q in run(text) if q.direct]
    qs = [q for q in run("“Never,” said the coach.") if q.direct]
    assert [q.text for q in qs] == ["Never"]


def test_interview_outlet_is_via(run):
    text = "The governor said in an interview with the local newspaper that the budget was fine."
    q = _one(run(text), "budget")
    assert q.speaker.text == "The governor" and q.via is not None and "newspaper" in q.via.text


def test_passive_quoted_as_saying(run):
    text = "A senior diplomat was quoted by Interfax as saying that the talks had stalled."
    q = _one(run(text), "talks")
    assert q.speaker.text == "A senior diplomat" and q.via is not None and q.via.text == "Interfax"
