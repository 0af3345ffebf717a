"""The fake Bot API server, exercised through the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import FakeTelegram, parse_html


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without this, PTB 22 warns (PTBDeprecationWarning) while *constructing* RetryAfter, and
    # filterwarnings=error turns that into the exception instead of RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    return Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(fake) as started:
        yield started


async def test_echo_round_trip_through_real_polling(fake: FakeTelegram) -> None:
    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("more", callback_data="more")]])
        await update.effective_message.reply_text(
            f"<b>echo:</b> {update.effective_message.text}",
            parse_mode=ParseMode.HTML,
            do_quote=True,
            reply_markup=keyboard,
        )

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await update.effective_chat.send_action("typing")
        await update.effective_chat.send_message("welcome")

    async def button(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"pressed {query.data}")

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(button))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dt.timedelta(seconds=5))

        fake.command(42, 42, "start")
        fake.user_message(42, 42, "hello")
        sent = await fake.wait_for(lambda: len(fake.sent_messages(42)) == 2)
        assert sent
        welcome, reply = fake.requests("sendMessage")
        assert welcome.params == {"chat_id": 42, "text": "welcome"}
        assert fake.chat_actions(42) == ["typing"]
        # user messages 1 and 2, bot messages 3 and 4: one message_id counter per chat
        assert reply.result["message_id"] == 4
        assert reply.result["text"] == "echo: hello"
        assert reply.result["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
        assert reply.result["reply_to_message"]["message_id"] == 2
        assert reply.params["reply_parameters"] == {"message_id": 2}
        assert reply.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "more"

        fake.callback_query(42, 42, message_id=4, data="more")
        await fake.wait_for(lambda: fake.requests("editMessageText"))
        assert [r.status for r in fake.requests("answerCallbackQuery")] == [200]
        assert fake.bot_messages(42)[-1]["text"] == "pressed more"
        assert "reply_markup" not in fake.bot_messages(42)[-1]  # edits without markup drop it

        await app.updater.stop()
        await app.stop()
    assert fake.pending_updates == 0  # the final getUpdates confirmed everything
    assert fake.errors == []


def test_builders_produce_updates_ptb_accepts(fake: FakeTelegram) -> None:
    origins = [
        (FakeTelegram.origin_channel(-1001, "News", username="news"), MessageOriginChannel),
        (FakeTelegram.origin_user(5, "Bob", username="bob"), MessageOriginUser),
        (FakeTelegram.origin_hidden_user("Carol"), MessageOriginHiddenUser),
        (FakeTelegram.origin_chat(-1002, "Club"), MessageOriginChat),
    ]
    for origin, kind in origins:
        update = Update.de_json(fake.user_message(7, 7, "news", forward_origin=origin), None)
        assert update.message is not None
        assert isinstance(update.message.forward_origin, kind)
    group = Update.de_json(fake.command(-1003, 8, "brief", "now", first_name="Dan"), None)
    assert group.message is not None
    assert group.message.chat.type == "supergroup"
    assert group.message.text == "/brief now"
    assert group.message.entities[0].type == "bot_command"
    assert group.message.entities[0].length == 6
    photo = Update.de_json(fake.user_message(7, 7, caption="pic", reply_to_message_id=1), None)
    assert photo.message is not None
    assert photo.message.caption == "pic"
    assert photo.message.photo
    assert photo.message.reply_to_message is not None
    assert photo.message.reply_to_message.text == "news"
    with pytest.raises(ValueError, match="sent no message"):
        fake.callback_query(7, 7, message_id=1, data="x")  # a user's message, not the bot's


async def test_long_poll_honours_offset_limit_and_wakes_up(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.user_message(1, 1, "a")["update_id"]
    fake.user_message(1, 1, "b")
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert len(await bot.get_updates(offset=first + 1)) == 1
    assert fake.pending_updates == 1  # the first one was confirmed and dropped

    poll = asyncio.create_task(bot.get_updates(offset=first + 2, timeout=10))
    await fake.wait_for(lambda: fake.pollers == 1)
    started = time.monotonic()
    fake.user_message(1, 1, "c")
    updates = await poll
    assert [u.message.text for u in updates if u.message] == ["c"]
    assert time.monotonic() - started < 1

    poll = asyncio.create_task(bot.get_updates(offset=updates[-1].update_id + 1, timeout=30))
    await fake.wait_for(lambda: fake.pollers == 1)
    started = time.monotonic()
    fake.stop()  # must wake the blocked long poll instead of waiting 30 s
    assert await poll == ()
    assert time.monotonic() - started < 1


async def test_429_surfaces_as_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(5)
    fake.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(5, "hi")
    assert caught.value.retry_after == dt.timedelta(seconds=3)
    await bot.send_message(5, "hi")
    assert [r.status for r in fake.requests("sendMessage")] == [429, 200]
    assert fake.rate_limited == 0  # injected faults are not rate-limit hits


async def test_injected_faults_and_blocked_chats(fake: FakeTelegram, bot: Bot) -> None:
    for chat in (5, 6, 9):
        fake.add_chat(chat)
    fake.fail_next("sendMessage", status=400, description="chat not found", chat_id=6)
    await bot.send_message(5, "other chat is unaffected")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(6, "x")
    fake.block_chat(9)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(9, "x")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_chat_action(9, "typing")
    fake.set_latency("sendChatAction", 0.2)
    started = time.monotonic()
    await bot.send_chat_action(5, "typing")
    assert time.monotonic() - started >= 0.2


async def test_html_is_validated_like_telegram(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(1)
    for bad in ["<x>hi</x>", "<b>hi", "<b>hi</i>", "1 < 2", "fish & chips", "</b>"]:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(1, bad, parse_mode=ParseMode.HTML)
    await bot.send_message(1, "fish & chips < 3")  # no parse mode: no parsing
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1, "<b>" + "x" * 4097 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(1, "<b> </b>", parse_mode=ParseMode.HTML)
    message = await bot.send_message(1, "<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    assert message.text == "&" * 4096


def test_parse_html_entities() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://x.org/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre>'
        '<blockquote expandable>q</blockquote><span class="tg-spoiler">s</span>&#x263A;'
    )
    assert text == "😀 bold both link x = 1qs☺"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 13, "length": 4, "url": "https://x.org/?a=1&b=2"},
        {"type": "pre", "offset": 18, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 23, "length": 1},
        {"type": "spoiler", "offset": 24, "length": 1},
    ]


async def test_edits_and_commands(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(3)
    sent = await bot.send_message(3, "v1")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("v1", chat_id=3, message_id=sent.message_id)
    edited = await bot.edit_message_text("v2", chat_id=3, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "v2"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("v3", chat_id=3, message_id=99)
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(3, "re", reply_to_message_id=99)
    await bot.set_my_commands([("brief", "Make a briefing"), ("help", "Help")])
    assert [c.command for c in await bot.get_my_commands()] == ["brief", "help"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_multipart_uploads_are_parsed(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(4)
    sent = await bot.send_document(4, b"%PDF", filename="a.pdf", caption="42")
    assert sent.caption == "42"
    assert sent.document is not None
    (request,) = fake.requests("sendDocument")
    assert request.status == 200
    assert request.params["chat_id"] == 4
    assert request.params["caption"] == "42"  # string params stay strings
    assert request.params["document"].filename == "a.pdf"
    assert request.params["document"].content == b"%PDF"


async def test_rate_checks_when_hammered() -> None:
    frozen = 1000.0  # a frozen clock: a slow CI machine cannot spread the burst out
    with FakeTelegram(
        rate_limits=True, global_per_second=10, group_per_minute=4, clock=lambda: frozen
    ) as limited:
        async with make_bot(limited) as hammering:
            outcomes = []
            for chat in (-100500, *range(1, 12)):
                limited.add_chat(chat)
            for i in range(8):
                try:
                    await hammering.send_message(-100500, f"group {i}")
                    outcomes.append("ok")
                except RetryAfter as error:
                    outcomes.append(f"429:{error.retry_after}")
            assert outcomes[:4] == ["ok"] * 4
            assert set(outcomes[4:]) == {f"429:{dt.timedelta(seconds=60)}"}
            private_errors = 0
            for chat in range(1, 12):
                try:
                    await hammering.send_message(chat, "private")
                except RetryAfter:
                    private_errors += 1
            assert private_errors == 5  # 4 group + 6 private fill the 10/s window
            assert limited.rate_limited == 4 + 5


async def test_rate_checks_quiet_when_paced() -> None:
    now = [1000.0]
    with FakeTelegram(
        rate_limits=True, global_per_second=10, group_per_minute=4, clock=lambda: now[0]
    ) as limited:
        async with make_bot(limited) as paced:
            for chat in (-100500, *range(1, 31)):
                limited.add_chat(chat)
            for i in range(12):
                now[0] += 15.1  # 4 per minute into the group
                await paced.send_message(-100500, f"group {i}")
            for i in range(30):
                now[0] += 0.101  # ~10 per second overall
                await paced.send_message(i + 1, "private")
            assert limited.rate_limited == 0


async def test_wrong_token_is_rejected(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with make_bot(fake, token="999:WRONG"):
            pass
    assert fake.requests()[-1].status == 401
    assert fake.requests()[-1].method == "getMe"


def test_raw_http_shapes(fake: FakeTelegram) -> None:
    def call(url: str) -> tuple[int, dict[str, object]]:
        try:
            with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback only)
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())

    assert call(f"{fake.base_url}{fake.token}/getMe")[1]["ok"] is True
    assert call(f"{fake.base_url}{fake.token}/getme")[0] == 200  # methods are case-insensitive
    assert call(f"{fake.base_url}{fake.token}/nope") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert call(f"{fake.base_url}1:BAD/getMe") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    fake.fail_next("getMe", retry_after=7)
    assert call(f"{fake.base_url}{fake.token}/getMe") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    send = f"{fake.base_url}{fake.token}/sendMessage?chat_id=-42&text=123"
    assert call(send) == (  # the bot was never added there: Telegram knows no such chat for it
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    fake.add_chat(-42)
    status, body = call(send)
    assert status == 200
    assert body["result"]["chat"] == {"id": -42, "type": "group", "title": "Test Group"}  # type: ignore[index]
    assert body["result"]["text"] == "123"  # type: ignore[index]


def test_a_request_cut_off_mid_body_is_neither_answered_nor_acted_on(fake: FakeTelegram) -> None:
    # A cancelled "typing…" can hang up after its headers: Telegram never sees a whole request.
    with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as sock:
        sock.sendall(
            f"POST /bot{fake.token}/sendChatAction HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n"
            "chat_id=1".encode()
        )
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(100) == b""  # hung up on, no answer
    assert fake.requests("sendChatAction") == []
