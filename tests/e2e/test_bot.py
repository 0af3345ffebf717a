"""The Telegram bot end to end: real PTB Application over HTTP against the fakes."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace

import pytest

from bot.store.chat_queries import ChatQueries
from tests.briefings import KOREA_FOOTER, echo_briefing, fixture, korea_briefing, news, point
from tests.fake_llm import Reply
from tests.fake_telegram import FakeTelegram, parse_html
from tests.harness import GROUP, OTHER_USER, STRANGER, USER, Bot, running_bot

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")


def visible(html: str) -> str:
    return parse_html(html)[0]


async def test_forward_gets_threaded_briefing_with_attribution(bot: Bot) -> None:
    origin = bot.tg.origin_channel(title="Korea Watch", username="koreawatch", message_id=77)
    sent = bot.tg.user_message(USER, USER, KOREA, forward_origin=origin)
    [reply] = await bot.replies(USER)
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert reply["parse_mode"] == "HTML"
    assert "North Korea fires missile as allies drill" in reply["text"]
    assert '<a href="https://t.me/koreawatch/77">Korea Watch</a>' in reply["text"]
    assert KOREA_FOOTER in visible(reply["text"])
    assert "typing" in bot.tg.chat_actions(USER)
    assert bot.llm.calls == 1


@pytest.mark.parametrize(
    ("origin", "label"),
    [
        (FakeTelegram.origin_hidden_user("Jane Roe"), "Jane Roe (hidden user)"),
        (FakeTelegram.origin_user(555, "Ann", username="annlee"), "Ann (@annlee)"),
        (FakeTelegram.origin_channel(title="Private Desk", username=None), "Private Desk"),
        (FakeTelegram.origin_chat(-100777, "Policy Group"), "Policy Group"),
    ],
)
async def test_attribution_for_every_kind_of_origin(bot: Bot, origin, label) -> None:
    bot.tg.user_message(USER, USER, KOREA, forward_origin=origin)
    [reply] = await bot.replies(USER)
    assert label in visible(reply["text"])
    assert "<a href" not in reply["text"].split("\n")[1]  # no link for non-public origins


async def test_reforward_in_another_chat_is_cached_and_keeps_each_chats_source(bot: Bot) -> None:
    secret = bot.tg.origin_user(777, "Jane Whistleblower", username="janew")
    bot.tg.user_message(USER, USER, KOREA, forward_origin=secret)
    [first] = await bot.replies(USER)
    assert "Jane Whistleblower" in first["text"]
    bot.tg.user_message(OTHER_USER, OTHER_USER, "  " + KOREA.replace("\n\n", "\n \n"),
                        forward_origin=bot.tg.origin_channel(title="Open Channel"))  # fmt: skip
    [reply] = await bot.replies(OTHER_USER)
    assert "from cache" in visible(reply["text"])
    assert "Open Channel" in reply["text"]
    assert "Jane" not in reply["text"]  # who forwarded it in another chat is not shared
    assert bot.llm.calls == 1
    stored = next((bot.settings.bot_data_dir / "briefings").rglob("*.json")).read_text()
    assert "Jane" not in stored  # the shared cache file carries no sender
    assert "Jane" not in bot.llm.requests[0].user  # nor does the model see who sent it


async def test_pasted_article_and_brief_command(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, KOREA)  # pasted in a private chat
    await bot.replies(USER, 1)
    target = bot.tg.user_message(USER, USER, KOREA2, forward_origin=bot.tg.origin_channel())
    await bot.replies(USER, 2)
    bot.tg.command(USER, USER, "brief", reply_to_message_id=target["message"]["message_id"])
    replies = await bot.replies(USER, 3)
    assert "ready for talks" in replies[2]["text"]
    bot.tg.command(USER, USER, "brief", args=news("harbour strike"))
    replies = await bot.replies(USER, 4)
    assert "Harbour Strike update" in replies[3]["text"]
    bot.tg.command(USER, USER, "brief")  # no argument: an overview of the last 24 h
    replies = await bot.replies(USER, 5)
    overview = visible(replies[4]["text"])
    assert overview.startswith("🗞 Digest of 3 articles")  # KOREA2 was sent twice: counted once
    assert "Harbour Strike update" in overview
    assert bot.llm.calls == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello bot", "Forward me a news post"),
        ("short " * 10, "Forward me a news post"),
    ],
)
async def test_short_texts_get_a_helpful_answer(bot: Bot, text: str, expected: str) -> None:
    bot.tg.user_message(USER, USER, text)
    [reply] = await bot.replies(USER)
    assert expected in reply["text"]
    assert bot.llm.calls == 0


async def test_forwarded_but_too_short_is_explained(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, "Breaking: markets up.", forward_origin=bot.tg.origin_channel())
    [reply] = await bot.replies(USER)
    assert "too short to brief" in visible(reply["text"])
    assert bot.llm.calls == 0


async def test_media_post_caption_is_briefed(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, caption=KOREA, forward_origin=bot.tg.origin_channel())
    [reply] = await bot.replies(USER)
    assert "North Korea fires missile" in reply["text"]


async def test_group_ignores_chatter_but_takes_forwards_and_commands(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(GROUP)) as bot:
        tg.user_message(GROUP, STRANGER, news("council budget"))  # long chatter, not forwarded
        tg.user_message(GROUP, STRANGER, "lol")
        tg.command(GROUP, STRANGER, "help")
        [reply] = await bot.replies(GROUP)
        assert "turns news into briefings" in reply["text"]
        tg.user_message(GROUP, STRANGER, news("rail strike"), forward_origin=tg.origin_channel())
        replies = await bot.replies(GROUP, 2)
        assert "Rail Strike update" in replies[1]["text"]
        assert fake_llm.calls == 1


async def test_stranger_gets_one_refusal_and_never_reaches_the_llm(bot: Bot) -> None:
    for i in range(3):
        bot.tg.user_message(
            STRANGER, STRANGER, news(f"topic {i}"), forward_origin=bot.tg.origin_channel()
        )
    bot.tg.command(STRANGER, STRANGER, "who", args="Kim")
    bot.tg.user_message(USER, USER, "hello bot")  # a later update from an allowed user
    await bot.replies(USER)
    refusals = bot.texts(STRANGER)
    assert len(refusals) == 1
    assert str(STRANGER) in refusals[0]
    assert bot.llm.calls == 0


async def test_nobody_allowed_warns_at_startup(tg, fake_llm, make_settings, caplog) -> None:
    caplog.set_level(logging.WARNING)
    async with running_bot(tg, fake_llm, make_settings, allowed_user_ids="") as bot:
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
        # The stranger learns what to ask for, in plain words: no setting names.
        assert f"ask the person who runs this bot to allow your id {USER}" in reply["text"].lower()
        assert "ALLOWED_" not in reply["text"]
    assert any("refuses everyone" in r.getMessage() for r in caplog.records)
    assert fake_llm.calls == 0


async def test_command_menus_are_registered_for_private_chats_and_for_groups(bot: Bot) -> None:
    calls = bot.tg.requests("setMyCommands")
    menus = {c.params["scope"]["type"]: [x["command"] for x in c.params["commands"]] for c in calls}
    assert set(menus) == {"default", "all_group_chats"}
    assert set(menus["default"]) == {
        "brief", "who", "search", "ask", "story", "map", "export", "digest", "lang", "tz",
        "follow", "following", "unfollow", "label", "help",
    }  # fmt: skip
    assert menus["all_group_chats"] == [*menus["default"][:-1], "autoforwards", "help"]


async def test_command_menu_failure_is_not_fatal(tg, fake_llm, make_settings, caplog) -> None:
    tg.fail_next("setMyCommands", status=400, description="Bad Request: nope")
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.command(USER, USER, "help")
        await bot.replies(USER)
    assert any("command menu" in r.getMessage() for r in caplog.records)


async def test_typing_shows_only_for_a_briefing_that_takes_a_while(bot: Bot) -> None:
    replies = bot.app.bot_data.replies
    replies.typing_after_s = 5.0  # the fake LLM answers at once: the reply beats the wait
    bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    assert bot.tg.chat_actions(USER) == []
    slow = bot.llm.responder
    assert slow is not None
    bot.llm.responder = lambda request: replace(slow(request), delay_s=1.0)
    replies.typing_after_s = 0.05  # now the LLM thinks for a second
    bot.tg.user_message(USER, USER, KOREA2)
    await bot.replies(USER, 2)
    assert bot.tg.chat_actions(USER) == ["typing"]


async def test_typing_failure_never_blocks_the_reply(bot: Bot) -> None:
    bot.tg.fail_next(
        "sendChatAction", status=400, description="Bad Request: chat action failed", count=5
    )
    bot.tg.user_message(USER, USER, KOREA)
    [reply] = await bot.replies(USER)
    assert "North Korea fires missile" in reply["text"]


async def test_llm_failure_gives_a_labelled_extractive_reply(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = lambda _r: Reply(status=401, error="bad key")
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
        assert "Made without the language model" in reply["text"]
        assert "service is misconfigured" in reply["text"]
        # The article was still recorded on receipt.
        assert len(bot.services.index.queries.chat_articles(USER)) == 1


async def test_handler_exception_apologises_and_keeps_serving(
    bot: Bot, monkeypatch, caplog
) -> None:
    original = ChatQueries.chat_actor_forms
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk on fire")
        return original(*args, **kwargs)

    # Class-wide: /who runs on the index's database thread, with that thread's connection.
    monkeypatch.setattr(ChatQueries, "chat_actor_forms", flaky)
    bot.tg.command(USER, USER, "who", args="Kim")
    [apology] = await bot.replies(USER)
    found = re.search(r"Error ID: <code>(\w+)</code>", apology["text"])
    assert found is not None
    error_id = found.group(1)
    assert "Sorry" in apology["text"]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    bot.tg.command(USER, USER, "who")
    replies = await bot.replies(USER, 2)
    assert "No actors" in replies[1]["text"]


async def test_telegram_429_delays_but_delivers(bot: Bot) -> None:
    bot.tg.fail_next("sendMessage", status=429, retry_after=1)
    bot.tg.user_message(USER, USER, KOREA)
    [reply] = await bot.replies(USER, timeout=15)
    assert "North Korea fires missile" in reply["text"]
    refused, sent = bot.tg.requests("sendMessage")
    assert (refused.status, sent.status) == (429, 200)
    assert sent.at - refused.at >= 1.0  # Telegram's Retry-After, kept


async def test_hostile_html_article_renders_escaped(bot: Bot) -> None:
    hostile = ("Tags <b>bold</b> & <script>alert(1)</script> *stars* _under_ \"quotes\" 'single' "
               "</blockquote> &amp; a < b > c. ") * 6  # fmt: skip
    bot.llm.responder = lambda r: Reply(content={**korea_briefing(), "headline": hostile[:150],
                                                 "tldr": hostile, "key_points": [point(hostile[:90])] * 3})  # fmt: skip
    bot.tg.user_message(USER, USER, "Hostile\n\n" + hostile)
    [reply] = await bot.replies(USER)
    text = visible(reply["text"])  # the fake refuses malformed HTML, like Telegram
    assert "<script>alert(1)</script>" in text
    assert "</blockquote> &amp; a < b > c." in text


async def test_ten_thousand_character_briefing_is_split(bot: Bot) -> None:
    long = korea_briefing()
    long["key_points"] = [point(f"Point {i}: " + "very long detail " * 40) for i in range(6)]
    long["why_it_matters"] = "Consequences paragraph. " * 300
    bot.llm.responder = lambda _r: Reply(content=long)
    bot.tg.user_message(USER, USER, KOREA)
    await bot.tg.wait_for(lambda: any("own words" in t for t in bot.texts(USER)))
    replies = bot.tg.sent_messages(USER)
    texts = [visible(r["text"]) for r in replies]
    assert len(texts) >= 3
    assert all(len(t) <= 4096 for t in texts)
    assert sum(len(t) for t in texts) > 10_000
    assert "reply_parameters" in replies[0] and "reply_parameters" not in replies[1]
    assert "own words" in texts[-1]


async def test_user_rate_limit_says_how_long_to_wait(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings, user_rate_limit_per_hour=2) as bot:
        for i in range(3):
            bot.tg.user_message(USER, USER, news(f"story {i}"))
            await bot.replies(USER, i + 1)
        assert "try again in about" in bot.texts(USER)[2]
        assert fake_llm.calls == 2
        bot.tg.user_message(USER, USER, news("story 0"))  # cached articles are never limited
        replies = await bot.replies(USER, 4)
        assert "from cache" in visible(replies[3]["text"])


async def test_bot_token_never_appears_in_logs(tg, fake_llm, make_settings, caplog) -> None:
    from bot.logs import install_redaction

    caplog.set_level(logging.DEBUG)
    install_redaction([tg.token, "sk-test-secret"])
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.user_message(USER, USER, news("log check"))
        await bot.replies(USER)
    messages = [r.getMessage() for r in caplog.records]
    assert any("getUpdates" in m for m in messages)  # httpx did log request URLs...
    assert not any(tg.token in m for m in messages)  # ...but never with the token
    assert not any("sk-test-secret" in m for m in messages)


async def test_twenty_chats_are_served_concurrently(tg, fake_llm, make_settings) -> None:
    latency = 0.4
    fake_llm.responder = lambda r: _slow(echo_briefing(r), latency)
    users = list(range(1000, 1020))
    async with running_bot(tg, fake_llm, make_settings, llm_max_concurrency=4,
                           allowed_user_ids=",".join(map(str, users))) as bot:  # fmt: skip
        started = time.monotonic()
        for user in users:
            bot.tg.user_message(user, user, news(f"city {user}"))
        for user in users:
            await bot.replies(user, timeout=20)
        elapsed = time.monotonic() - started
    assert fake_llm.calls == 20
    assert fake_llm.max_in_flight == 4  # concurrent, and never above LLM_MAX_CONCURRENCY
    assert elapsed < 0.75 * 20 * latency  # serial would take 8 s; concurrent about 2 s


def _slow(reply: Reply, seconds: float) -> Reply:
    reply.delay_s = seconds
    return reply


async def test_edits_cost_nothing_and_media_without_text_get_a_hint(bot: Bot) -> None:
    sent = bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    edited = dict(sent["message"], text=KOREA + " (edited)", edit_date=sent["message"]["date"] + 5)
    bot.tg.push_update({"edited_message": edited})
    bot.tg.push_update({"message": {**sent["message"], "message_id": 999, "text": None,
                                    "sticker": {"file_id": "s", "file_unique_id": "u", "type": "regular",
                                                "width": 1, "height": 1, "is_animated": False,
                                                "is_video": False}}})  # fmt: skip
    replies = await bot.replies(USER, 2)
    assert "I can only brief text" in replies[1]["text"]
    bot.tg.command(USER, USER, "help")  # a later round trip: an edit reply would be out by now
    replies = await bot.replies(USER, 3)
    assert "turns news into briefings" in replies[2]["text"]
    assert bot.llm.calls == 1
    assert len(bot.tg.sent_messages(USER)) == 3


async def test_brief_text_on_the_next_line_keeps_its_first_word(bot: Bot) -> None:
    bot.tg.command(USER, USER, "brief", args="\n" + news("harbour dredging"))
    [reply] = await bot.replies(USER)
    assert "Harbour Dredging update" in reply["text"]  # the first word was not eaten
    bot.tg.user_message(USER, USER, news("harbour dredging"))  # the same text pasted
    replies = await bot.replies(USER, 2)
    assert "from cache" in visible(replies[1]["text"])
    assert bot.llm.calls == 1


async def test_an_edited_command_does_not_run_again(bot: Bot) -> None:
    sent = bot.tg.command(USER, USER, "brief", args=news("canal toll"))
    await bot.replies(USER)
    edited = dict(sent["message"], text=sent["message"]["text"] + " more", edit_date=1)
    bot.tg.push_update({"edited_message": edited})
    bot.tg.command(USER, USER, "help")
    replies = await bot.replies(USER, 2)
    assert "turns news into briefings" in replies[1]["text"]
    assert bot.llm.calls == 1


async def test_brief_in_a_forum_topic_is_the_overview_not_a_reply(bot: Bot) -> None:
    topic = 5
    header = {"message_id": topic, "date": 1, "chat": {"id": GROUP, "type": "supergroup", "title": "Desk", "is_forum": True},
              "forum_topic_created": {"name": "Korea", "icon_color": 1}}  # fmt: skip
    bot.tg.user_message(GROUP, USER, KOREA, forward_origin=bot.tg.origin_channel())
    await bot.replies(GROUP)
    bot.tg.push_update({"message": {
        "message_id": 900, "date": 2, "chat": header["chat"], "text": "/brief",
        "from": {"id": USER, "is_bot": False, "first_name": "Alice"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "reply_to_message": header, "is_topic_message": True, "message_thread_id": topic,
    }})  # fmt: skip
    replies = await bot.replies(GROUP, 2, timeout=15)
    assert visible(replies[1]["text"]).startswith("🗞 Digest of 1 articles")


async def test_brief_as_a_reply_to_the_bots_own_briefing_costs_nothing(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    own = bot.tg.bot_messages(USER)[0]["message_id"]
    # The worker records its message right after Telegram's answer; a user is never faster.
    await bot.tg.wait_for(lambda: bot.services.index.article_for_message(USER, own), timeout=10)
    bot.tg.command(USER, USER, "brief", reply_to_message_id=own)
    replies = await bot.replies(USER, 2)
    assert "North Korea fires missile" in replies[1]["text"]
    assert "from cache" in visible(replies[1]["text"])
    assert bot.llm.calls == 1


async def test_llm_outage_never_shows_the_endpoint(tg, fake_llm, make_settings) -> None:
    url = fake_llm.base_url.replace("http://", "http://user:hunter2pass@")
    async with running_bot(
        tg, fake_llm, make_settings, openai_base_url=url, llm_max_attempts=1
    ) as bot:
        fake_llm.responder = lambda _r: Reply(status=503)
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
    assert "not answering right now" in reply["text"]
    assert "hunter2pass" not in reply["text"]
    assert "127.0.0.1" not in reply["text"]
