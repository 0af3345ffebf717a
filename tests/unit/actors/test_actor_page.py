"""Grouping, counting and shifts over plain rows: the same as over StanceRows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actors.identity import Identity, identities
from bot.actors.page import MAX_SHIFTS, Counted, count_identities, row_shifts
from bot.actors.shifts import Shift, actor_shifts
from bot.store.chat_queries import iso
from bot.store.chat_rows import _ALIAS_SEP, ChatArticle, StanceRow
from bot.store.who_rows import LightRow
from tests.unit.actors.test_identity_grouping import random_rows
from tests.unit.actors.test_shift_clusters import random_actor, reference_shifts

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def light(rows: list[StanceRow]) -> tuple[list[StanceRow], list[LightRow]]:
    """Order stances newest first (as SQL returns them) and make their plain rows."""
    ordered = sorted(rows, key=lambda r: r.article.dated, reverse=True)
    return ordered, [
        (r.article.article_hash, n, r.actor, r.kind, _ALIAS_SEP.join(r.aliases), r.target,
         r.polarity, int(r.verified), iso(r.article.received_at), iso(r.article.dated),
         r.article.published_from, r.issue, r.provenance.value if r.provenance else None)
        for n, r in enumerate(ordered)
    ]  # fmt: skip


def summary(actor: Identity) -> tuple[object, ...]:
    return (actor.key, actor.name, actor.kind, actor.names, actor.aliases, actor.articles,
            actor.stance_count, actor.last_seen)  # fmt: skip


def shift_key(shift: Shift) -> tuple[object, ...]:
    return (shift.actor, shift.target, shift.before, shift.after,
            shift.before_article.article_hash, shift.before_article.received_at,
            shift.after_article.article_hash, shift.after_article.received_at)  # fmt: skip


@pytest.mark.parametrize("seed", range(16))
def test_rows_group_into_the_same_actors(seed: int) -> None:
    ordered, rows = light(random_rows(seed, 20 + 15 * seed))
    counted, before = count_identities(rows), identities(ordered)
    assert [summary(a) for a in counted] == [summary(a) for a in before]
    for got, want in zip(counted, before, strict=True):
        assert isinstance(got, Counted)
        assert [ordered[r[1]] for r in got.rows] == want.stances  # the same stances, in order


@pytest.mark.parametrize("seed", range(12))
def test_rows_give_the_same_newest_shifts_and_count(seed: int) -> None:
    ordered, rows = light(random_actor(seed, stances=40 + 30 * seed).stances)
    [actor] = identities(ordered)
    want = reference_shifts(actor)
    assert want == actor_shifts(actor)
    shifts, count = row_shifts(actor.name, rows)
    assert count == len(want)
    assert [shift_key(s) for s in shifts] == [shift_key(s) for s in want[:MAX_SHIFTS]]
    assert len(shifts) == min(MAX_SHIFTS, len(want))


def _stance(
    actor: str, article: int, day: int, polarity: str, target: str = "tariffs"
) -> StanceRow:
    at = T0 + timedelta(days=day)
    return StanceRow(actor, "state", (), target, "p", polarity, "q", True,
                     ChatArticle(f"h{article:02}", article, at, None, None, "x", None))  # fmt: skip


def test_a_tie_in_counts_and_length_goes_to_the_newest_name() -> None:
    for newer, older in [("north korea", "North Korea"), ("North Korea", "north korea")]:
        ordered, rows = light([_stance(newer, 2, 2, "supports"), _stance(older, 1, 1, "opposes")])
        [counted], [before] = count_identities(rows), identities(ordered)
        assert counted.name == before.name == newer


def test_articles_sent_at_the_same_instant_are_ordered_by_hash() -> None:
    # Three articles share one instant: their order (by hash) decides what shifted to what.
    stances = [_stance("Seoul", n, 5 if n < 9 else n, ["supports", "opposes"][n * 7 % 3 % 2])
               for n in (11, 3, 7, 1, 9, 12)]  # fmt: skip
    ordered, rows = light(stances)
    [actor] = identities(ordered)
    want = reference_shifts(actor)
    assert len({s.after_article.received_at for s in want}) < len(want)  # ties were met
    shifts, count = row_shifts(actor.name, rows)
    assert (count, [shift_key(s) for s in shifts]) == (len(want), [shift_key(s) for s in want])
