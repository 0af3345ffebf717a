"""`briefbot` as a user runs it: a real subprocess against the fake LLM server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.briefbot_env import cli_env
from tests.briefings import KOREA_FOOTER, fixture, korea_briefing
from tests.fake_llm import FakeLLM, Reply


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, input=stdin, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "korea.txt"
    path.write_text(fixture("korea.txt"), encoding="utf-8")
    return path


def test_brief_then_repeat_is_cached_with_zero_calls(
    tmp_path, fake_llm: FakeLLM, article_file
) -> None:
    env = cli_env(tmp_path, fake_llm)
    fake_llm.script(Reply(content=korea_briefing()))
    first = run(["brief", str(article_file)], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("North Korea fires missile as allies drill\n")  # not upper-cased
    assert KOREA_FOOTER in " ".join(first.stdout.split())
    assert "from cache" not in first.stderr
    second = run(["brief", "-"], env, stdin="\n" + fixture("korea.txt").replace("\n\n", "\n  \n"))
    assert second.returncode == 0, second.stderr
    assert "from cache: no LLM call" in second.stderr
    assert fake_llm.calls == 1
    as_json = run(["brief", "--json", str(article_file)], env)
    stored = json.loads(as_json.stdout)
    assert stored["briefing"]["actors"][1]["aliases"] == ["Pyongyang", "DPRK"]
    assert fake_llm.calls == 1


def test_unconfigured_llm_gives_the_extractive_briefing_and_says_what_to_set(
    tmp_path, article_file
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "LLM"))}
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    result = run(["brief", str(article_file)], env)
    assert result.returncode == 0, result.stderr
    assert "Made without the language model: no language model is configured." in result.stdout
    assert result.stderr.count("\n") == 1
    assert "OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    as_json = json.loads(run(["brief", "--json", str(article_file)], env).stdout)
    assert as_json["model"] == "extractive"
    assert as_json["extractive_reason"] == "no language model is configured"


@pytest.mark.parametrize(
    ("name", "value", "expect"),
    [
        ("LLM_MAX_CONCURRENCY", "lots", "LLM_MAX_CONCURRENCY"),
        ("ALLOWED_USER_IDS", "12,abc", "ALLOWED_USER_IDS"),
        ("LLM_RESPONSE_FORMAT", "xml", "LLM_RESPONSE_FORMAT"),
        ("LLM_TIMEOUT_S", "-1", "LLM_TIMEOUT_S"),
        ("LOG_LEVEL", "verbose", "LOG_LEVEL"),
        ("DIGEST_DEFAULT_TZ", "Mars/Olympus", "DIGEST_DEFAULT_TZ"),
        ("DIGEST_DEFAULT_TIME", "25:00", "DIGEST_DEFAULT_TIME"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot", "TELEGRAM_API_BASE_URL"),
        ("OPENAI_BASE_URL", "localhost:11434", "OPENAI_BASE_URL"),
        ("BOT_DATA_DIR", "/proc/briefbot-cannot-be-here", "BOT_DATA_DIR"),
        ("PROMPTS_DIR", "/nonexistent/prompts", "PROMPTS_DIR"),
    ],
)
def test_invalid_setting_exits_2_naming_the_variable(
    tmp_path, fake_llm, article_file, name, value, expect
) -> None:
    env = cli_env(tmp_path, fake_llm) | {name: value}
    result = run(["brief", str(article_file)], env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"briefbot: configuration error: {expect}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["brief", "/nonexistent/file.txt"], None, "No such file"),
        (["brief", "-"], "too short", "too short to brief"),
        (["brief", "-"], "", "too short to brief"),
    ],
)
def test_bad_input_gets_a_clear_error(tmp_path, fake_llm, args, stdin, message) -> None:
    result = run(args, cli_env(tmp_path, fake_llm), stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert fake_llm.calls == 0


def test_binary_file_is_refused(tmp_path, fake_llm) -> None:
    path = tmp_path / "image.bin"
    path.write_bytes(b"\xff\xd8\xff\xe0" * 100)
    result = run(["brief", str(path)], cli_env(tmp_path, fake_llm))
    assert result.returncode == 1
    assert "not UTF-8 text" in result.stderr


def test_llm_failure_is_one_line_and_secret_free(tmp_path, fake_llm, article_file) -> None:
    fake_llm.script(*[Reply(status=401, error="invalid key sk-test-secret")])
    result = run(["brief", str(article_file)], cli_env(tmp_path, fake_llm))
    assert result.returncode == 0  # the extractive briefing, labelled
    assert (
        "Made without the language model: the language model service is misconfigured"
        in result.stdout
    )
    [operator_line, note] = result.stderr.splitlines()
    assert "check OPENAI_API_KEY (HTTP 401)" in operator_line
    assert note.endswith("Run it again later for the full briefing.)")
    assert fake_llm.calls == 1  # a 401 is never retried
    assert "sk-test-secret" not in result.stderr
    assert "Traceback" not in result.stderr


async def test_who_and_digest_commands_read_a_chats_history(tmp_path, fake_llm, services) -> None:
    from datetime import UTC, datetime

    from bot.articles.text import make_article
    from tests.briefings import korea2_briefing, newsroom

    fake_llm.responder = newsroom({"Pyongyang fires": korea_briefing(),
                                   "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
    for text in (fixture("korea.txt"), fixture("korea2.txt")):
        article = make_article(text)
        await services.briefing.brief(article)
        services.index.record_chat_article(42, article.content_hash, message_id=1,
                                           received_at=datetime.now(UTC), title=None, source=None)  # fmt: skip
    env = cli_env(tmp_path, fake_llm)
    who = run(["who", "pyongyang", "--chat", "42"], env)
    assert who.returncode == 0, who.stderr
    assert who.stdout.startswith("North Korea · state")
    assert "🔄 North Korea on talks with the United States: ❌ opposes" in who.stdout
    assert "“will never sit at the table" in who.stdout
    assert "No actor “Putin”" in run(["who", "Putin", "--chat", "42"], env).stderr
    assert "Kim Jong Un" not in run(["who", "--chat", "43"], env).stdout  # another chat
    calls = fake_llm.calls
    digest = run(["digest", "--chat", "42"], env)
    assert digest.returncode == 0, digest.stderr
    assert digest.stdout.startswith("DIGEST OF 2 ARTICLES")
    assert "North Korea on talks with the United States: opposes → supports" in digest.stdout
    assert fake_llm.calls == calls + 1
    again = run(["digest", "--chat", "42"], env)
    assert "from cache" in again.stderr
    assert fake_llm.calls == calls + 1
    empty = run(["digest", "--chat", "43"], env)
    assert empty.returncode == 1
    assert "No briefed articles in chat 43" in empty.stderr
