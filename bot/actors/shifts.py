"""Stance shifts: an actor's polarity toward the same target changing between articles."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from rapidfuzz import fuzz, utils

from bot.actors.identity import Identity, identities
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


class _Placed:
    """Which target cluster a target joins: the first one holding a target like it.

    Clusters and their targets are only ever appended, so a target seen before need only be
    compared with the targets placed since: a top actor's thousands of stances revisit a few
    hundred targets, and this compares each distinct pair once instead of once per stance.
    """

    def __init__(self) -> None:
        self._targets: list[tuple[int, str]] = []  # (cluster, target) in the order placed
        self._known: dict[str, tuple[int, int | None]] = {}  # target -> (checked up to, home)

    def home(self, target: str) -> int | None:
        """Return the first cluster with a target like this one, if any."""
        checked, best = self._known.get(target, (0, None))
        if checked == len(self._targets):
            return best  # nothing placed since this target's last look: most of the time
        for cluster, placed in self._targets[checked:]:
            if (best is None or cluster < best) and _same_target(placed, target):
                best = cluster
        self._known[target] = (len(self._targets), best)
        return best

    def add(self, cluster: int, target: str) -> None:
        """Record that `target` joined `cluster`."""
        self._targets.append((cluster, target))


def actor_shifts(
    actor: Identity, *, since: datetime | None = None, verified_only: bool = False
) -> list[Shift]:
    """List the actor's shifts, newest first; with `since`, only those that happened after."""
    # Per target cluster: article hash -> (first row, polarity), in arrival order.
    clusters: list[tuple[list[str], dict[str, tuple[StanceRow, str]]]] = []
    placed = _Placed()
    rows = sorted(actor.stances, key=lambda r: (r.article.received_at, r.article.article_hash))
    for row in rows:
        if verified_only and not row.verified:
            continue
        found = placed.home(row.target)
        if found is None:
            found = len(clusters)
            clusters.append(([], {}))
        targets, points = clusters[found]
        if row.target not in targets:
            targets.append(row.target)
            placed.add(found, row.target)
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
