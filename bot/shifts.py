"""Stance shifts: an actor's polarity toward the same target changing between articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, utils

from bot.actors import Identity, identities
from bot.index import StanceRow

SAME_TARGET = 80.0  # token_set_ratio: "talks with the US" ~ "talks with the United States"


@dataclass(frozen=True)
class Shift:
    """One change of polarity toward a target, from an earlier article to a later one."""

    actor: str
    target: str
    before: StanceRow
    after: StanceRow

    @property
    def at(self) -> datetime:
        """Return when the later article arrived."""
        return self.after.article.received_at


def _same_target(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(a, b, processor=utils.default_process) >= SAME_TARGET


def actor_shifts(actor: Identity, *, since: datetime | None = None) -> list[Shift]:
    """List the actor's shifts, newest first; with `since`, only those that happened after."""
    clusters: list[list[StanceRow]] = []
    for row in sorted(actor.stances, key=lambda r: r.article.received_at):
        home = next((c for c in clusters if _same_target(c[0].target, row.target)), None)
        if home is None:
            clusters.append([row])
        else:
            home.append(row)
    shifts = []
    for cluster in clusters:
        previous: StanceRow | None = None
        for row in cluster:
            if (
                previous is not None
                and row.article.article_hash != previous.article.article_hash
                and row.polarity != previous.polarity
            ):
                shifts.append(Shift(actor.name, row.target, previous, row))
            previous = row
    kept = [s for s in shifts if since is None or s.at >= since]
    return sorted(kept, key=lambda s: s.at, reverse=True)


def find_shifts(rows: list[StanceRow], *, since: datetime | None = None) -> list[Shift]:
    """List every actor's shifts in these stances, newest first."""
    found = [s for actor in identities(rows) for s in actor_shifts(actor, since=since)]
    return sorted(found, key=lambda s: s.at, reverse=True)
