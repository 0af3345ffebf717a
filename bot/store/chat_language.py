"""Per-chat briefing language (/lang), stored in the index database."""

from __future__ import annotations

import weakref

from bot.briefing.languages import AUTO, LanguageError, parse_language, stored_language
from bot.store.chat_moves import move_replacing
from bot.store.index import Index

__all__ = ["AUTO", "ChatLanguages", "LanguageError", "normalise_language"]


def normalise_language(text: str) -> str:
    """Return "auto" or the language's canonical tag ("fr", "pt-BR"), or raise LanguageError."""
    if " ".join(text.split()).casefold() == AUTO:
        return AUTO
    return parse_language(text).tag


_CHOICES: weakref.WeakKeyDictionary[Index, dict[int, str | None]] = weakref.WeakKeyDictionary()


class ChatLanguages:
    """Which language each chat wants its briefings and digests in."""

    def __init__(self, index: Index, default: str | None) -> None:
        self._index = index
        # A tag, whatever the operator wrote ("English" → "en"); never free text in a prompt.
        self._default = None if (tag := stored_language(default)) == AUTO else tag
        self._pinned: set[int] = set()  # `pin`'s chats: never read from the table again

    @property
    def _known(self) -> dict[int, str | None]:
        # Every chat's choice, read once: asked for every briefing, on the event loop, where
        # even this small read waited behind the database thread's commits (up to 146 ms in
        # a burst). Shared by every ChatLanguages on the same index; only `set` and
        # `migrate_chat` change the table, and they update it. On PostgreSQL another process
        # may change it too: `effective_off_loop` reads it again there.
        return _CHOICES.setdefault(self._index, {})

    def chosen(self, chat_id: int) -> str | None:
        """Return the tag the chat chose with /lang ("auto" included), or None."""
        known = self._known
        if chat_id not in known:
            known[chat_id] = _chosen(self._index, chat_id)
        return known[chat_id]

    def effective(self, chat_id: int | None) -> str | None:
        """Return the tag of the language to write in here; None means the article's own."""
        chosen = self.chosen(chat_id) if chat_id is not None else None
        if chosen is None:
            return self._default
        return None if chosen == AUTO else chosen

    async def effective_off_loop(self, chat_id: int | None) -> str | None:
        """Return `effective`, reading the chat's choice on the database thread.

        SQLite has one process: a choice read once stays true. On PostgreSQL a /lang another
        process took must count at this process's next briefing, so it is read each time.
        """
        if (
            chat_id is not None
            and chat_id not in self._pinned
            and (self._index.engine != "sqlite" or chat_id not in self._known)
        ):
            self._known[chat_id] = await self._index.run(_chosen, chat_id)
        return self.effective(chat_id)

    def pin(self, chat_id: int | None, language: str) -> None:
        """Write in `language` (a tag or "auto") for this process only: nothing is stored."""
        if chat_id is None:
            self._default = None if language == AUTO else language
        else:
            self._known[chat_id] = language
            self._pinned.add(chat_id)

    def set(self, chat_id: int, language: str) -> str:
        """Store the chat's choice (validated); return it as stored."""
        value = normalise_language(language)
        _store(self._index, chat_id, value)
        self._known[chat_id] = value
        return value

    async def set_off_loop(self, chat_id: int, language: str) -> str:
        """Store the chat's choice (validated) on the database thread; return it as stored."""
        value = normalise_language(language)
        await self._index.run(_store, chat_id, value)
        self._known[chat_id] = value
        return value

    def forget(self, chat_id: int) -> None:
        """Drop what this process kept of the chat's choice (it moved, or changed elsewhere)."""
        self._known.pop(chat_id, None)

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Carry the choice over to a chat's new id."""
        with self._index.transaction() as db:
            move_replacing(db, "chat_languages", (), old_id, new_id)
        self._known.pop(old_id, None)
        self._known.pop(new_id, None)


def _chosen(index: Index, chat_id: int) -> str | None:
    row = index.connection.execute(
        "SELECT language FROM chat_languages WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    # Rows written before /lang was validated may hold a name ("French", "Pt-br") or any
    # text at all: read as the tag they name, or as no choice.
    return None if row is None else stored_language(str(row[0]))


def _store(index: Index, chat_id: int, value: str) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO chat_languages VALUES (?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language",
            (chat_id, value),
        )
