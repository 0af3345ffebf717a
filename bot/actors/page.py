"""An actor's /who page from its stances as plain rows: counted, shifts found, newest shown.

A chat's top actor has ~3,000 stances. Making an object of each (a StanceRow and its
ChatArticle) costs more than reading them; the page needs objects only for the newest
stances it shows and the shifts it lists. So this module groups, counts and finds shifts
over the rows as SQLite returns them, exactly as `identities` and `actor_shifts` do over
StanceRows (tests/unit/actors/test_actor_page.py holds the two side by side). An actor an
article names without a stance (a mention, bot/store/mentions.py) joins its identity by the
same names; an actor only ever mentioned has a page too: the articles that name it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from bot.actors.identity import Identity, _merger, fold
from bot.actors.shifts import Shift, _Placed, counts_for_shifts, issue_of
from bot.models import Polarity
from bot.store.chat_rows import _ALIAS_SEP, ChatArticle, StanceRow
from bot.store.mentions import MentionRow
from bot.store.who_rows import DATED, DATED_FROM, ISSUE, PROVENANCE, RECEIVED, LightRow

MAX_SHIFTS = 10  # the Shifts block shows this many; the rest are counted


@dataclass
class Counted(Identity):
    """An actor counted over all its stances; `stances` stays empty, `rows` holds them.

    `mention_rows` are the articles that name it without a stance (and maybe with one).
    """

    rows: list[LightRow] = field(default_factory=list)  # newest first
    mention_rows: list[MentionRow] = field(default_factory=list)  # newest first

    @property
    def articles(self) -> int:
        """Count the distinct articles in which this actor takes a stance."""
        return len({r[0] for r in self.rows})

    @property
    def mentioned(self) -> int:
        """Count the articles that name this actor without any stance of it."""
        return len(self.mentioned_in)

    @property
    def mentioned_in(self) -> list[str]:
        """List the articles naming this actor without a stance of it, newest first."""
        with_stances = {r[0] for r in self.rows}
        return list(dict.fromkeys(m[0] for m in self.mention_rows if m[0] not in with_stances))

    @property
    def stance_count(self) -> int:
        """Count the actor's stances."""
        return len(self.rows)

    @property
    def last_seen(self) -> datetime:
        """Return when the newest article naming this actor arrived."""
        return datetime.fromisoformat(
            max([r[RECEIVED] for r in self.rows] + [m[5] for m in self.mention_rows])
        )


@dataclass(frozen=True)
class ActorPage:
    """What /who NAME shows of one actor."""

    actor: Identity  # its names, kind and aliases
    stances: int  # in all
    articles: int
    newest: list[StanceRow]  # the newest shown, read in full, newest first
    shifts: list[Shift]  # the newest MAX_SHIFTS, newest first
    shift_count: int  # in all
    mentioned: int = 0  # articles that name the actor without a stance of it
    mentions: list[ChatArticle] = field(default_factory=list)  # the newest shown, when no stance
    # Paging and filters (/who NAME ISSUE PERIOD): `stances` and `articles` count what the
    # filter keeps, `all_stances` everything; `filtered` says what was kept ("" for all).
    page: int = 1
    pages: int = 1
    filtered: str = ""
    all_stances: int = 0


def _aliases(joined: str) -> tuple[str, ...]:
    return tuple(a for a in joined.split(_ALIAS_SEP) if a)


def count_identities(rows: list[LightRow], mentions: Sequence[MentionRow] = ()) -> list[Counted]:
    """Group rows (newest first) into actors exactly as `identities` groups StanceRows.

    Mentions join the actors their names belong to; an actor only mentioned comes after
    every actor with a stance.
    """
    split: dict[str, tuple[str, ...]] = {}
    named = [(r[2], r[4]) for r in rows] + [(m[2], m[4]) for m in mentions]
    pairs: dict[tuple[str, str], None] = dict.fromkeys(named)
    for _actor, joined in pairs:
        split.setdefault(joined, _aliases(joined))
    find = _merger([(actor, split[joined]) for actor, joined in pairs])
    groups: dict[str, Counted] = {}
    homes: dict[tuple[str, str], Counted] = {}

    def home(actor: str, kind: str, joined: str) -> Counted:
        ident = homes.get((actor, joined))
        if ident is None:
            root = find(fold(actor) or actor)  # "🇺🇸" folds to nothing: keep it apart
            ident = groups.get(root)
            if ident is None:  # named after its newest stance until the counts are in
                ident = groups[root] = Counted(key=root, name=actor, kind=kind)
            homes[(actor, joined)] = ident
            ident.names.add(actor)
            ident.aliases.update(a for a in split[joined] if fold(a) != fold(actor))
        return ident

    for row in rows:
        home(row[2], row[3], row[4]).rows.append(row)
    for mention in mentions:
        home(mention[2], mention[3], mention[4]).mention_rows.append(mention)
    for ident in groups.values():
        _name(ident)
    return sorted(groups.values(), key=_rank)


def _rank(ident: Counted) -> tuple[int, int, str]:
    # Actors with stances by their articles; after them, the only-mentioned by theirs.
    return (-ident.articles, 0 if ident.articles else -ident.mentioned, ident.name)


def _name(ident: Counted) -> None:
    """Display the name most stances used; on a tie the most mentioned, the fullest, the newest."""
    counts = Counter(r[2] for r in ident.rows)
    mentioned = Counter(m[2] for m in ident.mention_rows)
    newest: dict[str, int] = {}
    for i, name in enumerate([r[2] for r in ident.rows] + [m[2] for m in ident.mention_rows]):
        if len(newest) == len(ident.names):
            break  # every name's newest row seen
        newest.setdefault(name, -i)
    ident.name = max(ident.names, key=lambda n: (counts[n], mentioned[n], len(n), newest[n]))
    ident.key = fold(ident.name)


def _dated(row: LightRow) -> ChatArticle:
    # A shift line shows only its articles' dates.
    undated = row[DATED_FROM] is None
    return ChatArticle(
        row[0], None, datetime.fromisoformat(row[RECEIVED]), None, None, None, None,
        published_at=None if undated else datetime.fromisoformat(row[DATED]),
        published_from=row[DATED_FROM],
    )  # fmt: skip


def row_shifts(
    name: str, rows: list[LightRow], *, verified_only: bool = False
) -> tuple[list[Shift], int]:
    """Return the newest MAX_SHIFTS shifts in these rows and how many there are in all.

    The same shifts, in the same order, as `actor_shifts` over the same stances.
    """
    # Ordered by publication date (else arrival), as `actor_shifts` orders StanceRows.
    clusters: list[dict[str, tuple[LightRow, str]]] = []
    placed = _Placed()
    for row in sorted(rows, key=lambda r: (r[DATED], r[RECEIVED], r[0])):  # oldest first
        if not counts_for_shifts(row[PROVENANCE], bool(row[7]), verified_only=verified_only):
            continue
        issue, polarity = issue_of(row[ISSUE], row[5]), row[6]
        found = placed.home(issue)
        if found is None:
            found = len(clusters)
            clusters.append({})
            placed.add(found, issue)
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
    shifts = [
        Shift(name, b[5] or b[ISSUE], pa, pb, _dated(a), _dated(b)) for _at, a, pa, b, pb in shown
    ]
    return shifts, len(changes)
