"""`briefbot who NAME --png FILE` and `briefbot map --chat ID --png FILE` write the bot's pictures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.articles.text import make_article
from bot.models import Source
from bot.pictures.limits import photo_problem, png_size
from tests.briefbot_env import cli_env
from tests.briefings import fixture, korea2_briefing, korea_briefing, newsroom
from tests.e2e.test_cli import run

PNG = b"\x89PNG\r\n\x1a\n"


async def test_who_and_map_write_pngs_from_a_chats_history(tmp_path, fake_llm, services) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires": korea_briefing(),
                                   "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
    now = datetime.now(UTC)
    for days, text in ((6, fixture("korea.txt")), (1, fixture("korea2.txt"))):
        article = make_article(text)
        await services.briefing.brief(article)
        services.index.record_chat_article(
            42, article.content_hash, message_id=1, received_at=now, title=None,
            source=Source(label="Korea Watch"), published_at=now - timedelta(days=days),
            published_from="dateline",
        )  # fmt: skip
    env = cli_env(tmp_path, fake_llm)
    timeline, grid = tmp_path / "who.png", tmp_path / "map.png"
    who = run(["who", "pyongyang", "--chat", "42", "--png", str(timeline)], env)
    assert who.returncode == 0, who.stderr
    shown = run(["map", "--chat", "42", "--png", str(grid), "--days", "7"], env)
    assert shown.returncode == 0, shown.stderr
    for picture in (timeline, grid):
        png = picture.read_bytes()
        assert png.startswith(PNG)
        assert photo_problem(png) is None
        assert png_size(png)[0] == 1080  # type: ignore[index]
    assert len(list((tmp_path / "data" / "pictures").glob("*.png"))) == 2  # cached by data


def test_clear_errors_when_there_is_no_picture_to_write(tmp_path: Path, fake_llm) -> None:
    env = cli_env(tmp_path, fake_llm)
    empty = run(["map", "--chat", "43", "--png", str(tmp_path / "m.png")], env)
    assert empty.returncode == 1
    assert "No stances in chat 43 in the last 30 days" in empty.stderr
    assert "Traceback" not in empty.stderr
    nobody = run(["who", "Putin", "--chat", "43", "--png", str(tmp_path / "w.png")], env)
    assert nobody.returncode == 1
    assert "No single actor “Putin”" in nobody.stderr
    assert not (tmp_path / "m.png").exists()
