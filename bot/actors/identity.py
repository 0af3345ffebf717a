"""Actors across a chat's articles: identities, forgiving name lookup (pure functions)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process, utils

from bot.store.index import StanceRow

_NON_WORD = re.compile(r"[\W_]+")
EXACT, PREFIX, TOKENS, FUZZY_CUTOFF, SUGGEST_CUTOFF = 100.0, 95.0, 92.0, 86.0, 70.0
# An actor's /who page shows this many stances: few enough that a page is one message on a
# phone, which its Newer / Older buttons can then edit in place.
PAGE_STANCES = 10


@functools.lru_cache(maxsize=65536)  # the same few thousand names, folded again and again
def fold(name: str) -> str:
    """Fold a name for matching: no diacritics, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip().casefold()


@dataclass
class Identity:
    """One actor as the chat's briefings name it, possibly under several canonical names."""

    key: str
    name: str
    kind: str
    names: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    stances: list[StanceRow] = field(default_factory=list)

    @property
    def articles(self) -> int:
        """Count the distinct articles this actor appears in."""
        return len({s.article.article_hash for s in self.stances})

    @property
    def stance_count(self) -> int:
        """Count the actor's stances."""
        return len(self.stances)

    @property
    def last_seen(self) -> datetime:
        """Return when the newest article naming this actor arrived."""
        return max(s.article.received_at for s in self.stances)


def _merger(forms: list[tuple[str, tuple[str, ...]]]) -> Callable[[str], str]:
    """Return the root of each folded name once aliases naming other actors joined them."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    names = {fold(actor) for actor, _aliases in forms}
    # Which distinct actors claim each alias: only an alias one actor claims can merge.
    claims: dict[str, set[str]] = {}
    for actor, aliases in forms:
        for alias in aliases:
            claims.setdefault(fold(alias), set()).add(fold(actor))
    for actor, aliases in forms:
        for alias in aliases:
            # Only alias-to-name links merge, and only unambiguous ones: "Kim" as the alias of
            # Kim Jong Un and of Kim Yo Jong joins neither to an actor named just "Kim".
            folded = fold(alias)
            if folded and folded in names and len(claims[folded] - {folded}) == 1:
                parent[find(folded)] = find(fold(actor))
    return find


def identities(rows: list[StanceRow]) -> list[Identity]:
    """Group stances into actors; a canonical name used as another's alias joins them."""
    # Merging depends only on the distinct (name, aliases) pairs: a top actor's thousands of
    # stances use a handful, so the work below is per pair, not per stance.
    find = _merger(list(dict.fromkeys((r.actor, r.aliases) for r in rows)))
    groups: dict[str, Identity] = {}
    homes: dict[tuple[str, tuple[str, ...]], Identity] = {}
    rows = sorted(rows, key=lambda r: r.article.received_at, reverse=True)  # newest first
    for row in rows:
        ident = homes.get((row.actor, row.aliases))
        if ident is None:
            root = find(fold(row.actor) or row.actor)  # "🇺🇸" folds to nothing: keep it apart
            ident = groups.get(root)
            if ident is None:  # named after its newest stance until the counts are in
                ident = groups[root] = Identity(key=root, name=row.actor, kind=row.kind)
            homes[(row.actor, row.aliases)] = ident
            ident.names.add(row.actor)
            ident.aliases.update(a for a in row.aliases if fold(a) != fold(row.actor))
        ident.stances.append(row)
    for ident in groups.values():
        # Display the name most stances used; on a tie the fullest, then the newest.
        counts = Counter(s.actor for s in ident.stances)
        newest = {name: -i for i, name in reversed(list(enumerate(s.actor for s in ident.stances)))}
        ident.name = max(ident.names, key=lambda n: (counts[n], len(n), newest[n]))
        ident.key = fold(ident.name)
    return sorted(groups.values(), key=lambda i: (-i.articles, i.name))


@dataclass(frozen=True)
class Lookup:
    """The outcome of /who NAME: one match, several candidates, or suggestions."""

    match: Identity | None
    candidates: list[Identity]
    suggestions: list[str]


def forms_of(actors: Sequence[Identity]) -> dict[tuple[str, str], str]:
    """Return every (actor key, name or alias) with its folded form, for `lookup`."""
    return {
        (ident.key, form): fold(form) for ident in actors for form in ident.names | ident.aliases
    }


def _scores(q: str, choices: dict[tuple[str, str], str]) -> dict[str, float]:
    """Score each actor key: its best form, exact, then prefix, then all words, then fuzzy."""
    words = set(q.split())
    plain: list[float | None] = []
    for folded in choices.values():
        if folded == q:
            plain.append(EXACT)
        elif folded.startswith(q):
            plain.append(PREFIX)  # "kim jong" for "kim jong un"
        elif words <= set(folded.split()):
            plain.append(TOKENS)  # "jong un", a surname
        else:
            plain.append(None)
    top = max((p for p in plain if p is not None), default=0.0)
    # A fuzzy score decides something only if it reaches the best plain one (once that names
    # a match) or the suggestion cutoff: lower ones are skipped in C, which is most of them.
    cutoff = top if top >= FUZZY_CUTOFF else SUGGEST_CUTOFF
    fuzzy = {
        i: score
        for _form, score, i in process.extract(
            q, list(choices.values()), scorer=fuzz.WRatio, processor=utils.default_process,
            limit=None, score_cutoff=cutoff,
        )
    }  # fmt: skip
    scored: dict[str, float] = {}
    for i, (key, _form) in enumerate(choices):
        score = plain[i]
        if score is None:
            score = fuzzy.get(i, 0.0)
        scored[key] = max(scored.get(key, 0.0), score)
    return scored


def lookup(
    query: str,
    actors: Sequence[Identity],
    *,
    candidates: int = 8,
    suggestions: int = 3,
    choices: dict[tuple[str, str], str] | None = None,
) -> Lookup:
    """Find the actor a user means: exact, then all-words, then fuzzy; ties are ambiguous.

    `choices` is `forms_of(actors)`, when the caller keeps it between lookups.
    """
    q = fold(query)
    if not q:
        return Lookup(None, [], [])
    if choices is None:
        choices = forms_of(actors)
    scored = _scores(q, choices)
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


def actor_by_key(key: str, actors: list[Identity]) -> Identity | None:
    """Return the identity with this key (from an inline button), if it still exists."""
    return next((a for a in actors if a.key == key), None)


def article_actors(rows: list[StanceRow], article_hash: str) -> list[Identity]:
    """Return the actors and stances of one article."""
    return identities([r for r in rows if r.article.article_hash == article_hash])
