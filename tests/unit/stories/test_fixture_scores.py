"""The figures the issue asks for, on the stories fixture (benchmarks/stories.py prints them)."""

from __future__ import annotations

from benchmarks.stories import fixture_scores
from bot.evaluation.story_corpus import gold_duplicate_pairs, load_story_corpus
from bot.evaluation.story_scoring import b_cubed, pair_scores


def test_fixture_has_the_shape_the_issue_asks_for() -> None:
    items = load_story_corpus()
    events: dict[str, set[str]] = {}
    for item in items:
        events.setdefault(item.event, set()).add(item.source)
    assert len(events) >= 40
    assert all(2 <= len(sources) <= 6 for sources in events.values())
    assert {i.lang for i in items} >= {"en", "ru", "de", "fr"}
    assert len(gold_duplicate_pairs(items)) >= 20


def test_grouping_reaches_b_cubed_f1_and_near_duplicate_figures() -> None:
    scores = fixture_scores()
    assert scores["b_cubed_f1"] >= 0.90
    assert scores["near_duplicate_precision"] >= 0.95
    assert scores["near_duplicate_recall"] >= 0.95


def test_the_scores_themselves_are_right() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert b_cubed(gold, gold).f1 == 1.0
    one = b_cubed({"a": "1", "b": "1", "c": "1"}, gold)
    assert one.recall == 1.0
    assert abs(one.precision - 5 / 9) < 1e-9
    pairs = {frozenset("ab")}
    assert pair_scores(pairs, pairs).f1 == 1.0
    assert pair_scores(set(), pairs).recall == 0.0
