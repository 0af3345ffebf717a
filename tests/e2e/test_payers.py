"""Who pays: a person, or for Telegram's shared service accounts the chat they speak for."""

from __future__ import annotations

import pytest

from bot.ops.stats import LLM
from bot.telegram.access import sender_of
from tests.ask_kit import answering, is_ask
from tests.briefings import news, newsroom
from tests.e2e.test_access import CHANNEL, SERVICE_IDS, anonymous
from tests.e2e.test_ask import KIM, KOREA, send_article
from tests.fake_llm import Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.groupkit import group_bot, settle
from tests.harness import GROUP, USER, Bot
from tests.postgres_engine import insertion_order

GROUP2 = -1001234500002


def costly(topic: str, tokens: int) -> object:
    """Answer like the newsroom; the article about `topic` costs `tokens` of input."""
    briefs = newsroom()

    def respond(request: Request) -> Reply:
        reply = briefs(request)
        if topic.title() in request.user:
            reply.prompt_tokens = tokens
        return reply

    return respond


def llm_payers(bot: Bot) -> list[int | None]:
    index = bot.services.index
    rows = index.connection.execute(
        f"SELECT user_id FROM events WHERE kind = ? ORDER BY {insertion_order(index.engine)}",  # noqa: S608
        (LLM,),
    )
    return [r[0] for r in rows]


def _post(tg: FakeTelegram, shape: str, chat: int, text: str) -> None:
    if shape == "anonymous admin":
        tg.anonymous_admin_message(chat, text)
    else:
        tg.as_channel_message(chat, CHANNEL, text)


@pytest.mark.parametrize("shape", ["anonymous admin", "as channel"])
async def test_one_groups_anonymous_spending_leaves_other_groups_budget_alone(
    tg, fake_llm, make_settings, shape
) -> None:
    fake_llm.responder = costly("harbour strike", 59_000)
    chats = f"{GROUP},{GROUP2}"
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=chats,
                         user_daily_token_budget=60_000) as bot:  # fmt: skip
        _post(tg, shape, GROUP, "/brief " + news("harbour strike"))
        await bot.replies(GROUP, 1)
        _post(tg, shape, GROUP, "/brief " + news("rail tender"))
        [*_, over] = await bot.replies(GROUP, 2)
        assert "budget" in over["text"]  # GROUP's day is spent
        _post(tg, shape, GROUP2, "/brief " + news("port deal"))
        [other] = await bot.replies(GROUP2, 1)
        assert "budget" not in other["text"]
        assert "Port Deal" in other["text"]
        assert llm_payers(bot) == [GROUP, GROUP2]  # the chats, never a service account
    assert fake_llm.calls == 2


async def test_channel_posts_and_auto_forwards_are_paid_by_their_chat(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    channel = FakeTelegram.channel(-1005550009, "Wire Channel")
    chats = f"{GROUP},{channel['id']}"
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=chats) as bot:
        tg.channel_post(channel, news("grain harvest"))
        tg.chat_admins[GROUP] = {USER}
        tg.command(GROUP, USER, "autoforwards", "on")
        await bot.replies(GROUP)
        anonymous(tg, "auto-forward", news("steel output"))
        await settle(bot, GROUP)
        await bot.tg.wait_for(lambda: len(llm_payers(bot)) == 2, timeout=10)
        payers = llm_payers(bot)
    assert set(payers) == {channel["id"], GROUP}  # never a service account, never nobody


async def test_follow_in_a_channel_or_by_anonymous_admins_is_rate_limited_per_chat(
    tg, fake_llm, make_settings
) -> None:
    channel = FakeTelegram.channel(-1005550008, "Wire Channel")
    chats = f"{GROUP},{GROUP2},{channel['id']}"
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=chats,
                         user_rate_limit_per_hour=1) as bot:  # fmt: skip
        for _ in range(2):
            tg.channel_post(channel, "/follow https://wire.example/feed.xml")
        replies = await bot.replies(channel["id"], 2)
        # The refusal may come first: the other one is still looking the site up.
        assert sorted("Too many requests" in r["text"] for r in replies) == [False, True]
        tg.anonymous_admin_message(GROUP, "/follow https://wire.example/feed.xml")
        await bot.replies(GROUP, 1)
        # Another group's anonymous admins have a quota of their own.
        tg.anonymous_admin_message(GROUP2, "/follow https://wire.example/feed.xml")
        [reply] = await bot.replies(GROUP2, 1)
        assert "Too many requests" not in reply["text"]


def test_the_payer_of_every_message_shape() -> None:
    person = sender_of(USER, GROUP, None)
    assert (person.payer_id, person.quota_key) == (USER, f"user:{USER}")
    for service in SERVICE_IDS:
        shared = sender_of(service, GROUP, CHANNEL["id"])
        assert (shared.payer_id, shared.quota_key) == (GROUP, f"chat:{GROUP}")
    post = sender_of(None, CHANNEL["id"], CHANNEL["id"])
    assert post.payer_id == CHANNEL["id"]


@pytest.mark.parametrize("shape", ["anonymous admin", "as channel"])
async def test_an_anonymous_question_is_paid_by_its_group(
    tg, fake_llm, make_settings, shape
) -> None:
    fake_llm.responder = answering(("Kim Jong Un called the drills a rehearsal for invasion.", KIM))
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(GROUP)) as bot:
        await send_article(bot, GROUP, KOREA)  # a person's briefing: theirs to pay
        _post(tg, shape, GROUP, "/ask What did Kim say about the drills?")
        [*_, answer] = await bot.replies(GROUP, 2)
        assert "rehearsal for invasion. [1]" in answer["text"]
        assert llm_payers(bot) == [USER, GROUP]  # never 1087968824 or 136817688
    assert [r for r in fake_llm.requests if is_ask(r)]
