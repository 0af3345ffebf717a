"""A story that gained sources since the last daily digest says what is new, until the next one.

"The last digest" is the scheduled daily digest: only its delivery records which sources each
story had. /brief and /digest now show the same line, but leave it for the next daily digest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest

from tests.e2e.test_stories import FED, command, forward, stories_llm
from tests.fake_llm import FakeLLM
from tests.fake_telegram import parse_html
from tests.groupkit import idle
from tests.harness import USER, Bot, FakeClock, running_bot

__all__ = ["stories_llm"]  # the fixture, used here by name

NEWS = "3 sources now, new: Wire Three"


@pytest.fixture
def clock() -> FakeClock:
    # Forwards are dated by the real clock: the digests' clock starts just before them.
    return FakeClock(datetime.now(UTC) - timedelta(hours=1))


@pytest.fixture
async def bot(tg, fake_llm: FakeLLM, make_settings, clock: FakeClock) -> AsyncIterator[Bot]:
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as running:
        yield running


async def daily_digest(bot: Bot, clock: FakeClock, now: datetime) -> str:
    clock.now = now
    before = len(bot.tg.sent_messages(USER))
    assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
    return parse_html(str(bot.tg.sent_messages(USER)[before]["text"]))[0]


async def test_what_is_new_is_said_until_the_next_daily_digest_whatever_is_asked_between(
    stories_llm: FakeLLM, bot: Bot, clock: FakeClock
) -> None:
    due = (clock.now + timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    bot.services.subscriptions.subscribe(USER, time(due.hour, due.minute), "UTC", clock.now)
    for n, (item, channel) in enumerate(FED[:2]):
        await forward(bot, item, channel, n)
    await idle(bot)
    first = await daily_digest(bot, clock, datetime.now(UTC))
    assert "2 sources" in first and "new:" not in first  # nothing shown before: nothing new

    await forward(bot, *FED[2], 2)
    await idle(bot)
    clock.now = datetime.now(UTC)  # /brief's and /digest now's last 24 h end now
    for asked in ("brief", "digest now", "brief"):  # asking twice uses nothing up
        name, _, args = asked.partition(" ")
        overview = parse_html(await command(bot, name, args))[0]
        assert NEWS in overview, asked

    second = await daily_digest(bot, clock, clock.now + timedelta(days=1))
    assert NEWS in second  # the sources the first daily digest showed, and the one since
    [entry] = [line for line in second.splitlines() if line.startswith("↳")]
    # One entry with every source of the story, the earlier digest's too: not only today's.
    assert entry.endswith("· 3 sources") and all(w in entry for w in ("One", "Two", "Three"))
    assert "new:" not in parse_html(await command(bot, "brief"))[0]  # said: not new any more
