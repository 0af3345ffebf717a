"""Environment for running briefbot as a subprocess against the fakes."""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import Settings
from tests.fake_llm import FakeLLM


def cli_env(tmp_path: Path, fake_llm: FakeLLM) -> dict[str, str]:
    """Return a clean environment pointing the CLI at the fake LLM and a temp data dir."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        OPENAI_BASE_URL=fake_llm.base_url,
        OPENAI_API_KEY="sk-test-secret",
        LLM_MODEL="fake-model",
        BOT_DATA_DIR=str(tmp_path / "data"),
        LLM_MAX_ATTEMPTS="2",
    )
    return env
