"""A question's actor comes from the chat's directory; its words and dates become a query."""

from __future__ import annotations

from datetime import date

import pytest

from bot.actors.identity import Identity
from bot.ask.question import MAX_QUESTION_CHARS, is_question, understand, without_actor

KIM = Identity(key="kim", name="Kim Jong Un", kind="person", names={"Kim Jong Un"}, aliases={"Kim"})
PUTIN = Identity(
    key="putin", name="Vladimir Putin", kind="person", names={"Vladimir Putin"},
    aliases={"Putin", "Путин"},
)  # fmt: skip
US = Identity(key="us", name="United States", kind="state", names={"United States"}, aliases={"US"})
DIRECTORY = [KIM, PUTIN, US]
TODAY = date(2026, 12, 7)


def test_the_issue_example_reads_actor_dates_and_topic() -> None:
    q = understand(
        "What has Kim said about Ukraine over the last month?", today=TODAY, actors=DIRECTORY
    )
    assert q.actor is KIM
    assert q.query.actor == "Kim Jong Un"
    assert (q.query.since, q.query.until) == (date(2026, 11, 7), TODAY)
    assert q.query.text.split()[:2] == ["Kim", "Ukraine"]  # then the rest of the actor's name


def test_an_abbreviation_searches_the_actors_full_name() -> None:
    fns = Identity(
        key="fns", name="Федеральная налоговая служба", kind="organisation",
        names={"Федеральная налоговая служба"}, aliases={"ФНС"},
    )  # fmt: skip
    q = understand("Что ФНС изменит для ИП?", today=TODAY, actors=[fns])
    assert q.actor is fns
    assert "Федеральная налоговая служба" in q.query.text


def test_a_named_month_is_searched_as_a_word_too() -> None:
    q = understand("Wie hoch ist die Inflation im November?", today=TODAY).query
    assert "November" in q.text.split()
    assert q.since is not None
    relative = understand("What did Merz say last month?", today=TODAY).query
    assert "month" not in relative.text


def test_an_inflected_russian_name_finds_its_actor() -> None:
    q = understand("Что говорил Путина о санкциях?", today=TODAY, actors=DIRECTORY)
    assert q.actor is PUTIN
    assert q.query.since is None
    assert "санкциях" in q.query.text


def test_a_lowercase_pronoun_is_not_an_actor() -> None:
    q = understand("Can you tell us about tariffs?", today=TODAY, actors=DIRECTORY)
    assert q.actor is None
    assert q.query.text == "tariffs"


def test_the_longest_named_form_wins() -> None:
    kim_yo = Identity(key="kimyo", name="Kim Yo Jong", kind="person", names={"Kim Yo Jong"})
    q = understand("What did Kim Yo Jong say?", today=TODAY, actors=[KIM, kim_yo])
    assert q.actor is kim_yo


def test_without_actor_keeps_the_rest() -> None:
    q = understand("What did Kim say last month?", today=TODAY, actors=DIRECTORY).query
    wide = without_actor(q)
    assert wide.actor is None
    assert (wide.text, wide.since, wide.until) == (q.text, q.since, q.until)


@pytest.mark.parametrize(
    "text",
    [
        "What did Kim say about the drills?",
        "who condemned the launch",
        "Что сказал Путин?",
        "Wann beginnt der Gipfel",
        "Pourquoi Macron a-t-il démissionné ?",
        "Sanctions on Iran?",
    ],
)
def test_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kim said the launch was a success.",
        "hello there",
        "What a day.\n\nSEOUL — North Korea launched a missile on Tuesday, officials said.",
        "Why? " + "word " * (MAX_QUESTION_CHARS // 5),
        "",
    ],
)
def test_not_questions(text: str) -> None:
    assert not is_question(text)
