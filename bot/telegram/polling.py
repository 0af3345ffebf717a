"""The bot object: PTB's ExtBot, asking getUpdates for at most UPDATES_PER_POLL at a time.

getUpdates hands out up to 100 updates by default, and python-telegram-bot turns all of
them into `Update` objects in one go on the event loop: ~20 ms for 100 forwarded articles,
the longest the loop was held in a burst once the handlers themselves take turns. Asking for
25 at a time holds it ~5 ms per answer; the rest are fetched at once by the next call (the
long poll returns immediately while updates are waiting), so nothing waits longer.

PTB's ApplicationBuilder cannot be told to pass `limit`, so the bot is built here, with
exactly the requests and settings the builder would give it, and handed to the builder.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Defaults, ExtBot
from telegram.request import HTTPXRequest

from bot.telegram.limiter import PriorityRateLimiter, send_limits

UPDATES_PER_POLL = 25


class PagedBot(ExtBot[Any]):
    """An ExtBot whose getUpdates asks for UPDATES_PER_POLL updates unless told otherwise."""

    __slots__ = ()

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:  # noqa: ANN401
        """Fetch updates as PTB does, at most UPDATES_PER_POLL at a time by default."""
        if len(args) < 2 and kwargs.get("limit") is None:  # noqa: PLR2004 - (offset, limit)
            kwargs["limit"] = UPDATES_PER_POLL
        return await super().get_updates(*args, **kwargs)


def build_bot(token: str, base_url: str, messages_per_second: float) -> PagedBot:
    """Build the bot as ApplicationBuilder would (256 pooled connections, 1 for polling)."""
    return PagedBot(
        token=token,
        base_url=base_url,
        base_file_url=base_url.removesuffix("/bot") + "/file/bot",
        # Every reply quotes the message it answers, in private chats too (PTB quotes only in
        # groups by default): with several articles in flight the user sees which failed.
        defaults=Defaults(do_quote=True, allow_sending_without_reply=True),
        # Telegram's own windows, replies before digests before chat actions (limiter.py).
        rate_limiter=PriorityRateLimiter(send_limits(messages_per_second)),
        request=HTTPXRequest(connection_pool_size=256),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )
