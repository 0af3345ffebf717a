"""Shared set-up for benchmarks: the test fakes and settings in a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings
from tests.fake_llm import FakeLLM


def settings_factory(tmp: Path, llm: FakeLLM) -> Callable[..., Settings]:
    """Return a make_settings like the tests' fixture."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bot_data_dir": tmp / "data",
            "openai_base_url": llm.base_url,
            "openai_api_key": "bench",
            "llm_model": "fake-model",
        }
        values.update(overrides)
        return load_settings(**values)

    return make
