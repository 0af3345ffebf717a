"""Shared pieces of the benchmark table: results, percentiles, a loop-lag probe, a bot."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

from tests.briefings import echo_briefing
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.harness import Bot, running_bot, settings_for

MANY = 1_000_000  # USER_RATE_LIMIT_PER_HOUR for benchmarks: the per-user cap is not measured


@dataclass
class Result:
    """One row of the table."""

    scenario: str
    params: str
    measured: str
    target: str
    met: bool
    figures: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return asdict(self)


def pct(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of `values`, nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(values: list[float]) -> float:
    """Return the median, NaN when empty."""
    return statistics.median(values) if values else float("nan")


class LoopLag:
    """Measure the longest stretch the event loop ran without coming back to a 1 ms timer."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _probe(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            self.worst = max(self.worst, time.perf_counter() - before - 0.001)

    def __enter__(self) -> Self:
        self._task = asyncio.get_running_loop().create_task(self._probe())
        return self

    def __exit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()


def slow_echo(latency: float) -> Callable[[Request], Reply]:
    """Answer every article with an echo briefing after `latency` seconds."""

    def respond(request: Request) -> Reply:
        reply = echo_briefing(request)
        reply.delay_s = latency
        return reply

    return respond


@contextlib.asynccontextmanager
async def bot_on(
    data_dir: Path,
    *,
    latency: float = 0.0,
    users: list[int] | None = None,
    rate_limits: bool = False,
    **settings: Any,
) -> AsyncIterator[Bot]:
    """Run the whole bot against fresh fakes, with the LLM answering after `latency`."""
    allowed = ",".join(map(str, users or [100]))
    with (
        FakeLLM(slow_echo(latency)) as llm,
        FakeTelegram(rate_limits=rate_limits) as tg,
    ):
        make = functools.partial(settings_for, data_dir, llm)
        async with running_bot(
            tg,
            llm,
            make,
            allowed_user_ids=allowed,
            user_rate_limit_per_hour=MANY,
            llm_timeout_s=60.0,
            **settings,
        ) as bot:
            yield bot


def reply_times(bot: Bot, chat_id: int) -> dict[int, float]:
    """Map each message id the bot replied to in this chat to when the reply reached Telegram."""
    found: dict[int, float] = {}
    for request in bot.tg.requests("sendMessage"):
        params = request.params
        if params.get("chat_id") != chat_id or request.status != 200:
            continue
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            found.setdefault(int(reply["message_id"]), request.at)
    return found
