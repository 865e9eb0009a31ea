"""WHEN stage: TIMEX3 extraction and normalisation on real spaCy parses, and event dating."""
from __future__ import annotations

import datetime as dt

import pytest

from newsevents import nlp, dates as when
from newsevents.records import Article, Event

DCT = dt.datetime(2024, 12, 9, 10, 0, tzinfo=dt.timezone.utc)  # a Monday


@pytest.fixture(scope="module")
def parse():
    model = nlp.load()
    return model


def run(parse, text: str, published: dt.datetime = DCT):
    article = Article(id="t", text=text, published=published)
    doc = parse(text)
    return doc, article, when.extract(doc, article)


def one(parse, text: str, surface: str, published: dt.datetime = DCT):
    _, _, found = run(parse, text, published)
    hits = [t for t in found if t.text == surface]
    assert hits, f"{surface!r} not found in {[t.text for t in found]}"
    return hits[0]


# ------------------------------------------------------------------------ explicit and partial dates
@pytest.mark.parametrize("text,surface,value", [
    ("The ceasefire was signed on 1 December 2024 in Doha.", "1 December 2024", "2024-12-01"),
    ("The ceasefire was signed on December 1, 2024 in Doha.", "December 1, 2024", "2024-12-01"),
    ("The ceasefire was signed on 2024-12-01 in Doha.", "2024-12-01", "2024-12-01"),
    ("Parliament met in March 2023 to debate it.", "March 2023", "2023-03"),
    ("The treaty dates from 1648.", "1648", "1648"),
])
def test_explicit_dates(parse, text, surface, value):
    t = one(parse, text, surface)
    assert (t.type, t.value, t.basis) == ("DATE", value, "explicit")


def test_partial_date_past_tense_takes_this_year(parse):
    t = one(parse, "The offensive began on November 27.", "November 27")
    assert (t.value, t.precision, t.basis, t.anchor) == ("2024-11-27", "day", "relative", "2024-12-09")


def test_partial_date_future_tense_rolls_to_next_year(parse):
    t = one(parse, "The summit will open on January 14 in Geneva.", "January 14")
    assert t.value == "2025-01-14"


def test_partial_date_past_tense_after_dct_is_last_year(parse):
    t = one(parse, "Protesters occupied the square on December 20.", "December 20")
    assert t.value == "2023-12-20"


def test_month_keeps_month_precision(parse):
    t = one(parse, "Troops withdrew in December.", "December")
    assert (t.value, t.precision) == ("2024-12", "month")


def test_numeric_dates_only_when_unambiguous(parse):
    _, _, found = run(parse, "Forms dated 25/12/2024 and 12/01/2024 were filed.")
    values = {t.text: t.value for t in found}
    assert values["25/12/2024"] == "2024-12-25"
    assert values["12/01/2024"] is None  # 1 December (US) or 12 January (elsewhere)


# ------------------------------------------------------------------------ weekdays
def test_weekday_agrees_with_date(parse):
    t = one(parse, "By Sunday, December 1, the capital had fallen.", "Sunday, December 1")
    assert (t.value, t.weekday_mismatch) == ("2024-12-01", False)


def test_weekday_disagrees_with_date(parse):
    t = one(parse, "On Monday, December 1, 2024, the minister resigned.", "Monday, December 1, 2024")
    assert (t.value, t.weekday_mismatch) == ("2024-12-01", True)


def test_bare_weekday_follows_tense(parse):
    wed = dt.datetime(2024, 12, 11, tzinfo=dt.timezone.utc)
    past = one(parse, "The minister resigned on Monday.", "Monday", wed)
    future = one(parse, "The minister will travel to Cairo on Friday.", "Friday", wed)
    assert past.value == "2024-12-09"
    assert future.value == "2024-12-13"


