"""/ask end to end: answers with checked citations, refusals, plain questions, replies, no model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.ask_kit import answering, is_ask
from tests.briefings import fixture
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import FakeTelegram, parse_html
from tests.groupkit import idle, settle
from tests.harness import GROUP, OTHER_USER, USER, Bot, FakeClock, running_bot

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")
QUESTION = "What did Kim say about the drills?"
KIM = "called the drills “a rehearsal for invasion”"


async def send_article(bot: Bot, chat: int, text: str, *, user: int = USER) -> dict[str, Any]:
    """Forward an article from a public channel; return the bot's briefing message."""
    before = len(bot.tg.sent_messages(chat))
    origin = bot.tg.origin_channel(username="kw", message_id=len(text) % 97 + 1)
    bot.tg.user_message(chat, user, text, forward_origin=origin)
    await bot.replies(chat, before + 1)
    # The job ends after its reply, once the article's text is on disk: /ask quotes that text,
    # and asked sooner it would find only the briefing (a race that placing the article in its
    # story used to hide by taking longer than the write).
    await idle(bot)
    return bot.tg.bot_messages(chat)[before]


async def ask(bot: Bot, chat: int, text: str, *, user: int = USER, **kw: Any) -> str:
    """Send a message and return the bot's reply (HTML as sent)."""
    before = len(bot.tg.sent_messages(chat))
    bot.tg.user_message(chat, user, text, **kw)
    return str((await bot.replies(chat, before + 1))[before]["text"])


def asked(llm: FakeLLM) -> list[Request]:
    return [r for r in llm.requests if is_ask(r)]


