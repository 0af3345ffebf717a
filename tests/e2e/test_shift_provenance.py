"""Shifts come from the actor's attributed words on one issue, never from anyone else's words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.actors.lookup import find_page
from bot.actors.shifts import find_shifts
from bot.checks.provenance import Provenance
from bot.models import Polarity
from bot.store.index import ChatArticle, Index, StanceRow
from tests.who_kit import brief_and_send, person, said, stored

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
CHAT = 3


def _row(n: int, polarity: str, provenance: Provenance | None, *, verified: bool = True,
         target: str = "talks with the US", issue: str = "") -> StanceRow:  # fmt: skip
    article = ChatArticle(f"h{n}", n, T0 + timedelta(days=n), None, None, "x", None)
    return StanceRow("Kim Jong Un", "person", (), target, "p", polarity, "q", verified, article,
                     issue=issue, provenance=provenance)  # fmt: skip


@pytest.mark.parametrize(
    ("provenance", "verified", "shifts", "verified_shifts"),
    [
        (Provenance.DIRECT, True, 1, 1),
        (Provenance.VIA, True, 1, 1),
        (Provenance.REPORTED, False, 1, 1),  # attributed, though not the actor's own words
        (Provenance.NARRATION, False, 0, 0),
        (Provenance.MISATTRIBUTED, False, 0, 0),
        (Provenance.NOT_FOUND, False, 0, 0),
        (Provenance.NARRATION, True, 0, 0),  # even if a stored flag said otherwise
        (None, True, 1, 1),  # from before provenance, quote found
        (None, False, 1, 0),  # from before provenance, quote not found
    ],
)
def test_which_stances_can_make_a_shift(
    provenance: Provenance | None, verified: bool, shifts: int, verified_shifts: int
) -> None:
    # The later stance is of the class under test; the earlier one is the actor's own words.
    rows = [_row(0, "opposes", Provenance.DIRECT),
            _row(1, "supports", provenance, verified=verified)]  # fmt: skip
    assert len(find_shifts(rows)) == shifts
    assert len(find_shifts(rows, verified_only=True)) == verified_shifts
    flipped = [_row(0, "opposes", provenance, verified=verified),
               _row(1, "supports", Provenance.DIRECT)]  # fmt: skip
    assert len(find_shifts(flipped, verified_only=True)) == verified_shifts


def test_the_issue_decides_not_the_target() -> None:
    # The same words for two issues: no shift; other words for one issue: a shift.
    rows = [_row(0, "supports", Provenance.DIRECT, target="the deal", issue="sanctions on Iran"),
            _row(1, "opposes", Provenance.DIRECT, target="the deal", issue="sanctions on Russia"),
            _row(2, "supports", Provenance.DIRECT, target="Moscow", issue="Russia sanctions")]  # fmt: skip
    [shift] = find_shifts(rows)
    assert (shift.before_article.article_hash, shift.after_article.article_hash) == ("h1", "h2")
    assert (shift.before, shift.after) == ("opposes", "supports")


def test_a_stance_without_an_issue_is_matched_by_its_target() -> None:
    rows = [_row(0, "supports", None, target="sanctions on Russia"),
            _row(1, "opposes", Provenance.DIRECT, target="them", issue="Russia sanctions")]  # fmt: skip
    assert len(find_shifts(rows)) == 1


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    opened = Index(tmp_path / "index.sqlite3")
    yield opened
    opened.close()


@pytest.mark.parametrize("provenance", [Provenance.NARRATION, Provenance.MISATTRIBUTED])
def test_the_who_page_never_shifts_on_words_not_the_actors(
    index: Index, provenance: Provenance
) -> None:
    talks = "talks with the US"
    earlier = said("We will talk", issue=talks)
    others = said("Never", provenance, issue=talks, polarity=Polarity.OPPOSES, speaker="Lee")
    brief_and_send(index, CHAT, stored("a0", person("Kim Jong Un", earlier)), day=0)
    brief_and_send(index, CHAT, stored("a1", person("Kim Jong Un", others)), day=1)
    _found, page = find_page(index, CHAT, "Kim Jong Un")
    assert page is not None and page.stances == 2
    assert (page.shifts, page.shift_count) == ([], 0)
    # The same words in the actor's own mouth do make the shift.
    own = said("Never", issue=talks, polarity=Polarity.OPPOSES)
    brief_and_send(index, CHAT, stored("a2", person("Kim Jong Un", own)), day=2)
    _found, page = find_page(index, CHAT, "Kim Jong Un")
    assert page is not None and page.shift_count == 1
    [shift] = page.shifts
    assert (shift.before_article.article_hash, shift.after_article.article_hash) == ("a0", "a2")
