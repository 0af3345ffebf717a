"""Who may use the bot, and how often: the allowlist and a per-user rate limit."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from bot.config import Settings


class Allowlist:
    """ALLOWED_USER_IDS / ALLOWED_CHAT_IDS; a stranger is refused once, then ignored."""

    def __init__(self, settings: Settings) -> None:
        self._users = settings.allowed_user_ids | settings.admin_user_ids
        self._chats = settings.allowed_chat_ids
        self._refused: set[tuple[int | None, int | None]] = set()

    @property
    def empty(self) -> bool:
        """Tell whether nobody at all is allowed."""
        return not self._users and not self._chats

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        """Allow listed users anywhere, and everyone in a listed chat."""
        return (user_id is not None and user_id in self._users) or (
            chat_id is not None and chat_id in self._chats
        )

    def first_refusal(self, user_id: int | None, chat_id: int | None) -> bool:
        """Return True the first time this user is refused in this chat, False after."""
        key = (user_id, chat_id)
        if key in self._refused:
            return False
        self._refused.add(key)
        return True


class UserRateLimit:
    """At most N new (uncached) articles per user per hour, in a moving window."""

    def __init__(self, per_hour: int) -> None:
        self._item = RateLimitItemPerHour(per_hour)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def try_acquire(self, user_id: int) -> float | None:
        """Count one article; return None if allowed, else the seconds until it would be."""
        key = str(user_id)
        if self._limiter.hit(self._item, key):
            return None
        reset_at, _remaining = self._limiter.get_window_stats(self._item, key)
        return max(1.0, math.ceil(reset_at - time.time()))


def describe_wait(seconds: float) -> str:
    """Say how long to wait in words a person reads at a glance."""
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "about a minute"
    if minutes < 60:  # noqa: PLR2004
        return f"about {minutes} minutes"
    return f"about {math.ceil(minutes / 60)} h"
