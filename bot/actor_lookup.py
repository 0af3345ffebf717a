"""A chat's actors read with SQL doing the heavy lifting: names first, stances only as needed.

A chat with years of history holds ~100,000 stances but only a few thousand distinct ways
of naming an actor. Matching a name runs over those forms alone; the stances are then read
for the actors the answer is about. These functions block (SQLite, files): the bot runs
them on the index's database thread with `Index.run`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.actors import PAGE_STANCES, Identity, Lookup, fold, forms_of, identities, lookup
from bot.store.index import ActorForm, ChatArticle, Index, StanceRow
from bot.store.who_rows import fill_newest, light_stances

_WIDE = 200  # tied or near actors whose stances are read to rank them exactly
_NOWHERE = ChatArticle(
    article_hash="",
    message_id=None,
    received_at=datetime.min.replace(tzinfo=UTC),
    title=None,
    source=None,
    headline=None,
    briefing_key=None,
)


def directory(forms: Iterable[ActorForm]) -> list[Identity]:
    """Group a chat's actor names into identities: names and aliases only, no stances."""
    # Merging depends only on (name, aliases) pairs, so these identities group names exactly
    # as identities() over every stance would.
    return identities(
        [
            StanceRow(
                actor=f.actor, kind=f.kind, aliases=f.aliases, target="", position="",
                polarity="", quote="", verified=False, article=_NOWHERE,
            )
            for f in forms
        ]
    )  # fmt: skip


_Directory = tuple[int, list[Identity], dict[tuple[str, str], str]]
_directories: OrderedDict[tuple[Path, int], _Directory] = OrderedDict()
_directories_lock = threading.Lock()
_KEPT = 64  # chats whose directories stay in memory (a few hundred KB each at most)


def chat_directory(index: Index, chat_id: int) -> tuple[list[Identity], dict[tuple[str, str], str]]:
    """Return the chat's actor directory and its folded forms, rebuilt only when it grew."""
    version = index.chat_forms_version(chat_id)
    key = (index.path, chat_id)
    with _directories_lock:
        kept = _directories.get(key)
        if kept is not None and kept[0] == version:
            _directories.move_to_end(key)
            return kept[1], kept[2]
    light = directory(index.chat_actor_forms(chat_id))
    choices = forms_of(light)
    with _directories_lock:
        _directories[key] = (version, light, choices)
        while len(_directories) > _KEPT:
            _directories.popitem(last=False)
    return light, choices


def active_chats(index: Index, limit: int = _KEPT) -> list[int]:
    """Return the chats that sent articles most lately (as many as keep their directories)."""
    rows = index.connection.execute(
        """SELECT chat_id FROM chat_articles GROUP BY chat_id
           ORDER BY MAX(received_at) DESC LIMIT ?""",
        (limit,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def _names(actors: Iterable[Identity]) -> set[str]:
    return {name for actor in actors for name in actor.names}


def find_in_chat(index: Index, chat_id: int, query: str) -> Lookup:
    """Resolve /who NAME in this chat: one actor with all its stances, candidates or hints.

    Stances are read light (no position, quote or article title: what counts, ranks and
    shifts need) except the match's newest PAGE_STANCES, which the page shows in full.
    """
    light, choices = chat_directory(index, chat_id)
    # Ties are ranked by article counts, which only stances give: keep every tied actor
    # (up to a bound) until the stances are read.
    found = lookup(query, light, candidates=_WIDE, suggestions=_WIDE, choices=choices)
    wanted = [found.match] if found.match else found.candidates
    if not wanted:
        hinted = set(found.suggestions)
        wanted = [i for i in light if i.name in hinted]
    if not wanted:
        return found
    # Same names and aliases, so the same scores: this only fills in stances and counts.
    rows, keys = light_stances(index.connection, chat_id, actors=_names(wanted))
    found = lookup(query, identities(rows))
    if found.match is not None:
        fill_newest(index.connection, chat_id, found.match.stances, keys, PAGE_STANCES)
    return found


def actor_by_key_prefix(index: Index, chat_id: int, prefix: str) -> Identity | None:
    """Return the chat's actor whose key starts with `prefix` (an inline button's data).

    Its stances are read as `find_in_chat` reads a match's.
    """
    light, _choices = chat_directory(index, chat_id)
    wanted = [i for i in light if any(fold(n).startswith(prefix) for n in i.names)]
    if not wanted:
        return None
    rows, keys = light_stances(index.connection, chat_id, actors=_names(wanted))
    actor = next((a for a in identities(rows) if a.key.startswith(prefix)), None)
    if actor is not None:
        fill_newest(index.connection, chat_id, actor.stances, keys, PAGE_STANCES)
    return actor


def recent_actors(index: Index, chat_id: int, since: datetime) -> list[Identity]:
    """Return the actors of the chat's articles sent since `since` (stances read light)."""
    return identities(light_stances(index.connection, chat_id, since=since)[0])


def actors_of_article(index: Index, chat_id: int, article_hash: str) -> list[Identity]:
    """Return one of the chat's articles' actors and stances."""
    return identities(index.chat_stances(chat_id, article_hash=article_hash))


def stances_for_shifts(
    index: Index, chat_id: int, *, since: datetime, until: datetime
) -> list[StanceRow]:
    """Return what finding [since, until)'s shifts needs: each window actor's stances to until."""
    seen = {f.actor for f in index.chat_actor_forms(chat_id, since=since, until=until)}
    if not seen:
        return []
    light = directory(index.chat_actor_forms(chat_id, until=until))
    return index.chat_stances(
        chat_id, until=until, actors=_names(i for i in light if i.names & seen)
    )
