"""Stance shifts: an actor's polarity toward the same target changing between articles."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from rapidfuzz import fuzz, utils

from bot.actors import Identity, identities
from bot.models import Polarity
from bot.store.index import ChatArticle, StanceRow

SAME_TARGET = 80.0  # token_set_ratio: "talks with the US" ~ "talks with the United States"


@dataclass(frozen=True)
class Shift:
    """An actor's polarity toward a target changed between two articles."""

    actor: str
    target: str  # in the later article's wording
    before: str  # a Polarity value
    after: str
    before_article: ChatArticle
    after_article: ChatArticle

    @property
    def at(self) -> datetime:
        """Return when the later article arrived."""
        return self.after_article.received_at


@functools.lru_cache(maxsize=65536)  # an actor's stances revisit the same few targets
def _same_target(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) >= SAME_TARGET


def actor_shifts(
    actor: Identity, *, since: datetime | None = None, verified_only: bool = False
) -> list[Shift]:
    """List the actor's shifts, newest first; with `since`, only those that happened after."""
    # Per target cluster: article hash -> (first row, polarity), in arrival order.
    clusters: list[tuple[list[str], dict[str, tuple[StanceRow, str]]]] = []
    rows = sorted(actor.stances, key=lambda r: (r.article.received_at, r.article.article_hash))
    for row in rows:
        if verified_only and not row.verified:
            continue
        home = next((c for c in clusters if any(_same_target(t, row.target) for t in c[0])), None)
        if home is None:
            home = ([], {})
            clusters.append(home)
        targets, points = home
        if row.target not in targets:
            targets.append(row.target)
        first, polarity = points.get(row.article.article_hash, (row, row.polarity))
        # Two stances of one article on one target that disagree make that article "mixed".
        points[row.article.article_hash] = (
            first,
            polarity if polarity == row.polarity else Polarity.MIXED.value,
        )
    shifts = [
        Shift(actor.name, b.target, pa, pb, a.article, b.article)
        for _targets, points in clusters
        for (a, pa), (b, pb) in pairwise(points.values())
        if pa != pb and (since is None or b.article.received_at >= since)
    ]
    return sorted(shifts, key=lambda s: s.at, reverse=True)


def find_shifts(
    rows: Iterable[StanceRow], *, since: datetime | None = None, verified_only: bool = False
) -> list[Shift]:
    """List every actor's shifts in these stances, newest first."""
    found = [
        s
        for actor in identities(list(rows))
        for s in actor_shifts(actor, since=since, verified_only=verified_only)
    ]
    return sorted(found, key=lambda s: (s.at, s.actor.casefold()), reverse=True)
