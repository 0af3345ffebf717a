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

    @property
    def _known(self) -> dict[int, str | None]:
        # Every chat's choice, read once: asked for every briefing, on the event loop, where
        # even this small read waited behind the database thread's commits (up to 146 ms in
        # a burst). Shared by every ChatLanguages on the same index; only `set` and
        # `migrate_chat` change the table, and they update it.
        return _CHOICES.setdefault(self._index, {})

    def chosen(self, chat_id: int) -> str | None:
        """Return the tag the chat chose with /lang ("auto" included), or None."""
        known = self._known
        if chat_id not in known:
            known[chat_id] = _stored_choice(self._index, chat_id)
        return known[chat_id]

    async def effective_off_loop(self, chat_id: int | None) -> str | None:
        """Return `effective`, reading a chat's first choice on the database thread."""
        if chat_id is not None and chat_id not in self._known:
            choice = await self._index.run(_stored_choice, chat_id)
            self._known.setdefault(chat_id, choice)  # a `set` or `pin` meanwhile is newer
        return self.effective(chat_id)

    def effective(self, chat_id: int | None) -> str | None:
        """Return the tag of the language to write in here; None means the article's own."""
        chosen = self.chosen(chat_id) if chat_id is not None else None
        if chosen is None:
            return self._default
        return None if chosen == AUTO else chosen

    def pin(self, chat_id: int | None, language: str) -> None:
        """Write in `language` (a tag or "auto") for this process only: nothing is stored."""
        if chat_id is None:
            self._default = None if language == AUTO else language
        else:
            self._known[chat_id] = language

    def set(self, chat_id: int, language: str) -> str:
        """Store the chat's choice (validated); return it as stored."""
        value = normalise_language(language)
        with self._index.transaction() as db:
            db.execute(
                "INSERT INTO chat_languages VALUES (?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET language = excluded.language",
                (chat_id, value),
            )
        self._known[chat_id] = value
        return value

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Carry the choice over to a chat's new id."""
        with self._index.transaction() as db:
            move_replacing(db, "chat_languages", (), old_id, new_id)
        self._known.pop(old_id, None)
        self._known.pop(new_id, None)


def _stored_choice(index: Index, chat_id: int) -> str | None:
    row = index.connection.execute(
        "SELECT language FROM chat_languages WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    # Rows written before /lang was validated may hold a name ("French", "Pt-br") or any
    # text at all: read as the tag they name, or as no choice.
    return None if row is None else stored_language(str(row[0]))
