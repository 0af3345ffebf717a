"""Same-issue matching for shifts: paraphrases match, confusable issues never do."""

from __future__ import annotations

import pytest

from bot.actors.issues import issue_entities, issue_key, same_issue, text_entities
from bot.evaluation.issue_pairs import CONFUSABLE, PARAPHRASES


@pytest.mark.parametrize(("a", "b"), CONFUSABLE)
def test_confusable_issues_never_match(a: str, b: str) -> None:
    assert not same_issue(a, b)
    assert not same_issue(b, a)


@pytest.mark.parametrize(("a", "b"), PARAPHRASES)
def test_paraphrases_match(a: str, b: str) -> None:
    assert same_issue(a, b)
    assert same_issue(b, a)


def test_the_tables_are_big_enough() -> None:
    assert len(CONFUSABLE) >= 40
    assert len(PARAPHRASES) >= 20


def test_entities_are_normalised_through_capitals_and_demonyms() -> None:
    assert issue_entities("sanctions on Moscow") == issue_entities("Russian sanctions")
    assert issue_entities("talks with the U.S.") == issue_entities("talks with the United States")
    assert issue_entities("the 2026 budget") != issue_entities("the 2027 budget")
    assert issue_entities("the ceasefire") == frozenset()
    assert issue_entities("санкции против России") == issue_entities("sanctions on Russia")


def test_nothing_to_compare_is_never_the_same_issue() -> None:
    for empty in ["", "!!", "the", "  "]:
        assert issue_key(empty) == frozenset()
        assert not same_issue(empty, empty)
    assert same_issue("Sanctions", "sanctions")


@pytest.mark.parametrize(
    "text", ["санкции", "Waffenstillstand", "cessez-le-feu", "制裁", "🇺🇦", "a" * 5000]
)
def test_any_text_has_a_key(text: str) -> None:
    assert isinstance(issue_key(text), frozenset)
    assert same_issue(text, text) == bool(issue_key(text))


@pytest.mark.parametrize(
    "text",
    [
        "Russian troops in Ukraine and sanctions on Moscow, the U.S. said",
        "Le cessez-le-feu à Gaza, selon l'Iran et l'ONU",
        "Пхеньян и Москва: Северная Корея и Россия подписали договор",
        "North Korean missiles fell near Japan; the UN and the EU condemned it",
        "Die Bundesregierung in Berlin sprach mit der Europäischen Union über Zölle",
        "Contact news@reuters.com or @channel about the European Union's plan",
        "Nothing about any state at all here",
    ],
)
def test_text_entities_are_the_entities_of_the_issue_key(text: str) -> None:
    # The stories' fast scan reads the same entities as the issue key, roles set aside.
    expected = {t.split(":")[-1] for t in issue_key(text) if "@" in t}
    assert text_entities(text) == expected
