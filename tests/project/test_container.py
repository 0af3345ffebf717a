"""The container files say what docs/operations.md promises (no Docker daemon needed to check this)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = (ROOT / "compose.yaml").read_text(encoding="utf-8")


def final_stage() -> str:
    return DOCKERFILE.rsplit("\nFROM ", 1)[1]


def test_image_runs_as_a_non_root_user_on_a_slim_base() -> None:
    stage = final_stage()
    assert stage.startswith("python:3.11-slim")
    [user] = re.findall(r"^USER (\S+)$", stage, re.MULTILINE)
    assert user not in {"root", "0"}
    assert 'ENTRYPOINT ["briefbot"]' in stage


def test_data_dir_is_the_volume_and_no_build_tools_are_installed() -> None:
    stage = final_stage()
    assert "BOT_DATA_DIR=/data" in stage
    assert 'VOLUME ["/data"]' in stage
    assert not re.search(r"apt-get|build-essential|gcc", DOCKERFILE)
    assert "rm -rf /wheels" in stage


def test_image_ships_the_prompts_and_never_the_env_file() -> None:
    assert "COPY prompts ./prompts" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored
    assert ".git" in ignored


def test_compose_runs_the_bot_with_env_and_a_named_volume() -> None:
    assert "env_file: .env" in COMPOSE
    assert "- briefbot-data:/data" in COMPOSE
    assert "restart: unless-stopped" in COMPOSE
