"""What /map shows: the chat's most active actors by its most frequent issues over a period.

Issues are grouped as a timeline's lanes are (`cluster_key`). A cell holds the actor's
latest polarity on the issue in the period (the newest article's; mixed if its stances
disagree), the count of its verified stances there, and whether it shifted in the period
(two of its articles, in publication order, with different polarities on the actor's own
attributed words, as bot/actors/shifts.py finds shifts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.actors.issues import issue_key
from bot.actors.page import Counted
from bot.actors.shifts import counts_for_shifts, issue_of
from bot.models import Polarity
from bot.pictures.timeline import cluster_key
from bot.store.who_rows import DATED, ISSUE, PROVENANCE, LightRow

MAX_ACTORS = 8
MAX_ISSUES = 5


@dataclass(frozen=True)
class Cell:
    """One actor on one issue over the period."""

    polarity: str  # the latest
    verified: int  # stances whose quote is the actor's own, found in the article
    stances: int
    shifted: bool


@dataclass(frozen=True)
class StanceMap:
    """Everything the map picture draws (its cache key is this)."""

    days: int
    topic: str  # the words /map was filtered by, or ""
    actors: tuple[str, ...]
    issues: tuple[str, ...]
    cells: tuple[tuple[Cell | None, ...], ...]  # [actor][issue]


def _key(row: LightRow) -> frozenset[str]:
    return cluster_key(issue_of(row[ISSUE], row[5]))


def _matches(wording: str, key: frozenset[str], topic: str) -> bool:
    words = issue_key(topic)
    return topic.casefold() in wording.casefold() or bool(words and words <= key)


def _issues(actors: Sequence[Counted], topic: str) -> list[tuple[frozenset[str], str]]:
    counts: Counter[frozenset[str]] = Counter()
    wordings: dict[frozenset[str], Counter[str]] = {}
    for actor in actors:
        for row in actor.rows:
            key = _key(row)
            counts[key] += 1
            wordings.setdefault(key, Counter())[issue_of(row[ISSUE], row[5])] += 1
    named = {k: w.most_common(1)[0][0] for k, w in wordings.items()}
    keys = [k for k, _n in counts.most_common() if not topic or _matches(named[k], k, topic)]
    return [(k, named[k]) for k in keys[:MAX_ISSUES]]


def _cell(rows: list[LightRow]) -> Cell:
    # rows: newest first, as /who reads them
    newest = rows[0][0]
    latest = {r[6] for r in rows if r[0] == newest}
    polarity = latest.pop() if len(latest) == 1 else Polarity.MIXED.value
    by_article: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r[DATED], r[0])):
        if not counts_for_shifts(row[PROVENANCE], bool(row[7]), verified_only=False):
            continue
        seen = by_article.setdefault(row[0], row[6])
        if seen != row[6]:
            by_article[row[0]] = Polarity.MIXED.value
    shifted = any(a != b for a, b in pairwise(by_article.values()))
    return Cell(polarity, sum(1 for r in rows if r[7]), len(rows), shifted)


def build_map(actors: Sequence[Counted], *, days: int, topic: str = "") -> StanceMap | None:
    """Lay out the map of these actors' stances (each `Counted` over the period); None if empty."""
    issues = _issues(actors, topic)
    if not issues:
        return None
    column = {key: i for i, (key, _name) in enumerate(issues)}
    ranked: list[tuple[int, str, list[list[LightRow]]]] = []
    for actor in actors:
        cells: list[list[LightRow]] = [[] for _ in issues]
        for row in actor.rows:
            if (at := column.get(_key(row))) is not None:
                cells[at].append(row)
        if any(cells):
            ranked.append((sum(map(len, cells)), actor.name, cells))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    top = ranked[:MAX_ACTORS]
    return StanceMap(
        days=days, topic=topic,
        actors=tuple(name for _n, name, _c in top),
        issues=tuple(name for _k, name in issues),
        cells=tuple(tuple(_cell(c) if c else None for c in cells) for _n, _name, cells in top),
    )  # fmt: skip
