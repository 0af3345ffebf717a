"""On PostgreSQL a chat's whole day runs with no statement on the event loop (issue 23).

Every store call an update or a job makes waits on the database thread (Index.run), so one
chat's round trips never hold another chat, nor getUpdates. This plays the commands a user
sends, an article briefed by the model and one refused by it, and checks that not one
statement ran on the loop's thread (tests/loop_watch.py). The paths of budgets, digests and
feeds have tests of their own (test_limits_off_loop.py, test_fleet_digests.py,
test_feeds_off_loop.py).
"""

from __future__ import annotations

import pytest

from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM, Reply
from tests.fake_telegram import FakeTelegram
from tests.harness import USER, running_bot
from tests.loop_watch import watch
from tests.postgres import libpq_url

pytestmark = pytest.mark.postgres

COMMANDS = [
    ("lang", "French"), ("lang", ""), ("tz", "Asia/Tokyo"), ("tz", ""),
    ("digest", "on 07:30 Europe/Paris"), ("digest", ""), ("digest", "off"),
    ("who", ""), ("who", "Kim"), ("stats", ""), ("search", "harbour"), ("lang", "auto"),
]  # fmt: skip


async def test_a_users_articles_and_commands_run_nothing_on_the_loop(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings, postgres_url: str
) -> None:
    fake_llm.responder = newsroom()
    async with running_bot(
        tg, fake_llm, make_settings, database_url=libpq_url(postgres_url)
    ) as bot:
        with watch() as on_loop:
            tg.user_message(USER, USER, news("harbour dispute"))
            await bot.replies(USER)
            fake_llm.responder = lambda _r: Reply(content="no briefing here")  # extractive
            tg.user_message(USER, USER, news("grain exports"))
            await bot.replies(USER, 2)
            for n, (command, args) in enumerate(COMMANDS, 3):
                tg.command(USER, USER, command, args)
                await bot.replies(USER, n)
        texts = [str(m.get("text") or m.get("caption")) for m in tg.sent_messages(USER)]
    assert "Harbour Dispute" in texts[0]
    assert "Made without the language model" in texts[1]
    assert len(texts) == 2 + len(COMMANDS)  # one answer each, none an error
    assert not any("went wrong" in text for text in texts), texts
    assert on_loop.callers() == []
