"""Daily token budgets: reserve an estimate before every LLM call, book the real figure after."""

from __future__ import annotations

import functools
import json
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.digest.schedule import parse_timezone
from bot.errors import LLMError
from bot.llm.port import REPAIR_ROUNDS, Completion, LLMPort, T
from bot.logs import current_trace
from bot.models import Usage

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ops.stats import Events

log = logging.getLogger(__name__)

# The estimate (stated in docs/operations.md, "Budgets"): a token is about four characters
# of English text. tiktoken would be closer, but it downloads its encodings at run time, and
# the real figure replaces the estimate after every call anyway. A briefing's answer is
# rarely over OUTPUT_ALLOWANCE tokens (what an evaluation run is priced at), but a call
# reserves the longest answer allowed: see worst_case_tokens.
CHARS_PER_TOKEN = 4
OUTPUT_ALLOWANCE = 1000
# The repair request's own words and the validation errors it quotes (at most eight, short).
REPAIR_NOTE_TOKENS = 300

Clock = Callable[[], datetime]


def estimate_tokens(text: str) -> int:
    """Estimate the tokens of `text`: one per four characters, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@functools.cache
def _schema_tokens(schema: type[BaseModel]) -> int:
    # Sent as the response format or in the prompt; the server counts it as input either way.
    return estimate_tokens(json.dumps(schema.model_json_schema(), ensure_ascii=False))


def worst_case_tokens(system: str, user: str, schema: type[BaseModel], max_output: int) -> int:
    """Return the most one call may cost: every answer the longest, every repair round used.

    Each repair round re-sends the prompt with every earlier answer and a note, and is
    answered again: round k costs prompt + k * (answer + note) + answer.
    """
    prompt = estimate_tokens(system) + estimate_tokens(user) + _schema_tokens(schema)
    rounds = range(REPAIR_ROUNDS + 1)
    return sum(prompt + k * (max_output + REPAIR_NOTE_TOKENS) + max_output for k in rounds)


@dataclass(frozen=True)
class Payer:
    """Who an LLM call is charged to: the user who asked (None for scheduled work) and the chat."""

    user_id: int | None = None
    chat_id: int | None = None


# A context variable, not a parameter: the payer is known where a request enters (a handler,
# the CLI, the digest job) and needed where the call leaves (this module), with services between.
_NOBODY = Payer()
_payer: ContextVar[Payer] = ContextVar("briefbot_payer", default=_NOBODY)


@contextmanager
def charged_to(user_id: int | None, chat_id: int | None) -> Iterator[None]:
    """Charge the LLM calls made inside the block to this user and chat."""
    token = _payer.set(Payer(user_id, chat_id))
    try:
        yield
    finally:
        _payer.reset(token)


def current_payer() -> Payer:
    """Return who the LLM calls made now are charged to."""
    return _payer.get()


class BudgetExceededError(LLMError):
    """A call would go over a daily token budget, so it was not made."""

    kind = "budget"

    def __init__(self, scope: str, limit: int, resets_at: datetime, now: datetime) -> None:
        self.scope, self.limit, self.resets_at = scope, limit, resets_at
        self._now = now
        super().__init__(
            f"{scope} daily token budget ({limit:,} tokens) would be exceeded; "
            f"it resets at {resets_at.isoformat()}"
        )

    @property
    def user_message(self) -> str:
        """Name the budget and when it resets, in words a chat user reads at a glance."""
        whose = "your daily" if self.scope == "user" else "the bot's shared daily"
        hours = (self.resets_at - self._now).total_seconds() / 3600
        wait = f"about {math.ceil(hours)} h" if hours >= 1 else "less than an hour"
        zone = self.resets_at.tzname() or "UTC"
        return (
            f"{whose} budget of {self.limit:,} LLM tokens is used up. It resets at "
            f"{self.resets_at:%H:%M} {zone} (in {wait}); articles already briefed still "
            "come from the cache."
        )


@dataclass(frozen=True)
class Reservation:
    """Tokens set aside for one call in flight."""

    user_id: int | None
    tokens: int
    hold: int | None = None  # its row in budget_holds, when processes share the budgets


class TokenBudget:
    """USER_DAILY_TOKEN_BUDGET and GLOBAL_DAILY_TOKEN_BUDGET, days in BUDGET_TZ."""

    def __init__(self, settings: Settings, events: Events, *, clock: Clock | None = None) -> None:
        self._user_limit = settings.user_daily_token_budget
        self._global_limit = settings.global_daily_token_budget
        self._zone = parse_timezone(settings.budget_tz)
        self._events = events
        self._clock = clock or (lambda: datetime.now(UTC))
        # Reservations live in memory: check-and-reserve runs with no await in between, so on
        # one event loop no two calls can both see the same headroom.
        self._reserved: Counter[int | None] = Counter()

    @property
    def enabled(self) -> bool:
        """Tell whether any budget is set."""
        return bool(self._user_limit or self._global_limit)

    def day_bounds(self) -> tuple[datetime, datetime]:
        """Return the start of today and of tomorrow in BUDGET_TZ."""
        local = self._clock().astimezone(self._zone)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        # Aware arithmetic on a ZoneInfo is wall-clock arithmetic: the next local midnight,
        # whatever the DST change in between.
        return start, start + timedelta(days=1)

    def reserve(self, user_id: int | None, tokens: int) -> Reservation:
        """Set `tokens` aside, or raise BudgetExceededError naming the budget it would break."""
        if self.enabled:
            start, reset = self.day_bounds()
            now = self._clock()
            if self._global_limit:
                spent = self._events.tokens_since(start) + self._reserved.total()
                if spent + tokens > self._global_limit:
                    raise BudgetExceededError("global", self._global_limit, reset, now)
            if self._user_limit and user_id is not None:
                spent = self._events.tokens_since(start, user_id=user_id)
                if spent + self._reserved[user_id] + tokens > self._user_limit:
                    raise BudgetExceededError("user", self._user_limit, reset, now)
        self._reserved[user_id] += tokens
        return Reservation(user_id, tokens)

    async def reserve_off_loop(self, user_id: int | None, tokens: int) -> Reservation:
        """Reserve as `reserve` does; SharedTokenBudget does it on the database thread."""
        return self.reserve(user_id, tokens)  # in memory: no await between check and reserve

    def release(self, reservation: Reservation) -> None:
        """Give a reservation back (the real figure has been booked, or nothing was spent)."""
        self._reserved[reservation.user_id] -= reservation.tokens
        if self._reserved[reservation.user_id] <= 0:
            del self._reserved[reservation.user_id]

    async def release_off_loop(self, reservation: Reservation) -> None:
        """Release as `release` does; SharedTokenBudget does it on the database thread."""
        self.release(reservation)


def purpose_of(schema: type[object]) -> str:
    """Name what a call is for from the schema it asks for (BriefingDraft → "briefing")."""
    return schema.__name__.removesuffix("Draft").lower() or "other"


class MeteredLLM:
    """An LLMPort that checks the budgets before each call and books what each call cost."""

    def __init__(
        self, inner: LLMPort, budget: TokenBudget, events: Events, settings: Settings
    ) -> None:
        self._inner = inner
        self._budget = budget
        self._events = events
        self._max_output = settings.llm_max_output_tokens

    @property
    def model(self) -> str:
        """Return the wrapped model's name."""
        return self._inner.model

    async def warm_up(self) -> None:
        """Let the wrapped LLM get ready before the first call, if it can."""
        warm = getattr(self._inner, "warm_up", None)
        if warm is not None:
            await warm()

    async def aclose(self) -> None:
        """Close the wrapped adapter."""
        await self._inner.aclose()

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Reserve the worst case, make the call, book the real usage (failed calls too)."""
        payer = current_payer()
        worst = worst_case_tokens(system, user, schema, self._max_output)
        reservation = await self._budget.reserve_off_loop(payer.user_id, worst)
        started = time.monotonic()
        usage: Usage | None = None
        failure: str | None = None
        try:
            completion = await self._inner.complete(system=system, user=user, schema=schema)
            usage = completion.usage
        except LLMError as exc:
            usage, failure = exc.usage, type(exc).__name__
            raise
        finally:
            ms = round((time.monotonic() - started) * 1000)
            if usage is not None:
                # Booked before the reservation goes, so a budget check never sees neither.
                await self._book(schema, payer, usage, ms, failure)
            await self._budget.release_off_loop(reservation)
        return completion

    async def _book(
        self, schema: type[object], payer: Payer, usage: Usage, ms: int, failure: str | None
    ) -> None:
        await self._events.record_llm_off_loop(
            purpose_of(schema), self.model, usage, payer.user_id, payer.chat_id, ms, failure
        )
        if (trace := current_trace()) is not None:
            trace.add_llm(ms, usage.prompt_tokens + usage.completion_tokens)
