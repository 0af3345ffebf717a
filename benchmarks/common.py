"""Shared pieces of the benchmark table: results, percentiles, a loop-lag probe, a bot."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

from tests.briefings import echo_briefing
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.harness import USER, Bot, running_bot, settings_for

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

    def __init__(self, stall_s: float = 0.02) -> None:
        self.worst = 0.0
        self.stalls = 0  # how many times the loop stalled `stall_s` or more
        # The most CPU the loop thread itself used in one stretch: on a shared machine a
        # stretch also holds time the thread waited for a core (or the GIL), not its work.
        self.worst_cpu = 0.0
        self._stall_s = stall_s
        self._task: asyncio.Task[None] | None = None

    async def _probe(self) -> None:
        while True:
            before, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.001)
            lag = time.perf_counter() - before - 0.001
            self.worst = max(self.worst, lag)
            self.worst_cpu = max(self.worst_cpu, time.thread_time() - cpu)
            self.stalls += lag >= self._stall_s

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


@dataclass
class RemoteBot:
    """The bot under test in its own process (benchmarks/botproc.py) and the fakes it talks to."""

    tg: FakeTelegram
    llm: FakeLLM
    process: subprocess.Popen[str]
    stats: dict[str, float] = field(default_factory=dict)  # lag_ms, rss_mb once stopped

    def reset_lag(self) -> None:
        """Forget the bot's loop lag so far (start-up is not what is measured)."""
        assert self.process.stdin is not None
        self.process.stdin.write("reset\n")
        self.process.stdin.flush()

    async def replies(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - the same signature as tests.harness.Bot
    ) -> list[dict[str, Any]]:
        """Wait until the bot has sent at least `count` messages to the chat; return them all."""
        await self.tg.wait_for(lambda: len(self.tg.sent_messages(chat_id)) >= count, timeout)
        return self.tg.sent_messages(chat_id)


def _child_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("OPENAI_", "LLM_", "TELEGRAM_", "BOT_", "ALLOWED_"))
    }  # fmt: skip
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [os.environ.get("PYTHONPATH"), str(Path(__file__).resolve().parent.parent)])
    )
    return env


# BENCH_BOT_IN_PROCESS=1 runs the bot in the benchmark's process beside the fakes, as the
# table did before: only to show what the harness alone changes in the figures.
IN_PROCESS = os.environ.get("BENCH_BOT_IN_PROCESS") == "1"


def bot_on(
    data_dir: Path, **kwargs: Any
) -> contextlib.AbstractAsyncContextManager[Bot | RemoteBot]:
    """Run the whole bot against fresh fakes: in its own process unless IN_PROCESS."""
    return bot_in_process(data_dir, **kwargs) if IN_PROCESS else bot_in_child(data_dir, **kwargs)


@contextlib.asynccontextmanager
async def bot_in_child(
    data_dir: Path,
    *,
    latency: float = 0.0,
    users: list[int] | None = None,
    rate_limits: bool = False,
    **settings: Any,
) -> AsyncIterator[RemoteBot]:
    """Run the whole bot in its own process against fresh fakes in this one.

    The LLM answers after `latency`. The bot's figures are then its own: the fake servers'
    threads no longer share its interpreter (and GIL) — see benchmarks/botproc.py.
    """
    allowed = ",".join(map(str, users or [USER]))
    with (
        FakeLLM(slow_echo(latency)) as llm,
        FakeTelegram(rate_limits=rate_limits) as tg,
    ):
        values: dict[str, Any] = {
            "bot_data_dir": str(data_dir),
            "openai_base_url": llm.base_url,
            "openai_api_key": "sk-bench",
            "llm_model": "fake-model",
            "album_window_s": 0.3,
            "telegram_bot_token": tg.token,
            "telegram_api_base_url": tg.base_url,
            "allowed_user_ids": allowed,
            "user_rate_limit_per_hour": MANY,
            "llm_timeout_s": 60.0,
            **settings,
        }
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        with (data_dir.parent / f"{data_dir.name}.log").open("w") as log:
            process = subprocess.Popen(  # noqa: ASYNC220 - once, before anything is timed
                [sys.executable, "-m", "benchmarks.botproc", json.dumps(values)],
                cwd=data_dir.parent, env=_child_env(), text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            )  # fmt: skip
        assert process.stdin is not None
        assert process.stdout is not None
        bot = RemoteBot(tg, llm, process)
        try:
            line = await asyncio.to_thread(process.stdout.readline)
            if line.strip() != "ready":
                msg = f"the bot did not start: see {data_dir.parent / data_dir.name}.log"
                raise RuntimeError(msg)
            yield bot
        finally:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write("stop\n")
                process.stdin.flush()
            out = await asyncio.to_thread(process.stdout.read)
            await asyncio.to_thread(process.wait, 60)
            lines = out.strip().splitlines()
            if lines:
                bot.stats.update(json.loads(lines[-1]))


@contextlib.asynccontextmanager
async def bot_in_process(
    data_dir: Path,
    *,
    latency: float = 0.0,
    users: list[int] | None = None,
    rate_limits: bool = False,
    **settings: Any,
) -> AsyncIterator[Bot]:
    """Run the whole bot in this process, the fakes as threads beside it (the old harness)."""
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


def reply_times(bot: Bot | RemoteBot, chat_id: int) -> dict[int, float]:
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
