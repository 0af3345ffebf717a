"""Grouping stances into actors per distinct (name, aliases) pair: same actors as per stance."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.seed import seed_chat
from bot.actors.identity import Identity, fold, identities
from bot.store.index import ChatArticle, Index, StanceRow

T0 = datetime(2025, 1, 1, tzinfo=UTC)
# Aliases that merge ("Pyongyang" → North Korea), are ambiguous ("Kim" claimed twice), point
# at no actor, or fold to nothing ("🇺🇸").
FORMS: list[tuple[str, tuple[str, ...]]] = [
    ("Kim Jong Un", ("Kim", "the North Korean leader")),
    ("Kim Yo Jong", ("Kim",)),
    ("Kim", ()),
    ("North Korea", ("Pyongyang", "DPRK")),
    ("DPRK", ("North Korea",)),
    ("Pyongyang", ()),
    ("north korea", ()),
    ("🇺🇸", ("United States",)),
    ("United States", ("US", "🇺🇸")),
    ("Seoul", ()),
]


def reference_identities(rows: list[StanceRow]) -> list[Identity]:
    """Group stances as before: every union and alias computed once per stance."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    names = {fold(r.actor) for r in rows}
    claims: dict[str, set[str]] = {}
    for row in rows:
        for alias in row.aliases:
            claims.setdefault(fold(alias), set()).add(fold(row.actor))
    for row in rows:
        for alias in row.aliases:
            folded = fold(alias)
            if folded and folded in names and len(claims[folded] - {folded}) == 1:
                parent[find(folded)] = find(fold(row.actor))
    groups: dict[str, Identity] = {}
    rows = sorted(rows, key=lambda r: r.article.received_at, reverse=True)
    for row in rows:
        root = find(fold(row.actor) or row.actor)
        ident = groups.setdefault(root, Identity(key=root, name=row.actor, kind=row.kind))
        ident.names.add(row.actor)
        ident.aliases.update(a for a in row.aliases if fold(a) != fold(row.actor))
        ident.stances.append(row)
    for ident in groups.values():
        counts = Counter(s.actor for s in ident.stances)
        newest = {name: -i for i, name in reversed(list(enumerate(s.actor for s in ident.stances)))}
        ident.name = max(ident.names, key=lambda n: (counts[n], len(n), newest[n]))
        ident.key = fold(ident.name)
    return sorted(groups.values(), key=lambda i: (-i.articles, i.name))


def random_rows(seed: int, count: int) -> list[StanceRow]:
    rng = random.Random(seed)
    forms = rng.sample(FORMS, rng.randrange(2, len(FORMS) + 1))
    rows = []
    for n in range(count):
        day = rng.randrange(count // 3 + 1)  # same-instant ties between stances
        article = ChatArticle(f"h{day}", day, T0 + timedelta(days=day), None, None, "x", None)
        actor, aliases = rng.choice(forms)
        rows.append(StanceRow(actor, rng.choice(["person", "state"]), aliases, "t", f"p{n}",
                              "supports", "q", True, article))  # fmt: skip
    return rows


@pytest.mark.parametrize("seed", range(16))
def test_grouping_per_name_pair_gives_the_same_actors(seed: int) -> None:
    rows = random_rows(seed, 20 + 15 * seed)
    assert identities(rows) == reference_identities(rows)


def test_a_seeded_chat_groups_into_the_same_actors(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        seed_chat(index, 5, briefings=800, start=T0, span=timedelta(days=300), actors=150)
        seed_chat(index, 6, briefings=40, start=T0, span=timedelta(days=3), seed=2, first=5000)
        rows = index.queries.chat_stances(5)
        found = identities(rows)
        assert found == reference_identities(rows)
        assert any(i.aliases for i in found)  # aliases were read and kept
        other = index.queries.chat_stances(6)
        assert identities(other) == reference_identities(other)
        assert sum(len(i.stances) for i in identities(other)) == len(other)  # chats apart
    finally:
        index.close()


def test_stances_read_by_actor_equal_the_whole_history_filtered(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        made = seed_chat(index, 5, briefings=300, start=T0, span=timedelta(days=60), actors=40)
        seed_chat(index, 6, briefings=30, start=T0, span=timedelta(days=3), seed=2, first=5000)
        # The chat sends an older article again: its latest sending is the one shown.
        again = made[3].article
        index.record_chat_article(5, again.content_hash, message_id=9999,
                                  received_at=T0 + timedelta(days=90), title="again", source=None)  # fmt: skip
        whole = index.queries.chat_stances(5)
        for ident in identities(whole)[:5]:
            by_actor = index.queries.chat_stances(5, actors=ident.names)
            assert by_actor == [r for r in whole if r.actor in ident.names]
            assert identities(by_actor) == [ident]
        resent = {r.actor for r in whole if r.article.message_id == 9999}
        assert resent
        assert index.queries.chat_stances(5, actors=resent) == [
            r for r in whole if r.actor in resent
        ]
        assert not {r.article.article_hash for r in index.queries.chat_stances(6)} & {
            r.article.article_hash for r in whole
        }  # chats apart
    finally:
        index.close()
