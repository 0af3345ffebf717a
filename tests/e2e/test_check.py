"""`briefbot check` against the fakes, with each dependency broken in turn."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli import main
from bot.store.index import Index
from bot.store.schema.sqlite_file import HEAD
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram

Breaker = Callable[[pytest.MonkeyPatch, FakeTelegram, FakeLLM, Path], None]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def healthy(
    monkeypatch: pytest.MonkeyPatch, tg: FakeTelegram, fake_llm: FakeLLM, tmp_path: Path
) -> None:
    """Point every setting at a working fake."""
    for name, value in {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "OPENAI_BASE_URL": fake_llm.base_url,
        "OPENAI_API_KEY": "sk-test-secret",
        "LLM_MODEL": "fake-model",
        "BOT_DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(name, value)


def run_check(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["check"])
    return status, capsys.readouterr().out.splitlines()


@pytest.mark.usefixtures("healthy")
def test_all_checks_pass_with_one_line_each(capsys, tg: FakeTelegram) -> None:
    status, lines = run_check(capsys)
    assert status == 0
    assert [line.split(":")[0] for line in lines] == [
        "✓ settings", "✓ telegram", "✓ llm", "✓ data dir", "✓ database", "✓ prompts",
    ]  # fmt: skip
    assert "@briefbot_test_bot" in lines[1]
    assert "fake-model" in lines[2]
    assert lines[4] == f"✓ database: none yet: made at the first start (schema {HEAD})"
    assert "briefing v5" in lines[5]
    assert "digest v3" in lines[5]
    assert "merge v3" in lines[5]
    assert tg.token not in "\n".join(lines)


def _bad_token(mp, tg, _llm, _tmp) -> None:
    mp.setenv("TELEGRAM_BOT_TOKEN", "123:wrong-token-for-check")


def _telegram_down(mp, _tg, _llm, _tmp) -> None:
    mp.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{_closed_port()}/bot")


def _model_not_offered(mp, _tg, llm, _tmp) -> None:
    llm.models = ["other-model", "another-model"]


def _llm_down(mp, _tg, _llm, _tmp) -> None:
    mp.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")


def _llm_rejects_key(mp, _tg, llm, _tmp) -> None:
    llm.models_status = 401


def _data_dir_is_a_file(mp, _tg, _llm, tmp) -> None:
    blocker = tmp / "not-a-dir"
    blocker.write_text("x")
    mp.setenv("BOT_DATA_DIR", str(blocker / "data"))


def _database_from_a_newer_briefbot(mp, _tg, _llm, tmp) -> None:
    Index(tmp / "data" / "index.sqlite3").close()
    with sqlite3.connect(tmp / "data" / "index.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")


def _database_not_a_database(mp, _tg, _llm, tmp) -> None:
    (tmp / "data").mkdir()
    (tmp / "data" / "index.sqlite3").write_text("this is not SQLite " * 100)


def _broken_prompts(mp, _tg, _llm, tmp) -> None:
    folder = tmp / "prompts"
    folder.mkdir()
    (folder / "briefing.md").write_text("no header at all\n")
    mp.setenv("PROMPTS_DIR", str(folder))


@pytest.mark.usefixtures("healthy")
@pytest.mark.parametrize(
    ("breaker", "failed", "hint"),
    [
        (_bad_token, "telegram", "TELEGRAM_BOT_TOKEN"),
        (_telegram_down, "telegram", "TELEGRAM_API_BASE_URL"),
        (_model_not_offered, "llm", "set LLM_MODEL to one it offers: another-model, other-model"),
        (_llm_down, "llm", "OPENAI_BASE_URL"),
        (_llm_rejects_key, "llm", "OPENAI_API_KEY"),
        (_data_dir_is_a_file, "data dir", "BOT_DATA_DIR"),
        pytest.param(
            _database_from_a_newer_briefbot,
            "database",
            "upgrade briefbot, or restore a backup",
            marks=pytest.mark.sqlite_only("stamps the file itself"),
        ),
        (_database_not_a_database, "database", "restore it from a backup"),
        (_broken_prompts, "prompts", "PROMPTS_DIR"),
    ],
)
def test_each_broken_dependency_fails_alone_with_a_hint(
    capsys, monkeypatch, tg, fake_llm, tmp_path, breaker: Breaker, failed: str, hint: str
) -> None:
    breaker(monkeypatch, tg, fake_llm, tmp_path)
    status, lines = run_check(capsys)
    assert status == 1
    bad = [line for line in lines if line.startswith("✗")]
    assert len(bad) == 1, lines
    assert bad[0].startswith(f"✗ {failed}:")
    assert hint in bad[0]
    assert len(lines) == 6  # every check still ran and reported
    assert "wrong-token-for-check" not in "\n".join(lines)


@pytest.mark.usefixtures("healthy")
@pytest.mark.sqlite_only("a file from before Alembic, which only SQLite deployments have")
def test_a_database_from_before_schema_versions_is_reported_not_changed(
    capsys, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "index.sqlite3"
    path.parent.mkdir()
    fixture = Path(__file__).parents[1] / "fixtures" / "index_before_alembic.sql"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(fixture.read_text())
    before = path.read_bytes()
    status, lines = run_check(capsys)
    assert status == 0
    assert lines[4].endswith(
        f"index.sqlite3, from before schema versions: upgraded in place to {HEAD} at the next start"
    )
    assert path.read_bytes() == before  # check reads; the bot upgrades
    Index(path).close()
    status, lines = run_check(capsys)
    assert lines[4].endswith(f"index.sqlite3, schema {HEAD} (current)")


@pytest.mark.usefixtures("healthy")
def test_invalid_settings_fail_first_and_exit_2(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    status, lines = run_check(capsys)
    assert status == 2
    assert lines == [lines[0]]
    assert lines[0].startswith("✗ settings: LOG_LEVEL")


@pytest.mark.usefixtures("healthy")
def test_no_token_is_not_used_for_the_terminal(capsys, monkeypatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    status, lines = run_check(capsys)
    assert status == 0, lines
    assert lines[1].startswith("- telegram: not used (no token)")
    assert not any(line.startswith("✗") for line in lines)


@pytest.mark.usefixtures("healthy")
@pytest.mark.parametrize("purpose", [[], ["--for", "run"]])
def test_no_llm_is_not_a_failure_the_bot_briefs_without_one(
    capsys, monkeypatch, purpose: list[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("OPENAI_BASE_URL")
    status = main(["check", *purpose])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0, lines
    [llm] = [line for line in lines if "llm:" in line]
    assert llm.startswith("- llm: not configured (briefings are extractive until one is)")
    assert "OPENAI_API_KEY" in llm


@pytest.mark.usefixtures("healthy")
def test_no_token_fails_the_check_for_run_in_one_line(capsys, monkeypatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    status = main(["check", "--for", "run"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    [bad] = [line for line in lines if line.startswith("✗")]
    assert bad.startswith("✗ telegram: no token") and "TELEGRAM_BOT_TOKEN" in bad