# ------------------------------------------------------------------------ relative expressions
@pytest.mark.parametrize("text,surface,value,precision", [
    ("The rebels entered the city yesterday.", "yesterday", "2024-12-08", "day"),
    ("Talks resumed today in Vienna.", "today", "2024-12-09", "day"),
    ("The envoy arrived last week.", "last week", "2024-W49", "week"),
    ("The vote was held last month.", "last month", "2024-11", "month"),
    ("Exports fell last year.", "last year", "2023", "year"),
    ("Elections will be held next year.", "next year", "2025", "year"),
    ("Fighting intensified earlier this month.", "earlier this month", "2024-12", "month"),
    ("The army left three weeks ago.", "three weeks ago", "2024-11-18", "day"),
    ("The bank lost money in the third quarter.", "the third quarter", "2024-Q3", "quarter"),
    ("Riots broke out this summer.", "this summer", "2024-SU", "season"),
])
def test_relative_to_publication_date(parse, text, surface, value, precision):
    t = one(parse, text, surface)
    assert (t.type, t.value, t.precision, t.basis) == ("DATE", value, precision, "relative")


def test_chained_relative_date_uses_last_mentioned_date(parse):
    text = "On March 3 the army crossed the border. Two days later it reached the capital."
    _, _, found = run(parse, text, dt.datetime(2024, 4, 10, tzinfo=dt.timezone.utc))
    later = next(t for t in found if t.text == "Two days later")
    assert (later.value, later.anchor) == ("2024-03-05", "2024-03-03")


def test_chained_date_never_invents_a_day(parse):
    text = "The army crossed the border in March. Two days later it reached the capital."
    _, _, found = run(parse, text, dt.datetime(2024, 4, 10, tzinfo=dt.timezone.utc))
    later = next(t for t in found if t.text == "Two days later")
    assert (later.value, later.precision) == ("2024-03", "month")


def test_vague_references_follow_timeml(parse):
    _, _, found = run(parse, "Prices have risen recently and are now stable; more cuts will come in the future.")
    got = {t.text: t.value for t in found}
    assert got == {"recently": "PAST_REF", "now": "PRESENT_REF", "the future": "FUTURE_REF"}


def test_decades_centuries_fiscal_years(parse):
    _, _, found = run(parse, "Unlike in the 1990s or the 19th century, fiscal 2023 budgets grew.")
    got = {t.text: (t.value, t.precision) for t in found}
    assert got["1990s"] == ("199", "decade")
    assert got["the 19th century"] == ("18", "century")
    assert got["fiscal 2023"] == ("FY2023", "year")


def test_clock_times(parse):
    _, _, found = run(parse, "Shelling began at 3 p.m. and stopped at midnight.")
    got = {t.text: (t.type, t.value) for t in found}
    assert got["3 p.m."] == ("TIME", "2024-12-09T15:00")
    assert got["midnight"] == ("TIME", "2024-12-09T24:00")


@pytest.mark.parametrize("text,surface,type_,value", [
    ("The war lasted three years.", "three years", "DURATION", "P3Y"),
    ("Aid was delayed for two weeks.", "two weeks", "DURATION", "P2W"),
    ("The curfew lasted 48 hours.", "48 hours", "DURATION", "PT48H"),
    ("Monitors report every week.", "every week", "SET", "P1W"),
    ("Inspectors visit the site monthly.", "monthly", "SET", "P1M"),
])
def test_durations_and_sets(parse, text, surface, type_, value):
    t = one(parse, text, surface)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize("text,surface,type_,value", [
    ("Gunfire was heard last night near the port.", "last night", "TIME", "2024-12-08TNI"),
    ("The convoy left at 10 o'clock.", "10 o'clock", "TIME", "2024-12-09T10:00"),
    ("The polls closed at 8 p.m. ET on the coast.", "8 p.m. ET", "TIME", "2024-12-09T20:00"),
    ("Prices rose in the fall, analysts said.", "fall", "DATE", "2024-FA"),
])
def test_more_times_and_seasons(parse, text, surface, type_, value):
    t = one(parse, text, surface)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize("text", [
    "The fall of the capital shocked the region.",      # a noun, not the season
    "The council passed Resolution 1973 unanimously.",  # an identifier, not a year
    "Police arrested 2000 protesters.",                 # a count, not a year
    "See www.example.org/news/2005/report for details.",
])
def test_non_temporal_look_alikes_are_ignored(parse, text):
    _, _, found = run(parse, text)
    assert found == []


