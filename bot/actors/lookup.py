"""A chat's actors read with SQL doing the heavy lifting: names first, stances only as needed.

A chat with years of history holds ~100,000 stances but only a few thousand distinct ways
of naming an actor. Matching a name runs over those forms alone; the stances are then read
for the actors the answer is about. These functions block (SQLite, files): the bot runs
them on the index's database thread with `Index.run`.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.actors.identity import PAGE_STANCES, Identity, Lookup, fold, forms_of, identities, lookup
from bot.actors.page import ActorPage, Counted, count_identities, row_shifts
from bot.actors.who_query import WhoFilter, name_prefix, name_words
from bot.store.index import ActorForm, ChatArticle, Index, StanceRow
from bot.store.mentions import mention_rows, mentioned_names
from bot.store.who_rows import (
    DATED,
    ISSUE,
    LightRow,
    chat_articles_by_hash,
    full_stances,
    light_rows,
)

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
    version = index.queries.chat_forms_version(chat_id)
    key = (index.path, chat_id)
    with _directories_lock:
        kept = _directories.get(key)
        if kept is not None and kept[0] == version:
            _directories.move_to_end(key)
            return kept[1], kept[2]
    light = directory(index.queries.chat_actor_forms(chat_id))
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
    """Resolve /who NAME in this chat: one actor, candidates or hints, each `Counted`."""
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
    return lookup(query, _counted(index, chat_id, _names(wanted)))


_word_indexes: OrderedDict[tuple[Path, int], tuple[object, dict[str, set[int]]]] = OrderedDict()


def _words_of(
    index: Index, chat_id: int, choices: dict[tuple[str, str], str]
) -> dict[str, set[int]]:
    # Built once per directory (a new directory is a new `choices` object): ~5 ms for a chat
    # with thousands of names, where the look-up itself takes well under one.
    key = (index.path, chat_id)
    with _directories_lock:
        kept = _word_indexes.get(key)
        if kept is not None and kept[0] is choices:
            return kept[1]
    built = name_words(choices.values())
    with _directories_lock:
        _word_indexes[key] = (choices, built)
        while len(_word_indexes) > _KEPT:
            _word_indexes.popitem(last=False)
    return built


def split_name(index: Index, chat_id: int, words: list[str]) -> tuple[str, str]:
    """Split /who's words into the actor's name and the issue words after it.

    The name is the longest prefix that names an actor by whole words ("kim jong un
    sanctions"); words after it that only look like more of a name ("kim jong unn", a typo)
    stay in the name when the whole then resolves. Without such a prefix all the words are
    the name (and get the usual forgiving lookup and suggestions).
    """
    light, choices = chat_directory(index, chat_id)
    end, name_like = name_prefix(words, _words_of(index, chat_id, choices))
    if end in {0, len(words)}:
        return " ".join(words), ""
    if name_like:
        whole = lookup(" ".join(words), light, choices=choices)
        if whole.match or whole.candidates:
            return " ".join(words), ""
    return " ".join(words[:end]), " ".join(words[end:])


def _counted(index: Index, chat_id: int, names: set[str]) -> list[Counted]:
    """Count these names' stances and mentions in the chat, grouped into actors."""
    rows = light_rows(index.connection, chat_id, actors=names)
    return count_identities(rows, mention_rows(index.connection, chat_id, actors=names))


def _kept(rows: list[LightRow], keep: WhoFilter) -> list[LightRow]:
    if not keep:
        return rows
    return [
        r
        for r in rows
        if keep.keeps_date(datetime.fromisoformat(r[DATED])) and keep.keeps_issue(r[ISSUE], r[5])
    ]


def actor_page(
    index: Index, chat_id: int, actor: Identity, keep: WhoFilter | None = None, page: int = 1
) -> ActorPage:
    """Make one page of the actor's stances the filter keeps: counts, shifts, rows in full."""
    if not isinstance(actor, Counted):
        raise TypeError("actor_page needs an actor from find_in_chat or actor_by_key_prefix")
    keep = keep or WhoFilter()
    rows = _kept(actor.rows, keep)
    pages = max(1, math.ceil(len(rows) / PAGE_STANCES))
    page = min(max(1, page), pages)  # the history may have changed since the button was made
    shown = [(r[0], r[1]) for r in rows[(page - 1) * PAGE_STANCES : page * PAGE_STANCES]]
    full = full_stances(index.connection, chat_id, shown)
    shifts, count = row_shifts(actor.name, rows)
    mentioned: list[ChatArticle] = []
    if not actor.rows:  # only mentioned: the page lists the articles that name it
        hashes = actor.mentioned_in[:PAGE_STANCES]
        articles = chat_articles_by_hash(index.connection, chat_id, hashes)
        mentioned = [articles[h] for h in hashes if h in articles]
    return ActorPage(
        actor=actor, stances=len(rows), articles=len({r[0] for r in rows}),
        newest=[full[k] for k in shown if k in full], shifts=shifts, shift_count=count,
        mentioned=actor.mentioned, mentions=mentioned, page=page, pages=pages,
        filtered=keep.describe(), all_stances=actor.stance_count,
    )  # fmt: skip


def find_page(
    index: Index, chat_id: int, query: str, keep: WhoFilter | None = None
) -> tuple[Lookup, ActorPage | None]:
    """Resolve /who NAME and, when one actor matches, make its first page."""
    found = find_in_chat(index, chat_id, query)
    return found, actor_page(index, chat_id, found.match, keep) if found.match else None


def actor_by_key_prefix(index: Index, chat_id: int, prefix: str) -> Identity | None:
    """Return the chat's actor whose key starts with `prefix` (an inline button's data)."""
    light, _choices = chat_directory(index, chat_id)
    wanted = [i for i in light if any(fold(n).startswith(prefix) for n in i.names)]
    if not wanted:
        return None
    counted = _counted(index, chat_id, _names(wanted))
    exact = next((a for a in counted if a.key == prefix), None)  # a page button's whole key
    return exact or next((a for a in counted if a.key.startswith(prefix)), None)


def page_by_key_prefix(
    index: Index, chat_id: int, prefix: str, keep: WhoFilter | None = None, page: int = 1
) -> ActorPage | None:
    """Make a page of the actor an inline button names, if it is still in the chat."""
    actor = actor_by_key_prefix(index, chat_id, prefix)
    return actor_page(index, chat_id, actor, keep, page) if actor else None


def recent_actors(index: Index, chat_id: int, since: datetime) -> list[Identity]:
    """Return the actors of the chat's articles sent since `since` (each `Counted`).

    Actors only mentioned there come after every actor with a stance.
    """
    rows = light_rows(index.connection, chat_id, since=since)
    return list(count_identities(rows, mention_rows(index.connection, chat_id, since=since)))


def actors_of_article(index: Index, chat_id: int, article_hash: str) -> list[Identity]:
    """Return one of the chat's articles' actors and stances."""
    return identities(index.queries.chat_stances(chat_id, article_hash=article_hash))


def mentioned_in_article(index: Index, chat_id: int, article_hash: str) -> list[str]:
    """Return the names one of the chat's articles mentions without a stance, in order."""
    if not index.queries.chat_has_article(chat_id, article_hash):
        return []
    return mentioned_names(index.connection, article_hash)


def stances_for_shifts(
    index: Index, chat_id: int, *, since: datetime, until: datetime
) -> list[StanceRow]:
    """Return what finding [since, until)'s shifts needs: each window actor's stances to until."""
    seen = {f.actor for f in index.queries.chat_actor_forms(chat_id, since=since, until=until)}
    if not seen:
        return []
    light = directory(index.queries.chat_actor_forms(chat_id, until=until))
    return index.queries.chat_stances(
        chat_id, until=until, actors=_names(i for i in light if i.names & seen)
    )
