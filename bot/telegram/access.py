"""Who may use the bot, and how often: the allowlist and hourly quotas."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings
from bot.render.plural import counted

log = logging.getLogger(__name__)

# Telegram's shared service accounts. Every anonymous group admin on Telegram arrives as
# GroupAnonymousBot, every "send as channel" post as Channel_Bot, every linked-channel
# auto-forward as Telegram (777000): allowing one of these ids would allow them all, in every
# group. Such messages are judged by their sender_chat and the chat instead.
GROUP_ANONYMOUS_BOT = 1087968824
CHANNEL_BOT = 136817688
TELEGRAM_SERVICE = 777000
SERVICE_ACCOUNTS = frozenset({GROUP_ANONYMOUS_BOT, CHANNEL_BOT, TELEGRAM_SERVICE})

# End users never see setting names: those are for the operator's log and `briefbot check`.
REFUSAL = "Sorry, this bot is private. Ask the person who runs this bot to allow your id {user_id}."
ANONYMOUS_REFUSAL = (
    "Sorry, this bot is private. You are posting anonymously (as this group or as a "
    "channel), and anonymous posts can't be told apart from anyone else's, so they are only "
    "served in chats the bot allows. Ask the person who runs this bot to allow this chat's "
    "id {chat_id}, or post as yourself."
)


@dataclass(frozen=True)
class Sender:
    """Who a message speaks for: a person, or (for service accounts) a chat."""

    user_id: int | None  # None when the sender is a service account or absent
    chat_id: int | None  # the chat the update happened in
    sender_chat_id: int | None  # the group or channel an anonymous message speaks for

    @property
    def anonymous(self) -> bool:
        """Tell whether no person can be identified (anonymous admin, channel, auto-forward)."""
        return self.user_id is None

    @property
    def payer_id(self) -> int | None:
        """Return who pays (budgets, quotas): the person, else the chat the message is in.

        Not the service account (shared by every group on Telegram), and not a "send as"
        channel either: anyone can make channels, so each would be a fresh budget. A chat
        id is negative, so it never collides with a person's.
        """
        return self.user_id if self.user_id is not None else self.chat_id

    @property
    def quota_key(self) -> str:
        """Return the key a per-sender quota is charged to: the person, else the chat."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"chat:{self.chat_id}"


def sender_of(user_id: int | None, chat_id: int | None, sender_chat_id: int | None) -> Sender:
    """Identify a sender, never trusting a shared service account as a person."""
    person = None if user_id in SERVICE_ACCOUNTS else user_id
    return Sender(person, chat_id, sender_chat_id)


class Allowlist:
    """ALLOWED_USER_IDS / ALLOWED_CHAT_IDS; a stranger is refused once, then ignored."""

    def __init__(self, settings: Settings) -> None:
        users = settings.allowed_user_ids | settings.admin_user_ids
        if shared := users & SERVICE_ACCOUNTS:
            log.warning(
                "ignoring %s in ALLOWED_USER_IDS/ADMIN_USER_IDS: Telegram's shared service "
                "accounts would admit every anonymous admin or channel; list the chat in "
                "ALLOWED_CHAT_IDS instead",
                sorted(shared),
            )
        self._users = users - SERVICE_ACCOUNTS
        self._chats = settings.allowed_chat_ids
        self._refused: set[tuple[int | None, int | None]] = set()

    @property
    def empty(self) -> bool:
        """Tell whether nobody at all is allowed."""
        return not self._users and not self._chats

    def allows(
        self, user_id: int | None, chat_id: int | None, sender_chat_id: int | None = None
    ) -> bool:
        """Allow listed users anywhere, everyone in a listed chat, and a listed sender chat."""
        sender = sender_of(user_id, chat_id, sender_chat_id)
        return (
            (sender.user_id is not None and sender.user_id in self._users)
            or (chat_id is not None and chat_id in self._chats)
            or (sender_chat_id is not None and sender_chat_id in self._chats)
        )

    def first_refusal(self, user_id: int | None, chat_id: int | None) -> bool:
        """Return True the first time this user is refused in this chat, False after."""
        key = (user_id, chat_id)
        if key in self._refused:
            return False
        self._refused.add(key)
        return True


def refusal_text(sender: Sender) -> str:
    """Explain a refusal; never suggest allowing a shared service account."""
    if sender.anonymous:
        return ANONYMOUS_REFUSAL.format(chat_id=sender.chat_id)
    return REFUSAL.format(user_id=sender.user_id)


class UserRateLimit:
    """At most N hits per key per hour, in a moving window; a failed attempt can be refunded."""

    def __init__(self, per_hour: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_hour
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def try_acquire(self, key: int | str) -> float | None:
        """Count one hit; return None if allowed, else the seconds until it would be."""
        now = self._clock()
        hits = self._hits.setdefault(str(key), deque())
        while hits and hits[0] <= now - 3600:
            hits.popleft()
        if len(hits) >= self._limit:
            return max(1.0, math.ceil(hits[0] + 3600 - now))
        hits.append(now)
        return None

    def refund(self, key: int | str) -> None:
        """Give back the latest hit (the work it paid for failed)."""
        hits = self._hits.get(str(key))
        if hits:
            hits.pop()

    # The event loop's calls: in memory these are the same; SharedRateLimit (shared_limits.py)
    # runs them on the database thread.
    async def try_acquire_off_loop(self, key: int | str) -> float | None:
        """Count one hit as `try_acquire` does, without blocking the event loop."""
        return self.try_acquire(key)

    async def refund_off_loop(self, key: int | str) -> None:
        """Give back the latest hit as `refund` does, without blocking the event loop."""
        self.refund(key)


class InFlight:
    """At most N jobs per key accepted and not yet answered, in this process."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._count: dict[str, int] = {}

    def take(self, key: str) -> Callable[[], None] | None:
        """Count one job in flight; return its release (given at most once), or None if full."""
        if self._count.get(key, 0) >= self._limit:
            return None
        self._count[key] = self._count.get(key, 0) + 1
        owed = [key]

        def release() -> None:
            while owed:
                left = self._count.pop(owed.pop()) - 1
                if left:
                    self._count[key] = left

        return release

    def count(self, key: str) -> int:
        """Return how many jobs of `key` are in flight."""
        return self._count.get(key, 0)

    async def take_off_loop(self, key: str) -> Callable[[], None] | None:
        """Take as `take` does, without blocking the event loop (SharedInFlight reads rows)."""
        return self.take(key)

    async def count_off_loop(self, key: str) -> int:
        """Count as `count` does, without blocking the event loop."""
        return self.count(key)


def describe_wait(seconds: float) -> str:
    """Say how long to wait in words a person reads at a glance."""
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "about a minute"
    if minutes < 60:  # noqa: PLR2004
        return f"about {counted(minutes, 'minute')}"
    return f"about {math.ceil(minutes / 60)} h"