def test_ambiguous_past_verb_is_not_read_as_a_plan(parse):
    # "set" is a past tense here; only a passive "has been scheduled" points forward
    wed = dt.datetime(2008, 1, 2, tzinfo=dt.timezone.utc)
    assert one(parse, "A mob set fire to a church in the west Tuesday.", "Tuesday", wed).value == "2008-01-01"
    t = one(parse, "A court hearing has been scheduled for June 3.", "June 3",
            dt.datetime(2009, 5, 14, tzinfo=dt.timezone.utc))
    assert t.value == "2009-06-03"


def test_leap_day_without_year_and_weekday_check():
    t = when.normalize("Tue., Feb. 29", dt.date(2025, 3, 1))
    assert (t.value, t.weekday_mismatch) == ("2024-02-29", True)  # 29 Feb 2024 was a Thursday


@pytest.mark.parametrize("text,value", [
    ("Thanksgiving 2023", "2023-11-23"),   # fourth Thursday of November
    ("Easter 2024", "2024-03-31"),
    ("Good Friday 2023", "2023-04-07"),
    ("Christmas Eve 2020", "2020-12-24"),
])
def test_holidays(text, value):
    assert when.normalize(text, dt.date(2024, 12, 9)).value == value


def test_plural_weekday_is_a_set():
    t = when.normalize("The paper appears on Tuesdays.", dt.date(2024, 12, 9))
    assert (t.text, t.type, t.value) == ("Tuesdays", "SET", "XXXX-WXX-2")


def test_leading_preposition_is_not_part_of_the_span(parse):
    _, _, found = run(parse, "The strike began on Tuesday.")
    assert [t.text for t in found] == ["Tuesday"]


def test_normalize_without_parse():
    t = when.normalize("Sunday, December 1", dt.date(2024, 12, 9))
    assert t is not None and (t.value, t.weekday_mismatch) == ("2024-12-01", False)
    assert when.normalize("the 1990s", dt.date(2024, 12, 9)).value == "199"
    assert when.normalize("nothing temporal here", dt.date(2024, 12, 9)) is None


# ------------------------------------------------------------------------ event dates
def _event(doc, article, trigger: str, occurrence: int = 0) -> Event:
    tok = [t for t in doc if t.text == trigger][occurrence]
    sent = tok.sent
    return Event(
        id=f"e-{trigger}", article_id=article.id, sentence=list(doc.sents).index(sent),
        evidence=sent.text, sentence_start=sent.start_char, trigger=trigger,
        trigger_start=tok.idx, trigger_end=tok.idx + len(tok.text), source=(), target=(),
        cameo_code="190", cameo_root="19", quad_class=4, goldstein=-10.0, plover_type="ASSAULT",
        plover_mode=None, plover_context=None, modality="asserted", confidence=0.5, coder="test",
    )


def test_event_takes_governing_expression_not_the_reporting_date(parse):
    text = "Officials said on Monday that rebels captured the town on Saturday."
    doc, article, dates = run(parse, text, dt.datetime(2024, 12, 10, tzinfo=dt.timezone.utc))
    evs = when.date_events([_event(doc, article, "captured"), _event(doc, article, "said")], dates, doc, article)
    assert evs[0].date.value == "2024-12-07" and evs[0].date.text == "Saturday"
    assert evs[1].date.value == "2024-12-09" and evs[1].date.text == "Monday"


def test_event_without_date_gets_publication_date(parse):
    text = "The offensive began on November 27.\n\nRebels seized the airport."
    doc, article, dates = run(parse, text)
    began, seized = when.date_events(
        [_event(doc, article, "began"), _event(doc, article, "seized")], dates, doc, article)
    assert (began.date.value, began.date.basis) == ("2024-11-27", "relative")
    assert (seized.date.value, seized.date.precision, seized.date.basis) == ("2024-12-09", "day", "publication")


