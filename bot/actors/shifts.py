"""Stance shifts: an actor's polarity on the same issue changing between articles.

Two stances are on the same issue only when `same_issue` says so (bot/actors/issues.py) of
their issues (the model's canonical name; the target for a stance indexed before issues): a
paraphrase matches, a different state, number or modifier does not. Only the actor's
attributed words count: a stance whose quote is the reporter's narration, another actor's
words or nowhere in the article never makes a shift. Articles are ordered by
when they were published, not when the chat got them, so forwarding an old article never
makes a reversed shift; and a shift always spans two articles, never one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from bot.actors.identity import Identity, identities
from bot.actors.issues import issue_key
from bot.checks.provenance import Provenance
from bot.models import Polarity
from bot.store.index import ChatArticle, StanceRow


@dataclass(frozen=True)
class Shift:
    """An actor's polarity on one issue changed between two articles."""

    actor: str
    target: str  # in the later article's wording (its issue when it names no target)
    before: str  # a Polarity value
    after: str
    before_article: ChatArticle  # published earlier (or, undated, received earlier)
    after_article: ChatArticle

    @property
    def at(self) -> datetime:
        """Return when the later article was published (or received, if undated)."""
        return self.after_article.dated

    @property
    def learned(self) -> datetime:
        """Return when the chat had both articles: the later of their arrivals."""
        return max(self.before_article.received_at, self.after_article.received_at)


# Words the article attributes to the actor: its own (direct, via a relay) or reported speech.
_ATTRIBUTED = frozenset({Provenance.DIRECT, Provenance.VIA, Provenance.REPORTED})


def counts_for_shifts(provenance: str | None, verified: bool, *, verified_only: bool) -> bool:
    """Tell whether a stance may make a shift: attributed words, never narration or worse.

    A stance recorded before provenance (None) counts as it always did: with `verified_only`
    only when its quote was found in the article.
    """
    if provenance is None:
        return verified or not verified_only
    return provenance in _ATTRIBUTED


def issue_of(issue: str, target: str) -> str:
    """Return what a stance is about for shifts: its issue, else (indexed before) its target."""
    return issue or target


class _Placed:
    """Which issue cluster a target joins: the one whose issue key it shares.

    `same_issue` (bot/actors/issues.py) is equality of keys, so a cluster is one key and
    placing a target is one dictionary look-up; a target with an empty key ("", "!!") names
    no issue and matches nothing, not even itself.
    """

    def __init__(self) -> None:
        self._homes: dict[frozenset[str], int] = {}

    def home(self, target: str) -> int | None:
        """Return the cluster of targets on the same issue as this one, if any."""
        key = issue_key(target)
        return self._homes.get(key) if key else None

    def add(self, cluster: int, target: str) -> None:
        """Record that `target` joined `cluster`."""
        key = issue_key(target)
        if key:
            self._homes.setdefault(key, cluster)


def _published_order(row: StanceRow) -> tuple[datetime, datetime, str]:
    # Published at the same instant (or undated): the chat's order of arrival decides.
    return row.article.dated, row.article.received_at, row.article.article_hash


def actor_shifts(
    actor: Identity, *, since: datetime | None = None, verified_only: bool = False
) -> list[Shift]:
    """List the actor's shifts, newest first; with `since`, only those learned after it.

    A shift is learned when the chat has both its articles: an old article forwarded today
    can make a shift that today's digest reports, dated by when each was published.
    """
    # Per issue: article hash -> (first row, polarity), in publication order. Keying by the
    # article means one article's stances are one point: never a shift inside an article.
    clusters: list[dict[str, tuple[StanceRow, str]]] = []
    placed = _Placed()
    for row in sorted(actor.stances, key=_published_order):
        if not counts_for_shifts(row.provenance, row.verified, verified_only=verified_only):
            continue
        issue = issue_of(row.issue, row.target)
        found = placed.home(issue)
        if found is None:
            found = len(clusters)
            clusters.append({})
            placed.add(found, issue)
        points = clusters[found]
        first, polarity = points.get(row.article.article_hash, (row, row.polarity))
        # Two stances of one article on one issue that disagree make that article "mixed".
        points[row.article.article_hash] = (
            first,
            polarity if polarity == row.polarity else Polarity.MIXED.value,
        )
    shifts = [
        Shift(actor.name, b.target or b.issue, pa, pb, a.article, b.article)
        for points in clusters
        for (a, pa), (b, pb) in pairwise(points.values())
        if pa != pb
    ]
    if since is not None:
        shifts = [s for s in shifts if s.learned >= since]
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
