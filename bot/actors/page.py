"""An actor's /who page from its stances as plain rows: counted, shifts found, newest shown.

A chat's top actor has ~3,000 stances. Making an object of each (a StanceRow and its
ChatArticle) costs more than reading them; the page needs objects only for the newest
stances it shows and the shifts it lists. So this module groups, counts and finds shifts
over the rows as SQLite returns them, exactly as `identities` and `actor_shifts` do over
StanceRows (tests/test_actor_page.py holds the two side by side).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from bot.actors.identity import Identity, _merger, fold
from bot.actors.shifts import Shift, _Placed
from bot.models import Polarity
from bot.store.chat_queries import _ALIAS_SEP, ChatArticle, StanceRow
from bot.store.who_rows import DATED, DATED_FROM, RECEIVED, LightRow

MAX_SHIFTS = 10  # the Shifts block shows this many; the rest are counted


@dataclass
class Counted(Identity):
    """An actor counted over all its stances; `stances` stays empty, `rows` holds them."""

    rows: list[LightRow] = field(default_factory=list)  # newest first

    @property
    def articles(self) -> int:
        """Count the distinct articles this actor appears in."""
        return len({r[0] for r in self.rows})

    @property
    def stance_count(self) -> int:
        """Count the actor's stances."""
        return len(self.rows)

    @property
    def last_seen(self) -> datetime:
        """Return when the newest article naming this actor arrived."""
        return datetime.fromisoformat(max(r[RECEIVED] for r in self.rows))


@dataclass(frozen=True)
class ActorPage:
    """What /who NAME shows of one actor."""

    actor: Identity  # its names, kind and aliases
    stances: int  # in all
    articles: int
    newest: list[StanceRow]  # the newest shown, read in full, newest first
    shifts: list[Shift]  # the newest MAX_SHIFTS, newest first
    shift_count: int  # in all


def _aliases(joined: str) -> tuple[str, ...]:
    return tuple(a for a in joined.split(_ALIAS_SEP) if a)


def count_identities(rows: list[LightRow]) -> list[Counted]:
    """Group rows (newest first) into actors exactly as `identities` groups StanceRows."""
    split: dict[str, tuple[str, ...]] = {}
    pairs: dict[tuple[str, str], None] = dict.fromkeys((r[2], r[4]) for r in rows)
    for _actor, joined in pairs:
        split.setdefault(joined, _aliases(joined))
    find = _merger([(actor, split[joined]) for actor, joined in pairs])
    groups: dict[str, Counted] = {}
    homes: dict[tuple[str, str], Counted] = {}
    for row in rows:
        ident = homes.get((row[2], row[4]))
        if ident is None:
            actor = row[2]
            root = find(fold(actor) or actor)  # "🇺🇸" folds to nothing: keep it apart
            ident = groups.get(root)
            if ident is None:  # named after its newest stance until the counts are in
                ident = groups[root] = Counted(key=root, name=actor, kind=row[3])
            homes[(actor, row[4])] = ident
            ident.names.add(actor)
            ident.aliases.update(a for a in split[row[4]] if fold(a) != fold(actor))
        ident.rows.append(row)
    for ident in groups.values():
        # Display the name most stances used; on a tie the fullest, then the newest.
        counts = Counter(r[2] for r in ident.rows)
        newest: dict[str, int] = {}
        for i, row in enumerate(ident.rows):
            if len(newest) == len(counts):
                break  # every name's newest stance seen
            newest.setdefault(row[2], -i)
        ident.name = max(ident.names, key=lambda n: (counts[n], len(n), newest[n]))
        ident.key = fold(ident.name)
    return sorted(groups.values(), key=lambda i: (-i.articles, i.name))


def _dated(row: LightRow) -> ChatArticle:
    # A shift line shows only its articles' dates.
    undated = row[DATED_FROM] is None
    return ChatArticle(
        row[0], None, datetime.fromisoformat(row[RECEIVED]), None, None, None, None,
        published_at=None if undated else datetime.fromisoformat(row[DATED]),
        published_from=row[DATED_FROM],
    )  # fmt: skip


def row_shifts(name: str, rows: list[LightRow]) -> tuple[list[Shift], int]:
    """Return the newest MAX_SHIFTS shifts in these rows and how many there are in all.

    The same shifts, in the same order, as `actor_shifts` over the same stances.
    """
    # Ordered by publication date (else arrival), as `actor_shifts` orders StanceRows.
    clusters: list[dict[str, tuple[LightRow, str]]] = []
    placed = _Placed()
    for row in sorted(rows, key=lambda r: (r[DATED], r[RECEIVED], r[0])):  # oldest first
        target, polarity = row[5], row[6]
        found = placed.home(target)
        if found is None:
            found = len(clusters)
            clusters.append({})
            placed.add(found, target)
        points = clusters[found]
        first, seen = points.get(row[0], (row, polarity))
        points[row[0]] = (first, seen if seen == polarity else Polarity.MIXED.value)
    changes = [
        (b[DATED], a, pa, b, pb)
        for points in clusters
        for (a, pa), (b, pb) in pairwise(points.values())
        if pa != pb
    ]
    changes.sort(key=lambda c: c[0], reverse=True)  # ISO text sorts as the instants do
    shown = changes[:MAX_SHIFTS]
    return [Shift(name, b[5], pa, pb, _dated(a), _dated(b)) for _at, a, pa, b, pb in shown], len(
        changes
    )