def test_past_event_takes_the_narrative_date_of_the_previous_sentence(parse):
    text = "The offensive began on November 27. Rebels then seized the airport. Talks are continuing."
    doc, article, dates = run(parse, text)
    seized, talks = when.date_events(
        [_event(doc, article, "seized"), _event(doc, article, "continuing")], dates, doc, article)
    assert (seized.date.value, seized.date.basis) == ("2024-11-27", "relative")
    assert talks.date.basis == "publication"  # present tense, and only one step back


def test_weekday_after_a_date_belongs_to_that_date(parse):
    text = "Rebels entered the city on Sunday, December 8. Two days later, on Tuesday, jets struck it."
    doc, article, dates = run(parse, text)
    tue = next(t for t in dates if t.text == "Tuesday")
    assert tue.value == "2024-12-10" and not tue.weekday_mismatch


def test_event_date_keeps_precision_and_ignores_durations(parse):
    text = "The siege lasted three weeks and the city fell in December."
    doc, article, dates = run(parse, text)
    lasted, fell = when.date_events(
        [_event(doc, article, "lasted"), _event(doc, article, "fell")], dates, doc, article)
    assert (fell.date.value, fell.date.precision) == ("2024-12", "month")
    assert lasted.date.value == "2024-12" or lasted.date.basis == "publication"
    assert lasted.date.value != "P3W"


def test_event_date_propagates_weekday_mismatch(parse):
    text = "On Monday, December 1, 2024, the government forces withdrew."
    doc, article, dates = run(parse, text)
    (ev,) = when.date_events([_event(doc, article, "withdrew")], dates, doc, article)
    assert ev.date.value == "2024-12-01" and ev.date.weekday_mismatch is True


def test_works_on_a_doc_without_parse():
    import spacy

    text = "The talks ended on Monday. Two days later fighting resumed."
    doc = spacy.blank("en")(text)
    found = when.extract(doc, Article(id="b", text=text, published=dt.datetime(2024, 12, 11)))
    assert [(t.text, t.value) for t in found] == [("Monday", "2024-12-09"), ("Two days later", "2024-12-11")]


def test_a_year_earlier_keeps_the_period_it_chains_from(parse):
    text = "Profit in the third quarter rose to $5 million from $3 million a year earlier."
    _, _, found = run(parse, text, dt.datetime(1989, 10, 25, tzinfo=dt.timezone.utc))
    got = {t.text: t.value for t in found}
    assert got == {"the third quarter": "1989-Q3", "a year earlier": "1988-Q3"}


@pytest.mark.parametrize("text,type_", [
    ("Exports reached 1,800,000 tonnes a year.", "SET"),   # a rate
    ("The fund pays out $5 billion a year.", "SET"),
    ("He stayed for a year in Paris.", "DURATION"),
])
def test_a_year_after_an_amount_is_a_rate(text, type_):
    t = when.normalize(text, dt.date(2024, 12, 9))
    assert (t.text, t.type, t.value) == ("a year", type_, "P1Y")


@pytest.mark.parametrize("text,surface,dct,value", [
    ("The vote is set for March 31, officials said.", "March 31", dt.date(2005, 3, 18), "2005-03-31"),
    ("Rebels were invited to talks, currently scheduled for October 27 in Libya.", "October 27",
     dt.date(2007, 10, 12), "2007-10-27"),
    ("The meeting was scheduled for March 3 but never happened.", "March 3", dt.date(2008, 5, 2), "2008-03-03"),
])
def test_scheduled_dates_point_forward(parse, text, surface, dct, value):
    published = dt.datetime(dct.year, dct.month, dct.day, tzinfo=dt.timezone.utc)
    assert one(parse, text, surface, published).value == value


@pytest.mark.parametrize("text,value", [
    ("The rebels entered the town on the 3rd, officials said.", "2024-12-03"),
    ("Voting ended on the 28th.", "2024-11-28"),       # past tense, later than the 9th: last month
    ("Talks will resume on the 2nd.", "2025-01-02"),   # future tense, earlier than the 9th: next month
])
def test_bare_day_ordinals(parse, text, value):
    _, _, found = run(parse, text)
    assert [t.value for t in found] == [value]


def test_ordinal_before_a_noun_is_not_a_date(parse):
    _, _, found = run(parse, "He lives on the 5th floor.")
    assert found == []
