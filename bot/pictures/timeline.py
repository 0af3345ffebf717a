"""What a /who timeline shows: an actor's dated stances as numbered marks in one lane per issue.

Stances are grouped into issues as shifts group them (`issue_key`, bot/actors/issues.py),
so a lane holds the paraphrases of one issue. One article's stances on one issue are one
mark (mixed if they disagree), as they are one point for shifts; an arrow joins two
neighbouring marks of a lane whose polarities differ and that both hold the actor's
attributed words: the shifts of bot/actors/shifts.py, drawn. Only stances with a
publication date are placed (a date "received" is still a date: when nothing better was
known); the newest MAX_MARKS are kept, numbered oldest first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from bot.actors.issues import issue_key
from bot.actors.shifts import counts_for_shifts, issue_of
from bot.models import Polarity
from bot.render.dates import UTC_DATES, DateStyle
from bot.store.who_rows import DATED, DATED_FROM, ISSUE, PROVENANCE, LightRow

MAX_MARKS = 60  # more cannot be told apart at phone width; the caption lists ~35
MAX_LANES = 6
MIN_MARKS = 2  # fewer dated stances: the text says it all


@dataclass(frozen=True)
class Mark:
    """One numbered mark: an article's stance(s) on one issue."""

    number: int
    lane: int
    day: date
    polarity: str
    source: str  # for the caption: the article's source (or title)


@dataclass(frozen=True)
class Timeline:
    """Everything the timeline picture draws, and nothing else (its cache key is this)."""

    actor: str
    lanes: tuple[str, ...]  # top to bottom
    marks: tuple[Mark, ...]  # oldest first, numbered from 1
    arrows: tuple[tuple[int, int], ...]  # mark numbers: earlier -> later
    left_out: int = 0  # dated stances not drawn (older than the kept marks, or minor issues)


@dataclass
class _Point:
    lane: int
    article: str
    day: date
    polarity: str
    attributed: bool


def cluster_key(issue: str) -> frozenset[str]:
    """Return the key that groups issues into one lane or column (its text if it has none)."""
    return issue_key(issue) or frozenset({" ".join(issue.casefold().split())})


def _lanes(rows: Sequence[LightRow]) -> tuple[list[str], dict[frozenset[str], int]]:
    counts: Counter[frozenset[str]] = Counter()
    wordings: dict[frozenset[str], Counter[str]] = {}
    for row in rows:
        issue = issue_of(row[ISSUE], row[5])
        key = cluster_key(issue)
        counts[key] += 1
        wordings.setdefault(key, Counter())[issue] += 1
    top = [key for key, _n in counts.most_common(MAX_LANES)]
    return [wordings[k].most_common(1)[0][0] for k in top], {k: i for i, k in enumerate(top)}


def _points(
    rows: Sequence[LightRow], lane_of: Mapping[frozenset[str], int], dates: DateStyle
) -> list[_Point]:
    points: dict[tuple[int, str], _Point] = {}
    for row in rows:
        lane = lane_of.get(_key(row))
        if lane is None:
            continue
        attributed = counts_for_shifts(row[PROVENANCE], bool(row[7]), verified_only=False)
        point = points.get((lane, row[0]))
        if point is None:
            # The day the chat reads for it (a dateline's day stays its own).
            day = dates.local(datetime.fromisoformat(row[DATED]), row[DATED_FROM])
            points[(lane, row[0])] = _Point(lane, row[0], day, row[6], attributed)
            continue
        if point.polarity != row[6]:
            point.polarity = Polarity.MIXED.value
        point.attributed = point.attributed or attributed
    return sorted(points.values(), key=lambda p: (p.day, p.article, p.lane))


def build_timeline(
    actor: str,
    rows: Sequence[LightRow],
    sources: Callable[[Collection[str]], Mapping[str, str]],
    dates: DateStyle = UTC_DATES,
) -> Timeline | None:
    """Lay out an actor's stances (newest first, as /who reads them); None if under two marks.

    `sources` names the articles the kept marks come from (article hash -> source); marks
    fall on their days in the chat's zone (`dates`), as /who's text dates them.
    """
    dated = [r for r in rows if r[DATED_FROM] is not None]
    if len(dated) < MIN_MARKS:
        return None
    lanes, lane_of = _lanes(dated)
    points = _points(dated, lane_of, dates)
    kept = points[-MAX_MARKS:]
    if len(kept) < MIN_MARKS:
        return None
    named = sources({p.article for p in kept})
    number = {id(p): i for i, p in enumerate(kept, start=1)}
    marks = tuple(
        Mark(number[id(p)], p.lane, p.day, p.polarity, named.get(p.article, "article"))
        for p in kept
    )
    arrows = []
    for lane in range(len(lanes)):
        spoken = [p for p in kept if p.lane == lane and p.attributed]
        arrows += [
            (number[id(a)], number[id(b)]) for a, b in pairwise(spoken) if a.polarity != b.polarity
        ]
    shown = {(p.lane, p.article) for p in kept}
    in_kept = sum(1 for r in dated if (lane_of.get(_key(r)), r[0]) in shown)
    return Timeline(actor, tuple(lanes), marks, tuple(sorted(arrows)), len(dated) - in_kept)


def _key(row: LightRow) -> frozenset[str]:
    return cluster_key(issue_of(row[ISSUE], row[5]))
