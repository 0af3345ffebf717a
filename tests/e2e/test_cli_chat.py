"""The terminal as a chat: `briefbot brief --chat` feeds `who` and `digest`; help for every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import COMMANDS, _parser, main
from tests.briefings import fixture, korea_briefing, newsroom
from tests.fake_llm import FakeLLM, Reply

CHAT = 4242


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, fake_llm: FakeLLM, tmp_path: Path) -> Path:
    for name, value in {
        "OPENAI_BASE_URL": fake_llm.base_url,
        "OPENAI_API_KEY": "sk-test-secret",
        "LLM_MODEL": "fake-model",
        "BOT_DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(name, value)
    article = tmp_path / "korea.txt"
    article.write_text(fixture("korea.txt"), encoding="utf-8")
    return article


def test_brief_into_a_chat_feeds_who_and_digest(env: Path, fake_llm: FakeLLM, capsys) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    assert main(["who", "--chat", str(CHAT), "Kim"]) == 1  # nothing in the chat yet
    capsys.readouterr()
    assert main(["brief", "--chat", str(CHAT), str(env)]) == 0
    assert f"recorded in chat {CHAT}'s history" in capsys.readouterr().err
    assert main(["who", "--chat", str(CHAT), "Kim"]) == 0
    assert "Kim Jong Un" in capsys.readouterr().out
    assert main(["digest", "--chat", str(CHAT)]) == 0
    digest = capsys.readouterr().out
    assert "1 article" in digest and "Made without" not in digest
    assert fake_llm.calls == 2  # the briefing, then the digest of the chat's one article
    assert main(["who", "--chat", str(CHAT + 1), "Kim"]) == 1  # another chat: still empty


def test_brief_lang_writes_in_that_language(env: Path, fake_llm: FakeLLM, capsys) -> None:
    fake_llm.script(Reply(content=korea_briefing()))
    assert main(["brief", "--lang", "French", str(env)]) == 0
    [request] = fake_llm.requests
    assert "Write the briefing in French." in str(request.body)


def test_brief_lang_rejects_an_unknown_language(env: Path, capsys) -> None:
    assert main(["brief", "--lang", "Klingonese", str(env)]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_description(command: str) -> None:
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices[command].description, command  # type: ignore[index]
    assert len(sub.choices[command].description) > 30  # type: ignore[index]
