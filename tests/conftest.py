"""Shared fixtures: isolated settings, the fake LLM server, services wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, load_settings
from bot.llm import OpenAIAdapter
from bot.services import Services, build_services
from tests.fake_llm import FakeLLM


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
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bot_data_dir": tmp_path / "data",
            "openai_base_url": fake_llm.base_url,
            "openai_api_key": "sk-test-secret",
            "llm_model": "fake-model",
            "llm_timeout_s": 5.0,
        }
        values.update(overrides)
        return load_settings(**values)

    return make


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
async def services(settings: Settings, sleeps: SleepRecorder) -> AsyncIterator[Services]:
    adapter = OpenAIAdapter(settings, sleep=sleeps, backoff_base_s=0.01)
    built = build_services(settings, llm=adapter)
    yield built
    await built.aclose()
