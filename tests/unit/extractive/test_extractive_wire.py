"""The extractive briefing on real wire copy: actors, quotes, targets, headline, label."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

import pytest

from bot.articles.text import make_article
from bot.checks.provenance import Provenance
from bot.extractive.attribution import attributed_actors
from bot.extractive.briefing import extractive_briefing, extractive_draft
from bot.models import Actor, ArticleRef, StoredBriefing
from bot.render.briefing_html import render_briefing
from bot.render.terminal import briefing_text
from tests.wire_gold import WIRE, Score, actors_of, gold_of, names, score

_TIME_WORD = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|"
    r"Aug|Sept?|Oct|Nov|Dec|today|yesterday|last year|this week)\b"
)


def _kim() -> StoredBriefing:
    article = make_article((WIRE / "kim-shoigu.txt").read_text(encoding="utf-8"))
    ref = ArticleRef(content_hash=article.content_hash, chars=len(article.text))
    return extractive_briefing(ref, article.text, "no language model is configured")


A = TypeVar("A", bound=Actor)


def _by_name(actors: Sequence[A]) -> dict[str, A]:
    return {a.name: a for a in actors}


def test_actor_precision_and_recall_over_the_wire_fixtures() -> None:
    total, problems = Score(), []
    for name in names():
        one, wrong = score(name)
        total += one
        problems += wrong
    assert len(names()) >= 9
    assert total.precision >= 0.95, "\n".join(problems)
    assert total.recall >= 0.80, "\n".join(problems)
    assert total.speaks >= 0.80, "\n".join(problems)


@pytest.mark.parametrize("name", names())
def test_no_time_word_outlet_or_trap_is_an_actor(name: str) -> None:
    traps = gold_of(name)["traps"]
    assert isinstance(traps, list)
    for actor in actors_of(name):
        for form in [actor.name, *actor.aliases]:
            assert not _TIME_WORD.search(form), f"{actor.name}: {form}"
            assert form not in traps, f"{actor.name}: {form}"  # "SEOUL" the dateline


def test_kim_story_names_kim_and_north_korea_with_their_own_words() -> None:
    stored = _kim()
    actors = _by_name(stored.briefing.actors)
    kim = actors["Kim Jong Un"]
    assert kim.kind.value == "person"
    assert {"Kim", "North Korean leader"} <= set(kim.aliases)
    assert any(
        "North Korea will responsibly observe the articles of the treaty" in s.quote
        for s in kim.stances
    )
    north = actors["North Korea"]
    assert north.kind.value == "state"
    assert "Pyongyang" in north.aliases
    assert any(s.quote.startswith("rejected a recent report") for s in north.stances)
    ministry = actors["North Korean Foreign Ministry"]
    assert ministry.kind.value == "organisation"
    assert "the ministry" in ministry.aliases
    quotes = [s.quote for s in ministry.stances]
    assert any(
        q.startswith("a political tool operating according to the geopolitical") for q in quotes
    )
    assert any("hostile" in q and "outrageous encroachment" in q for q in quotes)
    team = actors["Multilateral Sanctions Monitoring Team"]
    assert team.kind.value == "organisation"
    # The story's words are Kim's and the ministry's relayed by KCNA, or the team's reported
    # findings: attributed every one, never the reporter's narration.
    stances = [s for a in stored.briefing.actors for s in a.stances]
    assert {s.provenance for s in stances} <= {Provenance.DIRECT, Provenance.VIA,
                                               Provenance.REPORTED}  # fmt: skip
    assert all(s.provenance is Provenance.VIA for s in kim.stances)
    assert {s.via for s in kim.stances} == {"state media KCNA"}
    assert all(s.provenance is Provenance.REPORTED for s in team.stances)


def test_kim_story_quotes_are_the_quoted_words_not_the_sentence() -> None:
    for actor in _kim().briefing.actors:
        for stance in actor.stances:
            assert not stance.quote.startswith(("On Wednesday", "The MSMT is", "The ministry"))
            assert "according to state media" not in stance.quote


def test_kim_story_mentions_putin_without_a_stance() -> None:
    actors = _by_name(_kim().briefing.actors)
    putin = actors["Vladimir Putin"]
    assert putin.kind.value == "person"
    assert putin.stances == []
    assert actors["Sergei Shoigu"].stances == []
    assert not any(_TIME_WORD.search(name) for name in actors)


def test_kim_story_targets_are_whole_noun_phrases() -> None:
    targets = [s.target for a in _kim().briefing.actors for s in a.stances if s.target]
    assert targets
    for target in targets:
        last = target.split()[-1].casefold()
        assert last not in {"a", "an", "the", "of", "by", "on", "for", "his", "its", "multilateral"}
        assert target.count("(") == target.count(")")
    north = _by_name(_kim().briefing.actors)["North Korea"]
    assert north.stances[0].target.startswith("a recent report by a multilateral sanctions panel")


def test_kim_story_headline_is_the_leads_main_clause() -> None:
    headline = _kim().briefing.headline
    assert headline.startswith("North Korean leader Kim Jong Un met")
    assert not headline.isupper()
    assert not headline.endswith(("…", "and", "of", "the", ","))
    assert "On Wednesday" not in headline
    assert len(headline) <= 140


def test_kim_story_label_is_printed_once() -> None:
    stored = _kim()
    assert render_briefing(stored).casefold().count("made without") == 1
    text = briefing_text(stored)
    assert text.casefold().count("made without") == 1
    assert text.splitlines()[0] == stored.briefing.headline
    assert "Also mentioned: " in text and "Vladimir Putin" in text


SEOUL_BANK = (
    "SEOUL, Dec 4 (Reuters) - South Korea's central bank on Thursday kept its policy "
    "rate unchanged at 2.50%, as expected, citing concerns over housing prices."
)
EU_STEEL = (
    "BRUSSELS, March 11 (Reuters) - The European Commission on Tuesday proposed halving "
    "the amount of steel that can enter the European Union tariff-free, a move aimed at "
    "shielding the bloc's struggling mills from a flood of cheap imports, mostly from China."
)
EU_HEADLINE = (
    "The European Commission proposed halving the amount of steel that can enter the "
    "European Union tariff-free"
)
NO_COMMA = (
    "WASHINGTON (AP) - The Senate on Friday passed a sweeping bill to fund the government "
    "through January and avert a shutdown that would have furloughed hundreds of thousands "
    "of federal workers before the holidays."
)


@pytest.mark.parametrize(
    ("lead", "headline"),
    [
        (SEOUL_BANK, "South Korea's central bank kept its policy rate unchanged at 2.50%"),
        (EU_STEEL, EU_HEADLINE),
        (
            NO_COMMA,
            "The Senate passed a sweeping bill to fund the government through January",
        ),
    ],
)
def test_headline_drops_dateline_and_time_and_cuts_at_a_clause(lead: str, headline: str) -> None:
    assert extractive_draft(lead + "\n\nMore text follows here.", None).headline == headline


@pytest.mark.parametrize(
    ("name", "speaker", "words"),
    [
        # a quotation left open at the paragraph's end, reopened in the next ("he added")
        ("ap-senate-budget", "John Thune", "The American people expect us to do our jobs"),
        ("ap-senate-budget", "John Thune", "If Democrats want to shut it down, they will own it"),
        ("ap-senate-budget", "Lisa Murkowski", "the bill did too little for rural hospitals"),
        ("kcna-missile-test", "Kim Jong Un", "the test was a clear demonstration"),  # quoted … as
        ("kcna-missile-test", "Kim Jong Un", "This weapon system will reliably contain"),
        ("kcna-missile-test", "Missile Administration", "the launch had no negative impact"),
        ("tass-peskov-talks", "Dmitry Peskov", "the timing of the next meeting will depend"),
        ("tass-peskov-talks", "Dmitry Peskov", "Russia is ready for a new round of talks"),
        ("reuters-eu-steel", "Katherina Reiche", "Berlin wanted exemptions for partners"),
        ("reuters-eu-steel", "Stephane Sejourne", "This is not protectionism"),
        ("eu-commission-ai", "Henna Virkkunen", "Simplification is not deregulation"),
        ("eu-commission-ai", "European Commission", "the package could save companies"),
        ("yonhap-unification", "North Korea", "a foolish daydream"),
        ("yonhap-unification", "Kim Yo-jong", "Pyongyang had no interest in improving ties"),
        ("afp-france-pensions", "Medef", "the suspension would cost public finances"),
        ("bloomberg-chip-stocks", "Kim Forrest", "The bar was simply set too high"),
        ("interfax-gas-transit", "Dorin Recean", "This is blackmail, pure and simple"),
        ("reuters-eu-steel", "European Commission", "proposed halving the amount of steel"),
        ("reuters-eu-steel", "China's commerce ministry", "it firmly opposed the measure"),
    ],
)
def test_each_wire_attribution_form_gives_the_speaker_their_words(
    name: str, speaker: str, words: str
) -> None:
    actors = _by_name(actors_of(name))
    assert any(words in s.quote for s in actors[speaker].stances), actors[speaker].stances
    text = (WIRE / f"{name}.txt").read_text(encoding="utf-8")
    for stance in actors[speaker].stances:
        for piece in stance.quote.split(" … "):
            assert piece in text  # verbatim, always


@pytest.mark.parametrize("name", names())
def test_targets_are_whole_noun_phrases_or_left_out(name: str) -> None:
    dangling = {"a", "an", "the", "of", "by", "on", "for", "to", "with", "his", "its", "their"}
    for actor in actors_of(name):
        for stance in actor.stances:
            words = stance.target.split()
            assert not words or words[-1].casefold() not in dangling, stance.target
            assert not words or words[0].casefold() not in {"that", "to", "and", "as"}


@pytest.mark.parametrize("name", names())
def test_outlets_are_sources_never_actors(name: str) -> None:
    outlets = {"KCNA", "Reuters", "AP", "AFP", "TASS", "Yonhap", "Bloomberg", "dpa", "Interfax"}
    assert not {a.name for a in actors_of(name)} & outlets


def test_a_bare_title_alias_never_takes_another_persons_words() -> None:
    text = (
        "President Donald Trump said the talks had gone well. Russian President Vladimir "
        "Putin said the sides were still far apart on the main issues."
    )
    actors = {a.name: a for a in attributed_actors(text)}
    assert [s.quote for s in actors["Vladimir Putin"].stances] == [
        "the sides were still far apart on the main issues"
    ]
    assert [s.quote for s in actors["Donald Trump"].stances] == ["the talks had gone well"]


def test_the_kim_named_last_and_a_body_after_a_place_opener_are_the_speakers() -> None:
    text = (
        "PYONGYANG — North Korea is ready to resume talks if Washington scales back its drills, "
        "Kim Yo Jong, the sister of leader Kim Jong Un, said in a statement on Friday.\n\n"
        "Kim, who is a senior official of the ruling party, said her brother had approved "
        "a new approach.\n\n"
        "In Washington, a State Department spokesperson said the United States was studying "
        "the statement."
    )
    actors = {a.name: a for a in attributed_actors(text)}
    sister = [s.quote for s in actors["Kim Yo Jong"].stances]
    assert sister[0].startswith("North Korea is ready to resume talks")
    assert sister[1] == "her brother had approved a new approach"
    assert actors["Kim Jong Un"].stances == []
    assert [s.quote for s in actors["State Department"].stances] == [
        "the United States was studying the statement"
    ]
