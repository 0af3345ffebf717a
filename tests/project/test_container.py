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


def _service(name: str) -> str:
    """Return the lines of one compose service (up to the next service or section)."""
    match = re.search(rf"^  {name}:.*?(?=^  \w[\w-]*:|^\S|\Z)", COMPOSE, re.MULTILINE | re.DOTALL)
    assert match is not None, name
    return match[0]


def test_the_single_process_service_needs_no_profile_and_the_postgresql_ones_do() -> None:
    assert "profiles" not in _service("briefbot")  # `docker compose up -d` as before
    for name in ("postgres", "receiver", "worker"):
        assert 'profiles: ["postgres"]' in _service(name)


def test_one_receiver_and_two_workers_share_the_postgres_service() -> None:
    receiver, worker = _service("receiver"), _service("worker")
    assert (
        "DATABASE_URL: postgresql://briefbot:${POSTGRES_PASSWORD:-}@postgres:5432/briefbot"
        in receiver
    )
    assert 'JOB_WORKERS: "0"' in receiver  # it only receives; the workers answer
    assert "<<: *on-postgres" in worker
    assert 'command: ["worker"]' in worker
    assert "replicas: 2" in worker
    for service in (receiver, worker):
        assert "condition: service_healthy" in service  # never before the database is up
    assert "pg_isready" in _service("postgres")
    assert "- briefbot-postgres:/var/lib/postgresql/data" in _service("postgres")


def test_the_image_has_postgresqls_driver() -> None:
    assert 'pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"' in DOCKERFILE
