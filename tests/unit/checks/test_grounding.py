"""The one check of a draft: each quote's provenance, each key point's source, the summary."""

from __future__ import annotations

from typing import Any

import pytest

from bot.checks.provenance import ArticleQuotes, Provenance
from bot.checks.quotes import ground
from bot.models import Briefing, BriefingDraft
from tests.briefings import actor, briefing, fixture, korea_briefing, point, stance

KOREA = fixture("korea.txt")
KIM_SHOIGU = fixture("wire/kim-shoigu.txt")
NARRATION = "The two men also discussed strengthening the comprehensive strategic partnership"
MINISTRY_WORDS = "a political tool operating according to the geopolitical interests of the West"


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("a rehearsal for invasion", True),  # verbatim (the article has curly quotes around it)
        ("answer  every provocation\nwith overwhelming force", True),  # re-spaced
        ("“legitimate exercise of our sovereign right to self-defence.”", True),  # with quotes
        ('"legitimate exercise of our sovereign right to self-defence"', True),  # straight
        ("THIS RECKLESS ACT threatens peace", True),  # case
        ("North Korea’s main ally", True),  # curly apostrophe
        ("North Korea's main ally", True),  # straight apostrophe for a curly one
        ("Pyongyang has rejected every offer ... of talks since 2019", True),  # elision
        ("Pyongyang has rejected every offer [...] of talks since 2019", True),
        ("of talks since 2019 ... Pyongyang has rejected every offer", False),  # out of order
        ("We will destroy our enemies within a week", False),  # fabricated
        ("a rehearsal for an invasion", False),  # paraphrased
        ("Kim", False),  # too short to prove anything
        ("", False),
    ],
)
def test_words_are_found_tolerant_of_typography_only(quote: str, found: bool) -> None:
    assert ArticleQuotes(KOREA).found(quote) is found


def test_verified_means_own_words_not_merely_found() -> None:
    draft = BriefingDraft.model_validate(korea_briefing())
    draft.actors[0].stances[0].quote = "We will crush them all"  # fabricated
    checked = ground(draft, KOREA)
    kim, north, lee, china = checked.actors
    assert (kim.stances[0].provenance, kim.stances[0].verified) == (Provenance.NOT_FOUND, False)
    assert all(s.provenance is Provenance.DIRECT and s.verified for s in north.stances)
    assert all(s.provenance is Provenance.DIRECT and s.verified for s in lee.stances)
    # "China … urged restraint from all sides": in the article, China's, but not its words.
    assert (china.stances[0].provenance, china.stances[0].verified) == (Provenance.REPORTED, False)
    assert (checked.stance_count, checked.verified_count) == (5, 3)


def _shoigu_draft(**changes: Any) -> BriefingDraft:
    payload = briefing(
        actor("Kim Jong Un", "person", ["Kim", "North Korean leader"],
              stance("Russia's position on Ukraine", "Backs Russia unconditionally", "supports",
                     "North Korea will responsibly observe the articles of the treaty")),
        actor("Sergei Shoigu", "person", ["Shoigu"],
              stance("the partnership with North Korea", "Wants a closer partnership",
                     "supports", NARRATION)),
        headline="Kim pledges support for Russia in talks with Shoigu",
        tldr="Kim Jong Un met Sergei Shoigu on Wednesday and pledged support for Russia.",
        key_points=[
            point("North Korea supplied more than 20,000 containers of munitions.",
                  "A report by the Multilateral Sanctions Monitoring Team, a group comprising "
                  "11 UN members, said North Korea enabled Russia to increase missile attacks "
                  "against critical Ukrainian civilian infrastructure and supplied more than "
                  "20,000 containers of munitions."),
            point("Pyongyang rejected the report as biased.",
                  "North Korea on Monday rejected a recent report by a multilateral sanctions "
                  "panel on its ties with Russia as politically motivated and biased"),
            point("The treaty includes a mutual defence pact.",
                  "The treaty includes a mutual defence pact."),  # not a sentence of the article
        ],
        why_it_matters="The pledge deepens military ties; watch for new sanctions.",
    )  # fmt: skip
    payload.update(changes)
    return BriefingDraft.model_validate(payload)


def test_reporters_narration_is_never_the_actors_words() -> None:
    checked = ground(_shoigu_draft(), KIM_SHOIGU)
    [said] = checked.actors[1].stances
    assert (said.provenance, said.verified, said.speaker) == (Provenance.NARRATION, False, None)


def test_one_actors_quote_given_to_another_names_the_real_speaker() -> None:
    draft = _shoigu_draft()
    draft.actors[0].stances[0].quote = MINISTRY_WORDS
    [said] = ground(draft, KIM_SHOIGU).actors[0].stances
    assert (said.provenance, said.verified) == (Provenance.MISATTRIBUTED, False)
    assert said.speaker == "the North Korean Foreign Ministry"


def test_a_relays_unquoted_words_are_via_the_relay_but_not_own_words() -> None:
    # "North Korea will … treaty …, Kim was quoted as saying.": no quotation marks, so the
    # wording is the relay's; the position is Kim's, the words are not shown as his.
    [said] = ground(_shoigu_draft(), KIM_SHOIGU).actors[0].stances
    assert (said.provenance, said.verified, said.via, said.quoted) == (
        Provenance.VIA,
        False,
        "state media KCNA",
        False,
    )


def test_key_point_sources_are_looked_up_like_quotes() -> None:
    points = ground(_shoigu_draft(), KIM_SHOIGU).key_points
    assert [p.source_found for p in points] == [True, True, False]


def test_a_number_the_article_lacks_is_flagged_where_it_stands() -> None:
    draft = _shoigu_draft()
    draft.key_points[0].text = "North Korea supplied more than 25,000 containers of munitions."
    checked = ground(draft, KIM_SHOIGU)
    [flag] = checked.summary_flags
    assert (flag.field, flag.index, flag.kind, flag.text) == ("key_points", 0, "number", "25,000")
    assert checked.summary_checked


def test_a_clean_summary_has_no_flags_but_is_marked_checked() -> None:
    checked = ground(_shoigu_draft(), KIM_SHOIGU)
    assert checked.summary_flags == []
    assert checked.summary_checked is True


def test_a_briefing_stored_before_these_checks_still_loads() -> None:
    old = {
        "headline": "Old", "tldr": "Old.", "key_points": ["One.", "Two."],
        "why_it_matters": "", "language": "en", "topics": [], "places": [],
        "actors": [{"name": "Kim", "aliases": [], "kind": "person", "stances": [
            {"target": "t", "position": "p", "polarity": "supports", "quote": "q",
             "verified": True}]}],
    }  # fmt: skip
    loaded = Briefing.model_validate(old)
    assert [(p.text, p.source, p.source_found) for p in loaded.key_points] == [
        ("One.", None, None),
        ("Two.", None, None),
    ]
    [said] = loaded.actors[0].stances
    assert (said.issue, said.provenance, said.verified) == ("", None, True)
    assert (loaded.summary_flags, loaded.summary_checked) == ([], False)
