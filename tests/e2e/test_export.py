"""/export and `briefbot export`: the chat's history as a document, every citation in it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.models import Source
from tests.briefbot_env import cli_env
from tests.briefings import fixture
from tests.fake_bot_api import validation
from tests.fake_bot_api.errors import ApiError
from tests.fake_telegram import FakeTelegram
from tests.harness import OTHER_USER, USER, Bot
from tests.who_kit import brief_and_send, person, said, stored

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")


async def _forward(bot: Bot, chat: int, *texts: str) -> None:
    for text in texts:
        before = len(bot.tg.sent_messages(chat))
        bot.tg.user_message(chat, chat, text, forward_origin=bot.tg.origin_channel(username="kw"))
        await bot.replies(chat, before + 1)


async def _export(bot: Bot, chat: int, args: str = "") -> dict[str, Any]:
    before = len(bot.tg.sent_messages(chat)) + len(bot.tg.requests("sendDocument"))
    bot.tg.command(chat, chat, "export", args=args)
    await bot.tg.wait_for(
        lambda: len(bot.tg.sent_messages(chat)) + len(bot.tg.requests("sendDocument")) > before,
        timeout=15,
    )
    return bot.tg.bot_messages(chat)[-1]


def _content(bot: Bot, message: dict[str, Any]) -> str:
    return bot.tg.file_content(message["document"]["file_id"]).decode("utf-8")


async def test_export_sends_the_chats_briefings_with_every_citation(bot: Bot) -> None:
    await _forward(bot, USER, KOREA, KOREA2)
    sent = await _export(bot, USER)
    assert sent["document"]["file_name"].startswith("briefbot-briefings-")
    assert sent["document"]["file_name"].endswith(".md")
    assert sent["caption"] == "2 briefings with their citations, as Markdown."
    text = _content(bot, sent)
    assert "## North Korea fires missile as allies drill" in text
    assert "**TL;DR**" in text and "**Why it matters**" in text
    assert "will never sit at the table" in text  # the quote …
    assert "direct; verified" in text  # … its provenance and check …
    assert "(<https://t.me/kw/1>)" in text  # … its link …
    assert "**Kim Yo Jong**" in text  # … and the second article's actors


async def test_export_stances_as_csv_and_one_actors_history(bot: Bot) -> None:
    await _forward(bot, USER, KOREA, KOREA2)
    sent = await _export(bot, USER, "stances csv")
    assert sent["document"]["file_name"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(_content(bot, sent))))
    assert len(rows) >= 4
    assert {"quote", "provenance", "source", "published", "link"} <= set(rows[0])
    assert all(r["link"].startswith("https://t.me/kw/") for r in rows)
    who = list(
        csv.DictReader(io.StringIO(_content(bot, await _export(bot, USER, "who pyongyang csv"))))
    )
    assert {r["actor"] for r in who} == {"North Korea"}
    assert len(who) == 2
    assert "haven't seen “Putin”" in (await _export(bot, USER, "who Putin"))["text"]
    assert "Several actors match “kim”" in (await _export(bot, USER, "who kim"))["text"]
    assert "document" in await _export(bot, USER)  # the third export this hour (no name missed)
    assert "/export was asked a lot here lately" in (await _export(bot, USER))["text"]


async def test_a_formula_in_a_quote_stays_text_and_chats_stay_apart(bot: Bot) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    made = stored("a1", person("Mallory", said(formula)))
    brief_and_send(bot.services.index, USER, made, day=0)
    rows = list(csv.DictReader(io.StringIO(_content(bot, await _export(bot, USER, "stances csv")))))
    assert rows[0]["quote"] == "'" + formula
    empty = await _export(bot, OTHER_USER)  # another chat: nothing of USER's
    assert "Nothing to export yet" in empty["text"]
    assert "Mallory" not in json.dumps(bot.tg.bot_messages(OTHER_USER))


def test_the_fake_refuses_documents_telegram_refuses() -> None:
    for name, size, status in (("a.md", 0, 400), ("", 10, 400), ("a.md", 50 * 2**20 + 1, 413)):
        with pytest.raises(ApiError) as refused:
            validation.document_upload(name, size)
        assert refused.value.status == status
    validation.document_upload("a.md", 50 * 2**20)  # exactly 50 MB is allowed


async def test_the_fake_takes_a_multipart_document_and_checks_its_caption(
    tg: FakeTelegram, bot: Bot
) -> None:
    from telegram.error import BadRequest

    bot.tg.user_message(USER, USER, "hi")
    ptb = bot.app.bot
    sent = await ptb.send_document(USER, b"# hello\n", filename="x.md", caption="c" * 1024)
    assert sent.document is not None and sent.document.file_name == "x.md"
    assert tg.file_content(sent.document.file_id) == b"# hello\n"
    with pytest.raises(BadRequest, match="caption is too long"):
        await ptb.send_document(USER, b"x", filename="x.md", caption="c" * 1025)
    with pytest.raises(BadRequest, match="non-empty"):
        await ptb.send_document(USER, b"", filename="x.md")


def _cli(
    args: list[str], env: dict[str, str], command: str = "export"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *([command] if command else []), *args], env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip


async def test_briefbot_export_writes_md_csv_and_json(tmp_path, fake_llm, services) -> None:
    for day, quote in enumerate(("We want talks.", "+1 is our answer.")):
        made = stored(f"a{day}", person("Kim Jong Un", said(quote)))
        brief_and_send(services.index, 42, made, day=day)
    services.index.record_chat_article(
        43, "a0", message_id=9, received_at=datetime.now(UTC), title=None,
        source=Source(label="@other", url="https://example.com/a0"),
    )  # fmt: skip
    for day in range(12):  # chat 44: two pages of /who
        made = stored(f"p{day}", person("Kim Jong Un", said(f"Words {day}.")))
        brief_and_send(services.index, 44, made, day=day)
    env = cli_env(tmp_path, fake_llm)
    who = _cli(["who", "Kim Jong Un", "--chat", "44", "--page", "2"], env, command="")
    assert who.returncode == 0, who.stderr
    assert "Page 2 of 2" in who.stdout
    assert "Words 1." in who.stdout and "Words 11." not in who.stdout
    md = _cli(["--chat", "42"], env)
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Briefings of chat 42")
    assert "We want talks\\." in md.stdout and "2 briefings exported." in md.stderr
    out = tmp_path / "kim.csv"
    written = _cli(
        ["--chat", "42", "--format", "csv", "--what", "who", "--name", "kim", "--out", str(out)],
        env,
    )
    assert written.returncode == 0, written.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["quote"] for r in rows] == ["'+1 is our answer.", "We want talks."]
    assert rows[0]["link"] == "https://t.me/wire/2"
    data = json.loads(_cli(["--chat", "43", "--format", "json", "--what", "stances"], env).stdout)
    assert [c["link"] for c in data] == ["https://example.com/a0"]  # chat 43's own sending
    refused = _cli(["--chat", "42", "--what", "who"], env)
    assert refused.returncode == 1
    assert "--name" in refused.stderr and "Traceback" not in refused.stderr
