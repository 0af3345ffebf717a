"""Collecting what Telegram splits into several updates: albums, and a comment's forward."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

from telegram import Message

_REMEMBERED = 1024  # finished albums remembered, so a straggler can't start a second reply


class Gatherer:
    """Collect what Telegram splits into several updates: albums, and a comment's forward."""

    def __init__(self, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._albums: dict[tuple[int, str], list[Message]] = {}
        self._done: OrderedDict[tuple[int, str], None] = OrderedDict()
        # (chat, person) -> (when, message id) of their latest forward
        self._forwards: dict[tuple[int, int], tuple[float, int]] = {}
        self._forward_events: dict[tuple[int, int], asyncio.Event] = {}

    def add_album_item(self, message: Message) -> bool:
        """Keep an album item; return True for the item that opened the album (its owner)."""
        key = (message.chat_id, str(message.media_group_id))
        if key in self._done:
            return False
        items = self._albums.setdefault(key, [])
        items.append(message)
        return len(items) == 1

    def close_album(self, message: Message) -> list[Message]:
        """End an album's collection and return its items in message order."""
        key = (message.chat_id, str(message.media_group_id))
        self._done[key] = None
        while len(self._done) > _REMEMBERED:
            self._done.popitem(last=False)
        return sorted(self._albums.pop(key, []), key=lambda m: m.message_id)

    def note_forward(self, message: Message) -> None:
        """Remember that this person just forwarded something here."""
        if message.from_user is None:
            return
        key = (message.chat_id, message.from_user.id)
        now = self._clock()
        self._forwards = {k: v for k, v in self._forwards.items() if now - v[0] < self.window_s}
        self._forwards[key] = (now, message.message_id)
        if (event := self._forward_events.get(key)) is not None:
            event.set()

    async def forward_follows(self, message: Message) -> bool:
        """Tell whether the same person's forward follows this message (its comment) at once."""
        if message.from_user is None:
            return False
        key = (message.chat_id, message.from_user.id)
        # Updates are handled concurrently, so the forward may have been seen already; a
        # later message id is what makes it this comment's forward, not an earlier one.
        if self._forward_after(key, message):
            return True
        event = self._forward_events.setdefault(key, asyncio.Event())
        try:
            await asyncio.wait_for(event.wait(), self.window_s)
        except TimeoutError:
            return False
        finally:
            self._forward_events.pop(key, None)
        return self._forward_after(key, message)

    def _forward_after(self, key: tuple[int, int], message: Message) -> bool:
        seen = self._forwards.get(key)
        return (
            seen is not None
            and seen[1] > message.message_id
            and self._clock() - seen[0] < self.window_s
        )
