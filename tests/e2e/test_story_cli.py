"""`briefbot story --chat ID ARTICLE` in a subprocess, on the bot's data directory."""

from __future__ import annotations

from pathlib import Path

from bot.evaluation.story_corpus import load_story_corpus
from bot.models import Article, Source
from bot.services import Services
from tests.briefbot_env import cli_env
from tests.e2e.test_cli import run
from tests.fake_llm import FakeLLM

ITEMS = {i.id: i for i in load_story_corpus()}


def place(services: Services, chat: int, item_id: str) -> str:
    item = ITEMS[item_id]
    article = Article(text=item.text, content_hash=f"{len(item_id):02d}{item_id}abcdef",
                      title=item.title, published_at=item.published,
                      source=Source(label=item.source))  # fmt: skip
    services.index.record_chat_article(chat, article.content_hash, message_id=1,
                                       received_at=item.published, title=item.title,
                                       source=article.source)  # fmt: skip
    services.stories.place_now(services.index, chat, article)
    return article.content_hash


async def test_story_prints_the_sources_and_refuses_unknown_articles(
    tmp_path: Path, fake_llm: FakeLLM, services: Services
) -> None:
    measles = place(services, 42, "e41-ap")
    env = cli_env(tmp_path, fake_llm)
    shown = run(["story", measles[:8], "--chat", "42"], env)
    assert shown.returncode == 0, shown.stderr
    assert "Story: 1 source" in shown.stdout
    assert "Only one source so far" in shown.stdout
    assert "Texas measles outbreak grows to 120 cases" in shown.stdout
    assert fake_llm.calls == 0  # one source: nothing to compare, no model call
    other_chat = run(["story", measles[:8], "--chat", "43"], env)
    assert other_chat.returncode == 1
    assert "No article" in other_chat.stderr
    assert "Traceback" not in other_chat.stderr
    short = run(["story", "ab", "--chat", "42"], env)
    assert "at least 6 characters" in short.stderr
