"""Actor identities, name lookup and shift detection: pure functions, no fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actors.identity import fold, identities, lookup
from bot.actors.shifts import find_shifts
from bot.store.index import ChatArticle, StanceRow

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def row(actor: str, target: str, polarity: str, *, day: int, aliases: tuple[str, ...] = (),
        kind: str = "person") -> StanceRow:  # fmt: skip
    article = ChatArticle(f"h{day}", day, T0 + timedelta(days=day), None, None, f"Day {day}", None)
    return StanceRow(actor, kind, aliases, target, "pos", polarity, "quote", True, article)


ROWS = [
    row("Kim Jong Un", "drills", "opposes", day=1, aliases=("Kim", "the North Korean leader")),
    row("North Korea", "talks with the US", "opposes", day=1, aliases=("Pyongyang", "DPRK"), kind="state"),
    row("DPRK", "talks with the United States", "supports", day=5, aliases=("North Korea",), kind="state"),
    row("Kim Yo Jong", "talks", "supports", day=5, aliases=("Kim",)),
    row("Emmanuel Macron", "tariffs", "opposes", day=2, aliases=("Macron",)),
]  # fmt: skip


def test_fold_ignores_case_diacritics_punctuation() -> None:
    assert fold("  Kím  Jöng-Ün ") == "kim jong un"


def test_a_name_used_as_alias_elsewhere_merges_identities() -> None:
    actors = {a.name: a for a in identities(ROWS)}
    assert "DPRK" not in actors
    assert actors["North Korea"].articles == 2
    assert actors["North Korea"].aliases >= {"Pyongyang", "DPRK"}
    assert "Kim Yo Jong" in actors and "Kim Jong Un" in actors  # a shared alias doesn't merge


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("north korea", "North Korea"),  # exact
        ("dprk", "North Korea"),  # an alias, and a merged identity's name
        ("macron", "Emmanuel Macron"),  # alias
        ("emanuel macron", "Emmanuel Macron"),  # typo
        ("kim jong", "Kim Jong Un"),  # prefix of a name
        ("jong un", "Kim Jong Un"),  # words of a name
        ("Emmanuel", "Emmanuel Macron"),  # first name only
    ],
)
def test_lookup_finds_one_actor(query: str, match: str) -> None:
    found = lookup(query, identities(ROWS))
    assert found.match is not None
    assert found.match.name == match
    assert found.candidates == []


def test_lookup_offers_candidates_when_a_name_fits_several() -> None:
    found = lookup("kim", identities(ROWS))
    assert found.match is None
    assert {c.name for c in found.candidates} == {"Kim Jong Un", "Kim Yo Jong"}


def test_lookup_of_nothing_finds_nothing() -> None:
    found = lookup("  ", identities(ROWS))
    assert (found.match, found.candidates, found.suggestions) == (None, [], [])


def test_typos_match_and_strangers_get_no_suggestions() -> None:
    found = lookup("Macronn govt", identities(ROWS))
    assert found.match is not None and found.match.name == "Emmanuel Macron"
    stranger = lookup("Vladimir Putin", identities(ROWS))
    assert (stranger.match, stranger.candidates, stranger.suggestions) == (None, [], [])


def test_shift_detected_across_articles_with_reworded_target() -> None:
    shifts = find_shifts(ROWS)
    assert len(shifts) == 1
    [shift] = shifts
    assert shift.actor == "North Korea"
    assert (shift.before, shift.after) == ("opposes", "supports")
    assert find_shifts(ROWS, since=T0 + timedelta(days=6)) == []


def test_no_shift_for_same_polarity_or_unrelated_targets() -> None:
    rows = [row("A", "tariffs", "opposes", day=1), row("A", "tariffs on steel", "opposes", day=2),
            row("A", "immigration", "supports", day=3)]  # fmt: skip
    assert find_shifts(rows) == []


def test_a_shared_alias_never_merges_different_people() -> None:
    rows = [
        row("Kim Jong Un", "talks", "opposes", day=1, aliases=("Kim",)),
        row("Kim Yo Jong", "talks", "supports", day=2, aliases=("Kim",)),
        row("Kim", "talks", "supports", day=3),
        row("🇺🇸", "trade", "supports", day=1),
        row("—", "trade", "opposes", day=2),
    ]
    names = sorted(a.name for a in identities(rows))
    assert names == sorted(["Kim Jong Un", "Kim Yo Jong", "Kim", "🇺🇸", "—"])
    assert find_shifts(rows) == []  # no false shift across different people
