"""Every fault ends in a sensible reply threaded to its message, and nothing is lost."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.jobs.pending import PendingStore
from bot.jobs.runner import MAX_REDELIVERIES
from tests.briefings import fixture, korea_briefing, news, newsroom
from tests.fake_llm import Reply
from tests.fake_telegram import parse_html
from tests.harness import OTHER_USER, USER, Bot, running_bot

KOREA = fixture("korea.txt")
FULL = "North Korea fires missile as allies drill"


def visible(html: str) -> str:
    return parse_html(html)[0]


def _ok() -> Reply:
    return Reply(content=korea_briefing())


# (faults scripted before a good answer, settings, expected text, LLM calls)
LLM_FAULTS: dict[str, tuple[list[Reply], dict[str, Any], str, int]] = {
    "429 then ok": ([Reply(status=429, retry_after="0.3")], {}, FULL, 2),
    "500 twice then ok": ([Reply(status=500), Reply(status=500)], {"llm_max_attempts": 3}, FULL, 3),
    "500 for good: bounded": (
        [Reply(status=500)] * 5,
        {"llm_max_attempts": 3},
        "is not answering right now",
        3,
    ),
    "timeout then ok": (  # generous: the retry must not time out on a busy machine
        [Reply(delay_s=2.5, content=korea_briefing())],
        {"llm_timeout_s": 1.0},
        FULL,
        2,
    ),
    "connection reset then ok": ([Reply(reset=True)], {}, FULL, 2),
    "malformed JSON repaired": ([Reply(content='{"headline": "North Korea fires')], {}, FULL, 2),
    "refusal": (
        [Reply(refusal="I can't help with that.")],
        {},
        "declined to brief this article",
        1,
    ),
    "truncated": (
        [Reply(content='{"headline"', finish_reason="length")],
        {},
        "answer was cut off",
        1,
    ),
    "401": (
        [Reply(status=401, error="Incorrect API key provided: sk-test-secret")],
        {},
        "service is misconfigured",
        1,
    ),
}


@pytest.mark.parametrize("case", list(LLM_FAULTS))
async def test_llm_fault_ends_in_a_sensible_threaded_reply(
    tg, fake_llm, make_settings, case: str
) -> None:
    faults, overrides, expected, calls = LLM_FAULTS[case]
    fake_llm.script(*faults, _ok())
    async with running_bot(tg, fake_llm, make_settings, **overrides) as bot:
        sent = bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
        history = bot.services.index.queries.chat_articles(USER)
    text = visible(reply["text"])
    assert expected in text
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert fake_llm.calls == calls
    assert len(history) == 1  # the article is in the chat's history either way
    assert "Error ID" not in text
    assert "127.0.0.1" not in text and "sk-test-secret" not in text
    if expected != FULL:
        assert "Made without the language model" in text
        assert "Kim Jong Un" in text  # the extractive briefing still names the actors


async def test_retry_after_from_the_llm_is_honoured(tg, fake_llm, make_settings, sleeps) -> None:
    fake_llm.script(Reply(status=429, retry_after="0.5"), _ok())
    async with running_bot(tg, fake_llm, make_settings, llm_sleep=sleeps) as bot:
        bot.tg.user_message(USER, USER, KOREA)
        await bot.replies(USER)
    assert len(fake_llm.requests) == 2
    assert sleeps.waits == [0.5]  # the server's Retry-After, not a random back-off


async def test_rejected_key_is_one_operator_line_and_no_retry_storm(
    tg, fake_llm, make_settings, caplog
) -> None:
    fake_llm.responder = lambda _r: Reply(status=401, error="bad key")
    caplog.set_level(logging.INFO)
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.user_message(USER, USER, news("canal toll"))
        await bot.replies(USER)
        for i in range(4):
            bot.tg.user_message(USER, USER, news(f"canal toll {i}"))
        replies = await bot.replies(USER, 5)
    assert fake_llm.calls == 1  # not retried, and then not asked again for a while
    assert all("service is misconfigured" in visible(r["text"]) for r in replies)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "check OPENAI_API_KEY" in errors[0].getMessage()
    assert errors[0].exc_info is None


async def _briefing_is_kept(bot: Bot) -> None:
    article = make_article(KOREA)
    assert bot.services.briefing.cached(article) is not None
    assert [a.article_hash for a in bot.services.index.queries.chat_articles(USER)] == [
        article.content_hash
    ]


async def _still_serving(bot: Bot) -> None:
    bot.tg.user_message(OTHER_USER, OTHER_USER, news("ferry strike"))
    [reply] = await bot.replies(OTHER_USER)
    assert "Ferry Strike update" in reply["text"]


async def test_telegram_429_on_a_reply_delays_it(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.fail_next("sendMessage", status=429, retry_after=1, chat_id=USER)
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
        assert FULL in reply["text"]
        refused, sent = [r for r in bot.tg.requests("sendMessage") if r.params["chat_id"] == USER]
        assert (refused.status, sent.status) == (429, 200)
        assert sent.at - refused.at >= 1.0  # Telegram's Retry-After, kept
        await _briefing_is_kept(bot)


async def test_telegram_400_on_a_reply_keeps_the_briefing_and_says_so(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.fail_next(
            "sendMessage", status=400, description="Bad Request: can't parse entities", chat_id=USER
        )
        sent = bot.tg.user_message(USER, USER, KOREA)
        [note] = await bot.replies(USER)
        assert "couldn't deliver that briefing" in visible(note["text"])
        assert note["reply_parameters"]["message_id"] == sent["message"]["message_id"]
        await _briefing_is_kept(bot)
        await _still_serving(bot)


async def test_telegram_403_on_a_reply_keeps_the_briefing(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.block_chat(USER)
        bot.tg.user_message(USER, USER, KOREA)
        store = PendingStore(bot.services.index)
        await bot.tg.wait_for(lambda: fake_llm.calls == 1 and not store.pending(), timeout=10)
        await _briefing_is_kept(bot)
        await _still_serving(bot)


async def test_network_error_on_a_reply_is_retried(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.app.bot_data.replies.retry_delays = (0.01, 0.01)
        bot.tg.fail_next("sendMessage", status=502, count=2, chat_id=USER)
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
        assert FULL in reply["text"]


async def _no_wait(_seconds: float) -> None:
    """Back off without waiting."""


async def test_network_down_for_good_leaves_the_job_pending(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.app.bot_data.replies.retry_delays = (0.01,)
        bot.app.bot_data.workers.sleep = _no_wait  # the redeliveries' back-off (test_outage.py)
        sends = 2 * (1 + MAX_REDELIVERIES)  # two tries a time: the first, and every redelivery
        bot.tg.fail_next("sendMessage", status=502, count=sends, chat_id=USER)
        bot.tg.user_message(USER, USER, KOREA)
        await bot.tg.wait_for(lambda: len(bot.tg.requests("sendMessage")) == sends, timeout=60)
        await bot.app.bot_data.workers.join()
        [job] = PendingStore(bot.services.index).pending()  # answered at the next start
        assert job.chat_id == USER
        await _briefing_is_kept(bot)
        await _still_serving(bot)


async def test_the_reply_does_not_wait_for_the_text_fsync_but_closing_the_job_does(
    bot: Bot,
) -> None:
    # The job keeps the article's text until it is done: done waits for the text's write.
    texts, pending = bot.services.texts, PendingStore(bot.services.index)
    release, put = threading.Event(), texts.put

    def slow_put(content_hash: str, text: str) -> None:
        release.wait(10)
        put(content_hash, text)

    texts.put = slow_put  # type: ignore[method-assign]
    bot.tg.user_message(USER, USER, KOREA)
    [reply] = await bot.replies(USER)
    assert FULL in reply["text"]
    [job] = pending.pending()  # replied; its text still on its way to disk: open
    assert job.text is not None
    release.set()
    await bot.app.bot_data.workers.join()
    assert pending.pending() == []
    assert texts.get(make_article(KOREA).content_hash) == job.text


async def test_a_text_that_cannot_be_saved_keeps_its_job_open(bot: Bot, caplog) -> None:
    def full_disk(_hash: str, _text: str) -> None:
        raise OSError(28, "No space left on device")

    bot.services.texts.put = full_disk  # type: ignore[method-assign,assignment]
    bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    await bot.app.bot_data.workers.join()
    [job] = PendingStore(bot.services.index).pending()  # answered again at the next start
    assert job.text is not None
    assert "could not save the text of article" in caplog.text


async def test_after_a_rejected_key_the_llm_is_tried_again_later(services, fake_llm) -> None:
    from bot.briefing.model_call import AUTH_COOL_DOWN_S

    now = [1000.0]
    services.briefing._model_call._monotonic = lambda: now[0]
    fake_llm.script(Reply(status=401), _ok())
    article = make_article(KOREA)
    first = await services.briefing.brief(article)
    assert first.degraded
    assert services.briefing.cached(article) is None  # never stored as the LLM's briefing
    assert services.cache.get(first.stored.key) is not None  # but kept, under its own key
    assert (await services.briefing.brief(article)).degraded
    assert fake_llm.calls == 1  # cooling down: not asked
    from datetime import UTC, datetime, timedelta

    from bot.ops.pricing import Prices

    today = services.events.period(
        datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1),
        Prices("fake-model", None),
    )  # fmt: skip
    assert today.degraded == 2  # /stats counts the extractive answers
    now[0] += AUTH_COOL_DOWN_S + 1
    again = await services.briefing.brief(article)
    assert not again.degraded
    assert FULL in again.stored.briefing.headline
    assert fake_llm.calls == 2


@pytest.mark.parametrize(
    ("send", "expected"),
    [
        (lambda tg: tg.user_message(USER, USER, "too short"), "Forward me a news post"),
        (lambda tg: tg.command(USER, USER, "brief", "still too short"), "too short to brief"),
        (lambda tg: tg.user_message(USER, USER, "x" * 5000), "doesn't read like an article"),
        (lambda tg: tg.command(USER, USER, "digest", "on 25:00"), "Invalid time"),
    ],
)
async def test_error_replies_quote_their_message_in_private_chats(bot: Bot, send, expected) -> None:
    sent = send(bot.tg)
    [reply] = await bot.replies(USER)
    assert expected in visible(reply["text"])
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert reply["reply_parameters"]["allow_sending_without_reply"] is True
