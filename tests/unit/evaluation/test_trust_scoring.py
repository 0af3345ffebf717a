"""Scoring the trust corpus: hand-made tiny corpora whose figures are worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.checks.provenance import Provenance
from bot.evaluation.corpus_model import CorpusArticle
from bot.evaluation.model_quotes import tally_quotes
from bot.evaluation.scoring import (
    ActorScore,
    Rate,
    in_split,
    match_actors,
    score_dates,
    score_provenance,
    score_summary,
    split_of,
)
from bot.evaluation.shift_scoring import (
    actor_groups,
    canonical_issue,
    confusable_issues,
    score_shifts,
)
from bot.evaluation.shift_table import case_rows, score_shift_table, shift_cases
from bot.models import Actor, ActorKind, Polarity, Stance

WIRE = (
    "WASHINGTON, Dec 2 (Reuters) - U.S. Senator Jane Roe said on Tuesday the sanctions bill "
    "would pass before the holidays.\n\n"
    '"We have the votes, and we will use them," Roe told reporters at the Capitol. The Senate '
    "approved 3 billion dollars for the programme last year."
)
ROE = {"name": "Jane Roe", "aliases": ["Roe"], "kind": "person", "speaks": True}
SENATE = {"name": "U.S. Senate", "aliases": ["Senate"], "kind": "organisation", "speaks": False}


def article(number: int, **fields: Any) -> CorpusArticle:
    data: dict[str, Any] = {
        "id": f"en-reuters-roe-{number:03d}",
        "language": "en",
        "style": "reuters",
        "title": "Roe says sanctions bill will pass",
        "text": WIRE,
        "published": "2026-12-02",
        "received": "2026-12-06",
        "actors": [ROE, SENATE],
        "traps": ["Tuesday", "Reuters"],
        "quotes": [],
        "stances": [],
        "summary": {"clean": [], "planted": []},
    }
    data.update(fields)
    return CorpusArticle.model_validate(data)


def probe(quote: str, expected: str, actor: str = "Jane Roe") -> dict[str, Any]:
    speaker = None if expected in {"narration", "not_found"} else actor
    return {"quote": quote, "actor": actor, "expected": expected, "speaker": speaker, "via": None}


def test_split_is_the_parity_of_the_numeric_suffix() -> None:
    assert split_of("en-reuters-kim-001") == "dev"
    assert split_of("ru-tass-peskov-sanctions-010") == "test"
    corpus = [article(1), article(2), article(3)]
    assert [a.id for a in in_split(corpus, "dev")] == ["en-reuters-roe-001", "en-reuters-roe-003"]
    with pytest.raises(ValueError, match="numeric suffix"):
        split_of("en-reuters-kim")


def test_provenance_accuracy_per_class_and_language() -> None:
    quotes = [
        probe("We have the votes, and we will use them", "direct"),  # right
        probe("Sanctions will crush the enemy", "not_found"),  # right
        probe("The Senate approved 3 billion dollars for the programme last year", "narration"),
        # Mislabelled on purpose: the words are Roe's own, so the classifier's "direct" is a
        # miss against this gold, and shows as a confusion.
        probe("We have the votes", "reported"),
    ]
    score = score_provenance([article(1, quotes=quotes)])
    assert score.by_class == {
        "direct": Rate(1, 1),
        "narration": Rate(1, 1),
        "not_found": Rate(1, 1),
        "reported": Rate(0, 1),
    }
    assert score.by_language == {"en": Rate(3, 4)}
    assert score.overall.value == pytest.approx(0.75)
    assert score.confusions == {"reported->direct": 1}


def test_actor_matching_counts_duplicates_and_traps_as_false_positives() -> None:
    gold = article(1).actors
    predicted = [
        Actor(name="Jane Roe", aliases=["Roe"], kind=ActorKind.PERSON, stances=[]),
        Actor(name="Senate", aliases=[], kind=ActorKind.ORGANISATION, stances=[]),  # an alias
        Actor(name="Roe", aliases=[], kind=ActorKind.PERSON, stances=[]),  # Roe again
        Actor(name="Tuesday", aliases=[], kind=ActorKind.PERSON, stances=[]),  # a trap
        Actor(name="the Capitol", aliases=[], kind=ActorKind.ORGANISATION, stances=[]),
    ]
    score = ActorScore()
    match_actors("a-1", predicted, gold, ["Tuesday", "Reuters"], score)
    assert (score.true_positives, score.false_positives, score.gold) == (2, 3, 2)
    assert (score.duplicates, score.traps_leaked) == (1, 1)
    assert score.precision == Rate(2, 5)
    assert score.recall == Rate(2, 2)
    assert score.spurious == ["a-1: Roe", "a-1: Tuesday", "a-1: the Capitol"]
    match_actors("a-2", predicted[:1], gold, [], score)  # the Senate missed this time
    assert score.recall == Rate(3, 4)
    assert score.missed == ["a-2: U.S. Senate"]


def test_a_state_named_in_english_matches_its_name_in_the_article_language() -> None:
    deutschland = {"name": "Deutschland", "aliases": ["Berlin"], "kind": "state", "speaks": True}
    merz = {"name": "Friedrich Merz", "aliases": ["Merz"], "kind": "person", "speaks": True}
    gold = article(1, language="en", actors=[deutschland, merz]).actors
    predicted = [
        Actor(name="Germany", aliases=[], kind=ActorKind.STATE, stances=[]),
        Actor(name="Frankreich", aliases=[], kind=ActorKind.STATE, stances=[]),  # another state
        Actor(name="Friedrich", aliases=[], kind=ActorKind.PERSON, stances=[]),  # a cut name
    ]
    score = ActorScore()
    match_actors("a-1", predicted, gold, [], score)
    assert (score.true_positives, score.false_positives) == (1, 2)


def test_summary_catch_and_false_flag_rates() -> None:
    summary = {
        "clean": ["Roe said the Senate approved 3 billion dollars.", "Roe expects the bill to pass."],
        "planted": [
            {"statement": "Roe said the Senate approved 5 billion dollars.", "kind": "number",
             "error": "5 billion"},
            {"statement": "John Doe said the bill would pass.", "kind": "name",
             "error": "John Doe"},
            {"statement": "The bill passed on Monday.", "kind": "date", "error": "Monday"},
        ],
    }  # fmt: skip
    score = score_summary([article(1, summary=summary)])
    assert score.caught == Rate(3, 3)
    assert score.pinpointed == Rate(3, 3)
    assert score.false_flags == Rate(0, 2)
    assert score.by_kind == {"date": Rate(1, 1), "name": Rate(1, 1), "number": Rate(1, 1)}


def test_dates_from_the_dateline_else_the_date_received() -> None:
    undated = "The board met and agreed on a plan for the coming year, a spokesman said."
    articles = [
        article(1),  # dateline Dec 2 = published
        article(2, text=undated, published="2026-11-30", received="2026-12-01"),
        article(3, text=undated, published="2026-12-01", received="2026-12-01"),
    ]
    score = score_dates(articles)
    assert score.dateline == Rate(1, 3)
    assert score.effective == Rate(2, 3)  # the third falls back to its (right) received date
    assert score.none == 2
    assert score.wrong[0] == "en-reuters-roe-002: got None, gold 2026-11-30"


def stance(issue: str, target: str, polarity: str, actor: str = "Jane Roe") -> dict[str, str]:
    return {"actor": actor, "issue": issue, "target": target, "polarity": polarity}


def shift_corpus() -> list[CorpusArticle]:
    renamed = {"name": "J. Roe", "aliases": ["Jane Roe"], "kind": "person", "speaks": True}
    return [
        article(1, stances=[
            stance("sanctions on Russia", "sanctions on Russia", "supports"),
            stance("the 2026 budget", "the budget for 2026", "supports"),
        ]),
        # Named differently here, with the other article's name as an alias: the same actor.
        article(2, actors=[renamed], stances=[
            stance("sanctions on Russia", "Russia sanctions", "opposes", actor="J. Roe"),
        ]),
        article(3, stances=[stance("sanctions on Iran", "sanctions on Iran", "opposes")]),
    ]  # fmt: skip


def test_shift_pairs_precision_recall_and_confusables() -> None:
    corpus = shift_corpus()
    groups = actor_groups(corpus)
    assert list(groups) == ["Jane Roe"]
    assert len(groups["Jane Roe"]) == 4
    score = score_shifts(corpus)
    # 4 stances, 6 pairs, minus the one inside article 1: 5 cross-article pairs.
    assert len(score.pairs) == 5
    # The one gold shift (Russia sanctions, supports -> opposes) is found by target and issue.
    assert score.precision() == Rate(1, 1)
    assert score.recall() == Rate(1, 1)
    assert score.recall(by_issue=True) == Rate(1, 1)
    # Russia vs Iran sanctions, from article 1 and from article 2: confusable, never matched.
    assert len(score.confusable) == 2
    assert score.false_matches() == 0
    assert score.false_shifts() == 0


def test_a_false_match_on_a_confusable_pair_is_a_false_shift() -> None:
    corpus = [
        article(1, stances=[stance("sanctions on Russia", "sanctions", "supports")]),
        article(2, stances=[stance("sanctions on Iran", "the sanctions", "opposes")]),
    ]
    score = score_shifts(corpus)
    assert score.precision() == Rate(0, 1)  # vague targets: the detector takes them for one
    assert score.recall() == Rate(0, 0)
    assert score.false_shifts() == 1
    assert score.false_shifts(by_issue=True) == 0


def test_gold_issue_mapping_and_the_corpus_confusable_table() -> None:
    assert canonical_issue("sanctions de l'UE contre la Russie") == canonical_issue(
        "EU sanctions on Russia"
    )
    assert canonical_issue("Russia–North Korea military cooperation") == canonical_issue(
        "North Korea-Russia military cooperation"
    )
    table = confusable_issues(shift_corpus())
    assert table.confusable == 1  # Russia vs Iran sanctions; the budget shares no key word
    assert table.false_matches == []


def test_shift_cases_cover_both_directions_and_both_variants() -> None:
    cases = shift_cases([("sanctions on Russia", "sanctions on Iran")], [("a", "b")])
    assert len(cases) == 8  # 2 pairs x 2 directions x (targets, issues)
    assert [(c.earlier, c.later, c.before.value, c.after.value) for c in cases[:4]] == [
        ("sanctions on Russia", "sanctions on Iran", "supports", "opposes"),
        ("sanctions on Iran", "sanctions on Russia", "opposes", "supports"),
        ("a", "b", "supports", "opposes"),
        ("b", "a", "opposes", "supports"),
    ]
    later, earlier = case_rows(cases[7])  # issues variant, paraphrase pair, b first
    assert (earlier.issue, later.issue) == ("b", "a")
    assert earlier.target == later.target  # one generic target: only the issue may decide
    assert earlier.article.article_hash != later.article.article_hash
    assert later.article.dated - earlier.article.dated == timedelta(days=1)
    assert later.article.received_at < earlier.article.received_at  # arrival order reversed
    assert (earlier.polarity, later.polarity) == ("opposes", "supports")
    assert (earlier.provenance, earlier.verified) == (Provenance.DIRECT, True)
    assert case_rows(cases[1])[0].issue == ""  # targets variant: indexed before issues


def test_shift_table_on_a_table_the_detector_gets_right() -> None:
    score = score_shift_table(
        [("sanctions on Russia", "sanctions on Iran")],
        [("sanctions on Russia", "Russia sanctions")],
    )
    for by_issue in (False, True):
        assert score.cases(by_issue=by_issue) == 4
        # The paraphrase shifts in each direction, earlier polarity -> later: 2 of 2.
        assert score.precision(by_issue=by_issue) == Rate(2, 2)
        assert score.recall(by_issue=by_issue) == Rate(2, 2)
        assert score.false_shifts(by_issue=by_issue) == 0
    assert score.wrong() == []


def test_shift_table_counts_the_detector_s_mistakes() -> None:
    # Mislabelled on purpose: a paraphrase listed as confusable and a confusable pair listed
    # as a paraphrase. The detector is right, so against this table it is wrong on both.
    score = score_shift_table(
        [("the Gaza ceasefire", "the ceasefire in Gaza")], [("the 2026 budget", "the 2027 budget")]
    )
    for by_issue in (False, True):
        assert score.false_shifts(by_issue=by_issue) == 2  # one shift per direction
        assert score.precision(by_issue=by_issue) == Rate(0, 2)
        assert score.recall(by_issue=by_issue) == Rate(0, 2)
    assert len(score.wrong()) == 8
    assert score.wrong()[0] == (
        "target: 'the Gaza ceasefire' -> 'the ceasefire in Gaza': 1 shift(s), expected 0"
    )


def test_model_quotes_tallied_by_the_classifier_and_against_gold() -> None:
    gold = article(1, quotes=[
        probe("We have the votes, and we will use them", "direct"),
        probe("The Senate approved 3 billion dollars for the programme last year", "narration"),
    ])  # fmt: skip
    roe = Actor(
        name="Jane Roe", aliases=["Roe"], kind=ActorKind.PERSON,
        stances=[
            Stance(target="bill", position="will pass", polarity=Polarity.SUPPORTS, issue="the sanctions bill",
                   quote="We have the votes, and we will use them"),
            Stance(target="programme", position="funded", polarity=Polarity.SUPPORTS, issue="the sanctions bill",
                   quote="The Senate approved 3 billion dollars for the programme last year."),
            Stance(target="bill", position="will pass", polarity=Polarity.SUPPORTS, issue="the sanctions bill",
                   quote="the sanctions bill would pass before the holidays"),
        ],
    )  # fmt: skip
    tally = tally_quotes([roe], gold)
    assert tally.stances == 3
    assert tally.own_words == 1  # reported speech and narration are not her own words
    assert dict(tally.by_class) == {"direct": 1, "narration": 1, "reported": 1}
    assert (tally.gold_matched, tally.gold_agreed, tally.gold_own_words) == (2, 2, 1)


def test_the_benchmark_table_judges_targets_per_split() -> None:
    from benchmarks.trust import as_json, measure, rows, table

    right = article(1, quotes=[probe("We have the votes, and we will use them", "direct")])
    wrong = article(2, quotes=[probe("The Senate approved 3 billion dollars", "direct")])
    out = rows({"dev": measure([right]), "test": measure([wrong]), "all": measure([right, wrong])})
    direct = next(r for r in out if r.metric == "provenance accuracy: direct")
    assert (direct.met("dev"), direct.met("test"), direct.met("all")) == (True, False, False)
    reported = next(r for r in out if r.metric == "provenance accuracy: reported")
    assert reported.met("all") is None  # no probe of the class: nothing to judge
    assert (
        "| provenance accuracy: direct | 1.000 (1/1) | 0.000 (0/1) | 0.500 (1/2) | ≥ 0.95 "
        "| NO | NO |" in table(out)
    )
    assert not any(r.metric.startswith("shift table") for r in out)  # none given
    shift_rows = rows({"all": measure([right])}, score_shift_table([("a b", "a c")], []))
    false = next(
        r for r in shift_rows if r.metric == "shift table: false shifts on confusable pairs"
    )
    assert (false.figures["all"], false.met("all")) == (0, True)
    first = as_json(out)[1]
    assert first["metric"] == "provenance accuracy: direct"
    assert first["all"] == {"value": 0.5, "hits": 1, "total": 2}
    assert first["met_test"] is False
