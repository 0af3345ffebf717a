"""Short tokens for /who's page buttons: what a button shows is kept here, not in its data.

Telegram allows 64 bytes of callback data; an actor's key alone may take 60, and an issue
filter and a period would not fit beside it. A button carries "whop:TOKEN:PAGE" and the
token names (chat, actor key, filter) in memory. Tokens are bounded in number and age: a
tapped button whose token is gone (too old, or the bot restarted) is answered as expired.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.actors.who_query import WhoFilter

KEPT = 5_000  # a few hundred bytes each
MAX_AGE_S = 2 * 24 * 3600.0


@dataclass(frozen=True)
class PageState:
    """What a /who page's buttons page through: one actor in one chat, filtered."""

    chat_id: int
    key: str
    keep: WhoFilter


class PageTokens:
    """Remember page states under short random tokens, the oldest forgotten first."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._states: OrderedDict[str, tuple[float, PageState]] = OrderedDict()

    def token(self, state: PageState) -> str:
        """Return a new token for `state` (its buttons reuse it from page to page)."""
        token = secrets.token_urlsafe(6)  # 8 characters
        self._states[token] = (self._clock(), state)
        while len(self._states) > KEPT:
            self._states.popitem(last=False)
        return token

    def state(self, token: str, chat_id: int) -> PageState | None:
        """Return the state a button's token names, if it is still known and of this chat."""
        found = self._states.get(token)
        if found is None:
            return None
        at, state = found
        if self._clock() - at > MAX_AGE_S:
            del self._states[token]
            return None
        return state if state.chat_id == chat_id else None
