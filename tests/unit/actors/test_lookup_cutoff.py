"""Fuzzy scores below what could decide the answer are skipped: the same lookups as before."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from rapidfuzz import fuzz, process, utils

from benchmarks.seed import seed_chat
from bot.actors.identity import (
    EXACT,
    FUZZY_CUTOFF,
    PREFIX,
    SUGGEST_CUTOFF,
    TOKENS,
    Identity,
    Lookup,
    fold,
    forms_of,
    lookup,
)
from bot.actors.lookup import chat_directory
from bot.store.index import Index

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def reference_lookup(
    query: str, actors: list[Identity], *, candidates: int = 8, suggestions: int = 3
) -> Lookup:
    """Look up as before: every form scored fuzzily (kept verbatim)."""
    q = fold(query)
    if not q:
        return Lookup(None, [], [])
    choices = forms_of(actors)
    folded_forms = list(choices.values())
    fuzzy = {
        i: score
        for _form, score, i in process.extract(
            q, folded_forms, scorer=fuzz.WRatio, processor=utils.default_process, limit=None
        )
    }
    words = set(q.split())
    scored: dict[str, float] = {}
    for i, ((key, _form), folded) in enumerate(choices.items()):
        if folded == q:
            score = EXACT
        elif folded.startswith(q):
            score = PREFIX
        elif words <= set(folded.split()):
            score = TOKENS
        else:
            score = fuzzy.get(i, 0.0)
        scored[key] = max(scored.get(key, 0.0), score)
    by_key = {i.key: i for i in actors}
    best = max(scored.values(), default=0.0)
    if best >= FUZZY_CUTOFF:
        tier = sorted(
            (by_key[k] for k, s in scored.items() if s == best),
            key=lambda i: (-i.articles, i.name),
        )
        if len(tier) == 1:
            return Lookup(tier[0], [], [])
        return Lookup(None, tier[:candidates], [])
    near = sorted((k for k, s in scored.items() if s >= SUGGEST_CUTOFF), key=lambda k: -scored[k])
    return Lookup(None, [], [by_key[k].name for k in near[:suggestions]])


@pytest.fixture(scope="module")
def actors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Identity]]:
    """The name directory of a seeded chat (2,000 actors, merging aliases)."""
    index = Index(tmp_path_factory.mktemp("lookup") / "index.sqlite3")
    seed_chat(index, 5, briefings=1500, start=T0, span=timedelta(days=300))
    light, _choices = chat_directory(index, 5)
    yield light
    index.close()


def _typo(rng: random.Random, name: str) -> str:
    chars = list(name)
    for _ in range(rng.randrange(0, 4)):
        k = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.4:
            del chars[k]
        elif roll < 0.7:
            chars[k] = rng.choice("aeiou xyz")
        else:
            chars.insert(k, rng.choice("aeiou "))
    return "".join(chars) or name


QUERIES = [
    "Kim Jong Un", "kim", "Kim Jong", "jong un", "the north korean leader", "pyongyang",
    "Nort Korae", "Acter 17", "Lastnam", "Lastname33", "Minister", "minister 4", "actor",
    "nobody we know", "Actor 1999 Lastname59", "7", "Lastname", "Korea", "!!", "",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_actor_candidates_or_suggestions(actors: list[Identity], query: str) -> None:
    assert lookup(query, actors, candidates=200, suggestions=200) == reference_lookup(
        query, actors, candidates=200, suggestions=200
    )
    assert lookup(query, actors) == reference_lookup(query, actors)


def _misspelt(actors: list[Identity], seed: int) -> list[str]:
    rng = random.Random(seed)
    names = [f for a in rng.sample(actors, 25) for f in sorted(a.names | a.aliases)]
    return [_typo(rng, name) for name in names]


@pytest.mark.parametrize("seed", range(8))
def test_misspelt_names_find_the_same(actors: list[Identity], seed: int) -> None:
    for query in _misspelt(actors, seed):
        found = lookup(query, actors, candidates=200, suggestions=200)
        assert found == reference_lookup(query, actors, candidates=200, suggestions=200)


def test_the_queries_meet_matches_ties_and_suggestions(actors: list[Identity]) -> None:
    found = [lookup(q, actors) for q in QUERIES + _misspelt(actors, 0)]
    assert any(f.match for f in found)
    assert any(f.candidates for f in found)
    assert any(f.suggestions for f in found)
