"""Shift clustering by issue key: the same shifts as comparing every stance with every target."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from benchmarks.seed import seed_chat
from bot.actors.identity import Identity, identities, lookup
from bot.actors.issues import same_issue
from bot.actors.shifts import Shift, actor_shifts
from bot.checks.provenance import Provenance
from bot.models import Polarity
from bot.store.index import ChatArticle, Index, StanceRow

T0 = datetime(2025, 1, 1, tzinfo=UTC)
# Paraphrases ("talks with the US" ~ "talks with the United States", "sanctions" ~ "new
# sanctions"), near-misses that are other issues ("drills" / "joint drills", "a b" / "a b c"),
# and targets naming no issue ("", "!!"), which match nothing, not even themselves.
TARGETS = [
    "sanctions", "new sanctions", "sanctions on oil", "oil", "oil exports", "talks with the US",
    "talks with the United States", "the US", "drills", "joint drills", "joint drills at sea",
    "sea", "a b", "a b c", "b c d", "c d e", "d e f", "", "!!",
]  # fmt: skip
POLARITIES = ["supports", "opposes", "neutral", "mixed"]
# The model's issue names, or none (a stance indexed before issues: its target stands in).
ISSUES = ["", "", "sanctions on Russia", "Russia sanctions", "sanctions on Iran", "the talks"]
ATTRIBUTED = {"direct", "via", "reported"}


def _counts(row: StanceRow, verified_only: bool) -> bool:
    if row.provenance is None:  # from before provenance: as before, the quote found or not
        return row.verified or not verified_only
    return row.provenance in ATTRIBUTED  # never the reporter's, another's or no words


def reference_shifts(actor: Identity, *, verified_only: bool = False) -> list[Shift]:
    """Compute shifts the slow way: every stance compared with every cluster's issues."""
    clusters: list[tuple[list[str], dict[str, tuple[StanceRow, str]]]] = []
    rows = sorted(
        actor.stances,
        key=lambda r: (r.article.dated, r.article.received_at, r.article.article_hash),
    )
    for row in rows:
        if not _counts(row, verified_only):
            continue
        issue = row.issue or row.target
        home = next((c for c in clusters if any(same_issue(t, issue) for t in c[0])), None)
        if home is None:
            home = ([], {})
            clusters.append(home)
        targets, points = home
        if issue not in targets:
            targets.append(issue)
        first, polarity = points.get(row.article.article_hash, (row, row.polarity))
        points[row.article.article_hash] = (
            first,
            polarity if polarity == row.polarity else Polarity.MIXED.value,
        )
    shifts = [
        Shift(actor.name, b.target or b.issue, pa, pb, a.article, b.article)
        for _targets, points in clusters
        for (a, pa), (b, pb) in pairwise(points.values())
        if pa != pb
    ]
    return sorted(shifts, key=lambda s: s.at, reverse=True)


def random_actor(seed: int, stances: int) -> Identity:
    rng = random.Random(seed)
    checks = random.Random(-seed)  # issues and provenances: apart, so the rest stays as it was
    rows = []
    for _n in range(stances):
        day = rng.randrange(stances // 2 + 1)  # several stances per article, same-day ties
        article = ChatArticle(f"h{day}", day, T0 + timedelta(days=day), None, None, "x", None)
        provenance = checks.choice([None, None, *Provenance])
        rows.append(StanceRow("Kim", "person", (), rng.choice(TARGETS), "p",
                              rng.choice(POLARITIES), "q", rng.random() < 0.8, article,
                              issue=checks.choice(ISSUES), provenance=provenance))  # fmt: skip
    [actor] = identities(rows)
    return actor


@pytest.mark.parametrize("verified_only", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_remembered_clusters_give_the_same_shifts(seed: int, verified_only: bool) -> None:
    actor = random_actor(seed, stances=40 + 30 * seed)
    assert actor_shifts(actor, verified_only=verified_only) == reference_shifts(
        actor, verified_only=verified_only
    )


def test_a_paraphrase_joins_its_issue_and_a_confusable_target_stays_apart() -> None:
    # Before issue keys, token_set_ratio >= 80 put "sanctions on Iran" with "sanctions on
    # Russia" and reported a shift between them.
    days = ["sanctions on Russia", "sanctions on Iran", "Russia sanctions", "sanctions on Moscow"]
    rows = [
        StanceRow("Kim", "person", (), t, "p", POLARITIES[n % 2], "q", True,
                  ChatArticle(f"h{n}", n, T0 + timedelta(days=n), None, None, "x", None))
        for n, t in enumerate(days)
    ]  # fmt: skip
    [actor] = identities(rows)
    shifts = actor_shifts(actor)
    assert [(s.before_article.article_hash, s.after_article.article_hash) for s in shifts] == [
        ("h2", "h3")
    ]
    assert shifts == reference_shifts(actor)


def test_the_top_actors_of_a_seeded_chat_keep_their_shifts(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        seed_chat(index, 5, briefings=1500, start=T0, span=timedelta(days=300), actors=200)
        seed_chat(index, 6, briefings=50, start=T0, span=timedelta(days=3), seed=2, first=5000)
        for name in ["Kim Jong Un", "pyongyang", "Actor 7 Lastname7"]:
            actor = lookup(name, identities(index.queries.chat_stances(5))).match
            assert actor is not None
            assert len(actor.stances) > 100
            assert reference_shifts(actor)  # the comparison is about real shifts
            assert actor_shifts(actor) == reference_shifts(actor)
            assert actor_shifts(actor, verified_only=True) == reference_shifts(
                actor, verified_only=True
            )
    finally:
        index.close()
