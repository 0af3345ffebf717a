"""Shifts follow publication dates, span two articles, and need the same issue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actors.identity import identities
from bot.actors.shifts import actor_shifts, find_shifts
from bot.evaluation.issue_pairs import CONFUSABLE, PARAPHRASES
from bot.render.who_page import render_shift
from bot.store.index import ChatArticle, StanceRow

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def article(name: str, *, received: datetime, published: datetime | None = None) -> ChatArticle:
    return ChatArticle(name, None, received, None, None, f"headline {name}", "k",
                       published_at=published)  # fmt: skip


def stance(target: str, polarity: str, on: ChatArticle, actor: str = "Kim Jong Un") -> StanceRow:
    return StanceRow(actor, "person", (), target, "p", polarity, "q", True, on)


def test_an_old_article_forwarded_last_gives_the_shift_in_publication_order() -> None:
    # Published Dec 3 then Dec 1, but the chat got the newer one first.
    newer = article("new", received=T0 + timedelta(days=3), published=T0 + timedelta(days=2))
    older = article("old", received=T0 + timedelta(days=5), published=T0)
    rows = [stance("sanctions on Russia", "supports", newer),
            stance("Russia sanctions", "opposes", older)]  # fmt: skip
    [shift] = find_shifts(rows)
    assert (shift.before, shift.after) == ("opposes", "supports")
    assert (shift.before_article.article_hash, shift.after_article.article_hash) == ("old", "new")
    assert shift.at == T0 + timedelta(days=2)
    line = render_shift(shift)
    assert "(1 Dec 2026)" in line
    assert "(3 Dec 2026)" in line
    assert line.index("1 Dec 2026") < line.index("3 Dec 2026")


def test_without_publication_dates_arrival_order_decides() -> None:
    first = article("a", received=T0)
    second = article("b", received=T0 + timedelta(days=1))
    rows = [stance("the ceasefire", "opposes", second), stance("the ceasefire", "supports", first)]
    [shift] = find_shifts(rows)
    assert (shift.before, shift.after) == ("supports", "opposes")
    assert shift.at == second.received_at


def test_a_shift_is_learned_when_the_second_article_arrives() -> None:
    # An article from last month forwarded today makes a shift that a digest from
    # yesterday on must report, though the later-published article came in earlier.
    old = article("old", received=T0 + timedelta(days=30), published=T0)
    recent = article("recent", received=T0 + timedelta(days=20), published=T0 + timedelta(days=19))
    rows = [stance("the ceasefire", "supports", old), stance("the ceasefire", "opposes", recent)]
    assert len(find_shifts(rows, since=T0 + timedelta(days=29))) == 1
    assert find_shifts(rows, since=T0 + timedelta(days=31)) == []


def test_never_a_shift_inside_one_article() -> None:
    one = article("one", received=T0)
    rows = [stance("the ceasefire", "supports", one), stance("the ceasefire", "opposes", one),
            stance("the Gaza ceasefire", "supports", one),
            stance("ceasefire in Gaza", "opposes", one)]  # fmt: skip
    assert find_shifts(rows) == []
    # A second sending of the same article is still the same article.
    again = article("one", received=T0 + timedelta(days=1))
    assert find_shifts([*rows, stance("the ceasefire", "opposes", again)]) == []


@pytest.mark.parametrize(("a", "b"), CONFUSABLE)
def test_confusable_targets_give_no_shift(a: str, b: str) -> None:
    first = article("a", received=T0)
    second = article("b", received=T0 + timedelta(days=1))
    assert find_shifts([stance(a, "supports", first), stance(b, "opposes", second)]) == []
    assert find_shifts([stance(b, "supports", first), stance(a, "opposes", second)]) == []


@pytest.mark.parametrize(("a", "b"), PARAPHRASES)
def test_paraphrased_targets_give_the_shift(a: str, b: str) -> None:
    first = article("a", received=T0)
    second = article("b", received=T0 + timedelta(days=1))
    [shift] = find_shifts([stance(a, "supports", first), stance(b, "opposes", second)])
    assert (shift.target, shift.before, shift.after) == (b, "supports", "opposes")


def _row(actor: str, polarity: str, on: ChatArticle, *, verified: bool = True) -> StanceRow:
    return StanceRow(actor, "person", (), "the ceasefire", "p", polarity, "q", verified, on)


def test_shifts_newest_first_by_actor_and_verified_only_skips_reported_words() -> None:
    a0, a1, a2, a3 = (article(f"a{i}", received=T0 + timedelta(days=i)) for i in range(4))
    rows = [_row("Kim", "opposes", a0, verified=False), _row("Kim", "supports", a1),
            _row("Kim", "opposes", a2), _row("Kim", "supports", a3),
            _row("Lee", "supports", a1), _row("Lee", "opposes", a2)]  # fmt: skip
    every = [(s.actor, s.before, s.after, s.at) for s in find_shifts(rows)]
    assert every == [
        ("Kim", "opposes", "supports", a3.received_at),
        ("Lee", "supports", "opposes", a2.received_at),  # same instant: by name, descending
        ("Kim", "supports", "opposes", a2.received_at),
        ("Kim", "opposes", "supports", a1.received_at),  # from the unverified stance
    ]
    own_words = [(s.actor, s.at) for s in find_shifts(rows, verified_only=True)]
    assert own_words == [("Kim", a3.received_at), ("Lee", a2.received_at),
                         ("Kim", a2.received_at)]  # fmt: skip
    [kim] = [a for a in identities(rows) if a.name == "Kim"]
    assert [s.at for s in actor_shifts(kim)] == [a3.received_at, a2.received_at, a1.received_at]
    # Learned at a2's arrival exactly: included.
    assert [s.at for s in find_shifts(rows, since=a3.received_at)] == [a3.received_at]
    assert len(find_shifts(rows, since=a2.received_at)) == 3


def test_one_article_on_both_sides_is_mixed() -> None:
    a1, a2 = article("a1", received=T0), article("a2", received=T0 + timedelta(days=1))
    rows = [_row("Kim", "supports", a1), _row("Kim", "opposes", a1), _row("Kim", "supports", a2)]
    [shift] = find_shifts(rows)
    assert (shift.before, shift.after) == ("mixed", "supports")
