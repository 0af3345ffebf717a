"""Daily digest delivery: a periodic tick reads due subscriptions and sends each exactly once.

Exactly once across processes too: every process on one database ticks, and each due chat
is sent by whichever takes its lease `digest:<chat>` first. The holder re-reads the
subscription under the lease (another may have just sent it) and renews the lease before
sending; the stored last_date only moves forward. A holder killed mid-send leaves its lease
to lapse (LEASE_S) and the next tick elsewhere sends the digest: once, or, when Telegram had
accepted it but last_date was not stored yet, a second time (the window the schedule allows).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError, TimedOut

from bot.config import Settings
from bot.digest.schedule import decide, window_start
from bot.digest.service import DigestService
from bot.errors import LLMError
from bot.ops.stats import DIGEST_SENT, Events
from bot.render.dates import DateStyle
from bot.render.digest_html import render_digest
from bot.render.split import split_html
from bot.store.chat_zones import ChatZones
from bot.store.lease_hold import Hold, hold
from bot.store.leases import Leases
from bot.store.subscriptions import Subscription, SubscriptionStore
from bot.telegram.limiter import sending_as
from bot.telegram.replies import send_html
from bot.telegram.send_windows import Priority

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Access = Callable[[Subscription], bool]
# What goes before a digest's text (the map of its period, if the chat wants it): called
# with the chat, its window and topic; it never raises and returns whether it sent.
First = Callable[..., Awaitable[bool]]
# Telegram's answer for a forum topic that was deleted (or never existed).
THREAD_NOT_FOUND = "message thread not found"
EMPTY_NOTE = "🗞 No new articles since the last digest."
# Digests built and sent at once. Sending is paced by the rate limiter anyway; building all
# 1,000 at once would only hold them in memory and starve the event loop in bursts.
DELIVERY_CONCURRENCY = 32


def utc_now() -> datetime:
    """Return the current instant (the default clock)."""
    return datetime.now(UTC)


class DigestScheduler:
    """Decide, build and send due digests; the store's last_date makes each day at most once."""

    def __init__(
        self,
        settings: Settings,
        *,
        digests: DigestService,
        subscriptions: SubscriptionStore,
        leases: Leases,
        bot: Bot,
        migrate: Callable[[int, int], Awaitable[None]],
        clock: Clock = utc_now,
        allowed: Access = lambda _sub: True,
        events: Events | None = None,
        zones: ChatZones | None = None,
        first: First | None = None,
    ) -> None:
        self._first = first
        self._settings = settings
        self._zones = zones
        self._events = events
        self._digests = digests
        self._subs = subscriptions
        self._leases = leases
        self._bot = bot
        self._clock = clock
        self._migrate = migrate
        self._allowed = allowed
        self._grace = timedelta(hours=settings.digest_grace_hours)
        self._in_flight: set[int] = set()  # a slow send must not be started twice here
        self._slots = asyncio.Semaphore(DELIVERY_CONCURRENCY)

    async def tick(self) -> Counter[str]:
        """Send every digest due now, concurrently; return what happened, by outcome."""
        now = self._clock()
        outcomes: Counter[str] = Counter()
        sends = []
        for sub in await self._subs.enabled_off_loop():
            if sub.chat_id in self._in_flight or not await self._has_access(sub):
                continue
            decision = decide(
                now, sub.at, sub.zone, last_date=sub.last_date,
                subscribed_at=sub.subscribed_at, grace=self._grace,
            )  # fmt: skip
            if decision.action == "skip" and decision.local_date is not None:
                log.warning(
                    "digest for chat %s on %s skipped: %s late, beyond DIGEST_GRACE_HOURS",
                    sub.chat_id, decision.local_date, decision.late_by,
                )  # fmt: skip
                await self._subs.mark_skipped_off_loop(sub.chat_id, decision.local_date)
                outcomes["skipped"] += 1
            elif decision.action == "send" and decision.local_date is not None:
                self._in_flight.add(sub.chat_id)
                sends.append(self._deliver(sub, decision.local_date, now))
        for outcome in await asyncio.gather(*sends):
            outcomes[outcome] += 1
        if sends:
            log.info("digest tick: %s", dict(outcomes))
        return outcomes

    async def _has_access(self, sub: Subscription) -> bool:
        # Re-checked every tick: taking a chat or person off the allowlist stops its digest
        # (and its LLM cost) without touching the schedule, so it resumes if access returns.
        allowed = self._allowed(sub)
        if sub.paused == allowed and await self._subs.set_paused_off_loop(
            sub.chat_id, paused=not allowed
        ):
            if allowed:
                log.info("digest for chat %s resumed: access is back", sub.chat_id)
            else:
                log.warning("digest for chat %s paused: no longer allowed", sub.chat_id)
        return allowed

    async def _deliver(self, sub: Subscription, local_date: date, now: datetime) -> str:
        async with self._slots:
            try:
                name, span = f"digest:{sub.chat_id}", self._settings.lease_s
                async with hold(self._leases, name, span) as held:
                    if held is None:
                        return "elsewhere"  # another process is sending it
                    fresh = await self._still_due(sub.chat_id, now)
                    if fresh is None:
                        return "elsewhere"  # another process has just sent it (or gave up)
                    sub, local_date = fresh
                    with sending_as(Priority.DIGEST):  # after replies, before chat actions
                        return await self._deliver_one(sub, local_date, now, held)
            except Exception:
                log.exception("digest for chat %s failed unexpectedly", sub.chat_id)
                return "failed"
            finally:
                self._in_flight.discard(sub.chat_id)

    async def _still_due(self, chat_id: int, now: datetime) -> tuple[Subscription, date] | None:
        """Re-read the subscription under its lease: return it if it is still to be sent now."""
        sub = await self._subs.get_off_loop(chat_id)
        if sub is None or not sub.enabled or sub.paused:
            return None
        decision = decide(
            now, sub.at, sub.zone, last_date=sub.last_date,
            subscribed_at=sub.subscribed_at, grace=self._grace,
        )  # fmt: skip
        if decision.action != "send" or decision.local_date is None:
            return None
        return sub, decision.local_date

    async def _deliver_one(
        self, sub: Subscription, local_date: date, now: datetime, held: Hold
    ) -> str:
        chat_id = sub.chat_id
        since = window_start(now, sub.last_sent_at)
        try:
            # A model that fails now is retried at the next tick; none at all: made without.
            result = await self._digests.build(chat_id, since=since, until=now, fallback=False)
        except LLMError as exc:
            # Not marked: the next tick retries until the grace window runs out.
            log.warning("digest for chat %s not built, will retry: %s", chat_id, exc)
            return "failed"
        if result is None and not self._settings.digest_send_empty:
            await self._subs.mark_skipped_off_loop(chat_id, local_date)
            return "empty"
        if self._zones is not None:
            dates = await self._zones.style_off_loop(chat_id, now)
        else:
            dates = DateStyle.at(sub.zone, now)
        html = EMPTY_NOTE if result is None else render_digest(result, chat_id=chat_id, dates=dates)
        if not await held.still_held():
            # Building took longer than the lease could be kept (a blocked loop, the database
            # away): another process may be sending it now, so this one must not.
            log.warning("digest for chat %s: lease lost while building, not sent", chat_id)
            return "lost"
        if result is not None and self._first is not None:
            await self._first(chat_id, since=since, until=now, thread=sub.thread_id)
        first, *rest = split_html(html)
        outcome, chat_id, thread = await self._send_first(chat_id, first, sub.thread_id)
        if outcome == "sent":
            # Telegram accepted the digest: the day is done, whatever happens to the rest.
            await self._mark_sent(chat_id, local_date, now, sub.tz)
            if self._events is not None:
                await self._events.record_off_loop(DIGEST_SENT, chat_id=chat_id, detail="scheduled")
            if result is not None:  # only this digest is "the last digest" for what is new
                await self._digests.remember_shown(chat_id, result)
            await self._send_rest(chat_id, rest, thread)
        elif outcome == "rejected":
            await self._subs.mark_skipped_off_loop(chat_id, local_date)
        return outcome

    async def _mark_sent(self, chat_id: int, local_date: date, now: datetime, tz: str) -> None:
        if not await self._subs.mark_sent_off_loop(chat_id, local_date, now, tz=tz):
            # Only if a lease lapsed mid-send (or the zone changed meanwhile): say so, as
            # that chat may have had the day's digest twice.
            log.warning("digest for chat %s on %s was already marked sent", chat_id, local_date)

    async def _send_first(
        self, chat_id: int, html: str, thread: int | None
    ) -> tuple[str, int, int | None]:
        """Send the first part; return the outcome and the chat (and topic) it ended up at."""
        outcome = await self._try_send(chat_id, html, thread)
        if isinstance(outcome, ChatMigrated):
            new_id = int(outcome.new_chat_id)
            log.warning("chat %s became supergroup %s: moving its history", chat_id, new_id)
            await self._migrate(chat_id, new_id)
            return await self._send_first(new_id, html, thread)
        if outcome == THREAD_NOT_FOUND and thread is not None:
            log.warning("digest topic %s of chat %s is gone: now sent to the chat", thread, chat_id)
            await self._subs.move_to_chat_off_loop(chat_id)
            return await self._send_first(chat_id, html, None)
        return str(outcome), chat_id, thread

    async def _try_send(  # noqa: PLR0911 - one outcome per kind of Telegram answer
        self, chat_id: int, html: str, thread: int | None
    ) -> str | ChatMigrated:
        try:
            await send_html(self._bot, chat_id, html, message_thread_id=thread)
        except ChatMigrated as exc:
            return exc
        except Forbidden as exc:
            log.warning("chat %s blocked the bot or is gone (%s): unsubscribed", chat_id, exc)
            await self._subs.unsubscribe_off_loop(chat_id)
            return "unsubscribed"
        except BadRequest as exc:
            if THREAD_NOT_FOUND in exc.message.lower():
                return THREAD_NOT_FOUND
            # Telegram will refuse this message every time; retrying would only spam the log.
            log.error("digest for chat %s rejected by Telegram, day skipped: %s", chat_id, exc)  # noqa: TRY400
            return "rejected"
        except TimedOut as exc:
            # No answer, so no acceptance: retried next tick. Telegram may have delivered it
            # anyway; a rare duplicate is the price of never marking an unsent digest.
            log.warning("digest for chat %s timed out, will retry: %s", chat_id, exc)
            return "failed"
        except TelegramError as exc:
            log.warning("digest for chat %s not sent, will retry: %s", chat_id, exc)
            return "failed"
        return "sent"

    async def _send_rest(self, chat_id: int, chunks: list[str], thread: int | None) -> None:
        for chunk in chunks:
            try:
                await send_html(self._bot, chat_id, chunk, message_thread_id=thread)
            except TelegramError as exc:
                log.warning("digest for chat %s cut short after its first part: %s", chat_id, exc)
                return
