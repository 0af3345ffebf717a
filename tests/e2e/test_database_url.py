"""DATABASE_URL: the whole store on PostgreSQL, `briefbot check` on it, and its one-line errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.errors import ConfigError
from bot.services import build_services
from bot.store.schema.sqlite_file import HEAD
from tests.postgres import libpq_url

ARTICLE = (
    "SEOUL, Dec 7 (Reuters) - North Korean leader Kim Jong Un said on Monday that his country "
    'would never give up its nuclear deterrent, state media reported. "We will never give up '
    'our deterrent," Kim said at a party meeting in Pyongyang, according to KCNA. Analysts '
    "said the remarks were aimed at Washington ahead of talks planned for next month.\n"
) * 3


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def keyless(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No Telegram, no LLM; the data directory a path that must stay unused."""
    for name in ("TELEGRAM_BOT_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "data"
    monkeypatch.setenv("BOT_DATA_DIR", str(data))
    return data


def test_a_url_that_is_not_postgresql_is_refused_without_being_echoed() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(database_url="mysql://root:hunter2@db/briefbot")
    assert str(refused.value).startswith("DATABASE_URL: ")
    assert "hunter2" not in str(refused.value)
    assert "postgresql://user:password@host:5432/database" in str(refused.value)


def test_its_password_is_among_the_secrets_the_logs_hide() -> None:
    settings = load_settings(database_url="postgresql://bot:s3cr%21t@db:5432/briefbot")
    assert settings.database_password == "s3cr%21t"
    assert "s3cr%21t" in settings.secrets()
    assert "s3cr" not in repr(settings)


def test_the_store_is_postgresql_and_the_data_directory_stays_untouched(
    keyless: Path, postgres_url: str
) -> None:
    services = build_services(load_settings(database_url=libpq_url(postgres_url)))
    try:
        assert services.index.engine == "postgresql"
        assert services.index.blobs is not None  # briefings and texts are rows, not files
    finally:
        services.index.close()
    assert not keyless.exists()


def test_briefbot_brief_keeps_everything_in_postgresql(
    keyless: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", libpq_url(postgres_url))
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    assert main(["brief", str(article)]) == 0
    first = capsys.readouterr().out
    assert "Kim Jong Un" in first
    assert main(["brief", str(article)]) == 0  # the second time from PostgreSQL's cache
    assert capsys.readouterr().out == first
    assert not keyless.exists()
    import psycopg

    with psycopg.connect(libpq_url(postgres_url)) as db:
        kinds = {row[0] for row in db.execute("SELECT kind FROM blobs")}
        briefed = db.execute("SELECT count(*) FROM briefings").fetchone()
    assert {"briefings", "articles"} <= kinds
    assert briefed == (1,)


def test_a_server_that_is_down_is_said_in_one_line_without_the_password(keyless: Path) -> None:
    url = f"postgresql://bot:hunter2@127.0.0.1:{_closed_port()}/briefbot?connect_timeout=2"
    with pytest.raises(ConfigError) as refused:
        build_services(load_settings(database_url=url))
    said = str(refused.value)
    assert said.startswith("DATABASE_URL: cannot use postgresql+psycopg://bot:***@127.0.0.1:")
    assert "hunter2" not in said
    assert "\n" not in said


def test_check_reports_an_empty_then_a_current_database(
    keyless: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", libpq_url(postgres_url))
    assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == "- data dir: not used: DATABASE_URL holds everything"
    assert lines[4].startswith("✓ database: PostgreSQL postgresql+psycopg://postgres@127.0.0.1:")
    assert lines[4].endswith("empty: the schema is made at the first start")
    build_services(load_settings()).index.close()
    assert main(["check"]) == 0
    assert capsys.readouterr().out.splitlines()[4].endswith(f", schema {HEAD} (current)")
    assert not keyless.exists()


def test_check_fails_on_a_server_that_is_down(
    keyless: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://bot:hunter2@127.0.0.1:{_closed_port()}/briefbot?connect_timeout=2"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("✗ database"))
    assert "Cannot reach PostgreSQL at 127.0.0.1:" in line
    assert "start the server, or fix DATABASE_URL" in line
    assert "hunter2" not in out