async def test_ask_answers_with_checked_citations_and_removes_the_rest(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    bot.llm.responder = answering(
        ("Kim Jong Un called the joint drills a rehearsal for invasion.", KIM),
        ("Kim also fired 14 missiles at Guam in 2017.", KIM),  # invented: removed
    )
    html = await ask(bot, USER, f"/ask {QUESTION}")
    text = parse_html(html)[0]
    assert "Kim Jong Un called the joint drills a rehearsal for invasion. [1]" in text
    assert "14 missiles" not in text
    assert "Sources\n[1] " in text
    assert "Pyongyang fires missile as Seoul and Washington hold drills" in text
    assert '<a href="https://t.me/kw/' in html
    [request] = asked(bot.llm)
    assert f"<<<QUESTION>>>\n{QUESTION}\n<<<END QUESTION>>>" in request.user
    assert "overwhelming force" in request.user  # the article's passages, in the block


async def test_a_sentence_without_a_quote_of_its_own_is_never_sent(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    hated = "He has long hated the drills, which he sees as a threat to his rule and his family."
    bot.llm.responder = answering(  # two sentences in one field, one quote: the first's
        (f"Kim Jong Un called the drills a rehearsal for invasion. {hated}", KIM)
    )
    for _ in range(2):  # the answer, then the cached answer
        text = parse_html(await ask(bot, USER, f"/ask {QUESTION}"))[0]
        assert "Kim Jong Un called the drills a rehearsal for invasion. [1]" in text
        assert "hated" not in text
    assert len(asked(bot.llm)) == 1


async def test_the_same_question_again_comes_from_the_cache(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    bot.llm.responder = answering(("Kim Jong Un called the drills a rehearsal for invasion.", KIM))
    first = await ask(bot, USER, f"/ask {QUESTION}")
    again = await ask(bot, USER, f"/ask {QUESTION}")
    assert first == again
    assert len(asked(bot.llm)) == 1


async def test_an_unanswerable_question_gets_the_closest_matches(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    bot.llm.responder = answering(unanswerable=True)
    text = parse_html(await ask(bot, USER, "/ask What did Kim say about the drills and Japan?"))[0]
    assert text.startswith("Your articles don't say.")
    assert "Closest matches:\n• " in text
    assert "Pyongyang fires missile" in text


async def test_a_question_in_a_private_chat_is_answered_not_briefed(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    bot.llm.responder = answering(("Kim Jong Un called the drills a rehearsal for invasion.", KIM))
    text = parse_html(await ask(bot, USER, QUESTION))[0]
    assert "rehearsal for invasion. [1]" in text
    assert len(asked(bot.llm)) == 1


async def test_a_question_replying_to_a_briefing_asks_that_article_only(bot: Bot) -> None:
    briefing = await send_article(bot, GROUP, KOREA)
    await send_article(bot, GROUP, KOREA2)
    lee = "“This reckless act threatens peace on the whole peninsula,” Lee told reporters"
    bot.llm.responder = answering(("Lee Jae-myung said the launch threatens peace.", lee))
    html = await ask(bot, GROUP, "What did Lee say?", reply_to_message_id=briefing["message_id"])
    assert "threatens peace. [1]" in parse_html(html)[0]
    [request] = asked(bot.llm)
    assert "overwhelming force" in request.user
    assert "deeds, not its words" not in request.user  # the other article is not asked


async def test_group_chatter_that_is_a_question_is_left_alone(bot: Bot) -> None:
    await send_article(bot, GROUP, KOREA)
    before = len(bot.tg.sent_messages(GROUP))
    bot.tg.user_message(GROUP, USER, "What did Kim say about the drills?")
    await settle(bot, GROUP)  # sends /help and waits for its answer
    assert len(bot.tg.sent_messages(GROUP)) == before + 1
    assert asked(bot.llm) == []


async def test_another_chats_articles_are_never_asked(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    bot.llm.responder = answering(("Kim Jong Un called the drills a rehearsal for invasion.", KIM))
    text = parse_html(await ask(bot, OTHER_USER, f"/ask {QUESTION}", user=OTHER_USER))[0]
    assert text.startswith("Your articles don't say.")
    assert "Pyongyang" not in text
    assert asked(bot.llm) == []


async def test_ask_alone_explains_itself(bot: Bot) -> None:
    text = parse_html(await ask(bot, USER, "/ask"))[0]
    assert "/ask What did Kim say" in text


@pytest.fixture
async def bare(tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any) -> Any:
    async with running_bot(
        tg, fake_llm, make_settings, openai_api_key=None, openai_base_url=None
    ) as running:
        yield running


async def test_without_a_model_the_best_passages_are_shown_labelled(bare: Bot) -> None:
    await send_article(bare, USER, KOREA)
    text = parse_html(await ask(bare, USER, f"/ask {QUESTION}"))[0]
    assert text.startswith("Matching passages (no model configured)")
    assert "drills" in text
    assert "Pyongyang fires missile" in text
    assert bare.llm.requests == []


@pytest.fixture
async def strict(tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any) -> Any:
    async with running_bot(tg, fake_llm, make_settings, user_rate_limit_per_hour=2) as running:
        yield running


async def test_questions_spend_the_hourly_quota_but_cached_answers_do_not(strict: Bot) -> None:
    strict.llm.responder = answering(
        ("Kim Jong Un called the drills a rehearsal for invasion.", KIM)
    )
    await send_article(strict, USER, KOREA)  # one of the two this hour
    assert "[1]" in await ask(strict, USER, f"/ask {QUESTION}")  # two
    assert "[1]" in await ask(strict, USER, f"/ask {QUESTION}")  # cached: free
    over = await ask(strict, USER, "/ask What did Kim say about the launch?")
    assert over.startswith("⏳ You've asked a lot in the last hour")
    assert len(asked(strict.llm)) == 1


async def test_an_overlong_question_is_refused_before_any_work(bot: Bot) -> None:
    text = await ask(bot, USER, "/ask " + "why " * 300)
    assert "long for a question" in text
    assert asked(bot.llm) == []


async def test_a_model_failure_is_a_short_apology_and_gives_the_quota_back(strict: Bot) -> None:
    strict.llm.responder = answering(
        ("Kim Jong Un called the drills a rehearsal for invasion.", KIM)
    )
    await send_article(strict, USER, KOREA)  # one of the two this hour
    good = strict.llm.responder

    def failing(request: Request) -> Reply:
        return (
            Reply(status=400, error="invalid_request_error") if is_ask(request) else good(request)
        )

    strict.llm.responder = failing
    failed = await ask(strict, USER, f"/ask {QUESTION}")
    assert failed.startswith("⚠️")
    assert "Traceback" not in failed
    strict.llm.responder = good
    assert "[1]" in await ask(strict, USER, f"/ask {QUESTION}")  # the failed one cost nothing


async def test_a_pasted_article_that_opens_with_a_question_is_still_briefed(bot: Bot) -> None:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.user_message(USER, USER, "What is Pyongyang doing?\n" + KOREA)
    [*_, reply] = await bot.replies(USER, before + 1)
    assert "North Korea fires missile as allies drill" in reply["text"]
    assert asked(bot.llm) == []


async def test_a_forwarded_question_is_not_asked(bot: Bot) -> None:
    await send_article(bot, USER, KOREA)
    before = len(bot.tg.sent_messages(USER))
    origin = bot.tg.origin_channel(username="kw", message_id=5)
    bot.tg.user_message(USER, USER, "What did Kim say about the drills?", forward_origin=origin)
    await settle(bot, USER)
    assert asked(bot.llm) == []
    assert not any("[1]" in t for t in bot.texts(USER)[before:])


@pytest.fixture
async def limited(tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any) -> Any:
    async with running_bot(tg, fake_llm, make_settings, command_limits="ask=1/60") as running:
        yield running


async def test_a_chats_questions_are_limited_like_other_expensive_commands(limited: Bot) -> None:
    limited.llm.responder = answering(
        ("Kim Jong Un called the drills a rehearsal for invasion.", KIM)
    )
    await send_article(limited, USER, KOREA)
    assert "[1]" in await ask(limited, USER, f"/ask {QUESTION}")
    again = await ask(limited, USER, QUESTION)  # a plain question is /ask too
    assert again.startswith("⏳ /ask was asked a lot here lately")
    assert len(asked(limited.llm)) == 1


async def test_time_words_are_read_in_the_chats_tz_not_its_digests(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any
) -> None:
    clock = FakeClock(datetime(2026, 12, 7, 22, 0, tzinfo=UTC))  # 8 Dec, noon, on Kiritimati
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:
        assert "digest" in (await ask(bot, USER, "/digest on 07:30 Europe/London")).lower()
        assert "Kiritimati" in await ask(bot, USER, "/tz Kiritimati")
        text = parse_html(await ask(bot, USER, "/ask What happened yesterday?"))[0]
    assert text.startswith("Your articles don't say.")
    assert "(I looked at articles dated 7 Dec.)" in text  # London's yesterday is 6 Dec
