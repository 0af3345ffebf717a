"""A newcomer's first run, as the README tells it: no keys, the example .env, two commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from tests.briefings import fixture

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
@pytest.mark.parametrize("blank", ["", "   "])
def test_every_blank_setting_means_not_set(monkeypatch, name: str, blank: str) -> None:
    monkeypatch.setenv(name.upper(), blank)
    assert getattr(load_settings(), name) == getattr(Settings(), name)


def test_blank_environment_value_does_not_hide_the_env_file(monkeypatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("LLM_MODEL=qwen2.5:14b\nPROMPTS_DIR=\n", encoding="utf-8")
    monkeypatch.setenv("LLM_MODEL", "")
    settings = load_settings()
    assert settings.llm_model == "qwen2.5:14b"
    assert settings.prompts_dir is None
    assert not settings.llm_configured


def _newcomer_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    # If anything tried to reach OpenAI it would hit this dead proxy and say "not answering".
    return env | {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # The checked-out package under the current interpreter, in a fresh directory: what
    # `pip install .` gives, minus the install (the CI's wheel check covers packaging).
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=_newcomer_env(),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.sqlite_only("the newcomer's default store: an SQLite file in ./summaries")
def test_readme_quick_start_works_verbatim_with_no_keys(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(REPO / ".env.example", fresh / ".env")  # cp .env.example .env
    (fresh / "article.txt").write_text(fixture("korea.txt"), encoding="utf-8")

    brief = _run(["brief", "article.txt"], fresh)
    assert brief.returncode == 0, brief.stderr
    assert "Traceback" not in brief.stderr + brief.stdout
    assert "Made without the language model: no language model is configured." in brief.stdout
    assert "Kim Jong Un" in brief.stdout
    assert "set OPENAI_API_KEY" in brief.stderr
    assert brief.stderr.count("\n") == 1
    assert (fresh / "summaries" / "index.sqlite3").exists()  # BOT_DATA_DIR's default

    run = _run(["run"], fresh)
    assert run.returncode == 2
    assert run.stderr.startswith("briefbot: configuration error: TELEGRAM_BOT_TOKEN")
    assert run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
