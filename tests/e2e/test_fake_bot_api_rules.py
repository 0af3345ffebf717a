"""The fake Bot API refuses what Telegram refuses (a test passing on a lenient fake is a defect)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fake_telegram import FakeTelegram

CHAT = 42


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(CHAT)
        yield server


def post(fake: FakeTelegram, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST `params` as JSON, like a client; return the status and the decoded answer."""
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        f"{fake.base_url}{fake.token}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback only)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def refused(answer: tuple[int, dict[str, Any]]) -> str:
    status, body = answer
    assert status == 400, body
    return str(body["description"])


def keyboard(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


def test_callback_data_is_at_most_64_bytes(fake: FakeTelegram) -> None:
    fits = keyboard({"text": "ok", "callback_data": "й" * 32})  # 64 bytes in UTF-8
    assert post(fake, "sendMessage", chat_id=CHAT, text="t", reply_markup=fits)[0] == 200
    over = keyboard({"text": "ok", "callback_data": "й" * 32 + "x"})
    assert refused(post(fake, "sendMessage", chat_id=CHAT, text="t", reply_markup=over)) == (
        "Bad Request: BUTTON_DATA_INVALID"
    )
    empty = keyboard({"text": "ok", "callback_data": ""})
    assert "BUTTON_DATA_INVALID" in refused(
        post(fake, "sendMessage", chat_id=CHAT, text="t", reply_markup=empty)
    )


@pytest.mark.parametrize(
    ("markup", "why"),
    [
        (keyboard({"text": "", "callback_data": "x"}), "BUTTON_TEXT_INVALID"),
        (keyboard({"text": "no action"}), "text buttons are unallowed in the inline keyboard"),
        (keyboard({"text": "two", "callback_data": "x", "url": "https://a.b"}), "can't parse"),
        (keyboard({"text": "u", "url": "javascript:alert(1)"}), "BUTTON_URL_INVALID"),
        ("{not json", "can't parse reply keyboard markup"),
        ({"inline_keyboard": "row"}, "can't parse reply keyboard markup"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": "x"}] * 101]}, "BUTTONS_TOO_MUCH"),
        ({"something": True}, "can't parse reply keyboard markup"),
    ],
)
def test_malformed_markup_is_refused_not_dropped(fake: FakeTelegram, markup: Any, why: str) -> None:
    assert why in refused(post(fake, "sendMessage", chat_id=CHAT, text="t", reply_markup=markup))
    assert fake.sent_messages(CHAT) == []


def test_edits_check_their_markup_too(fake: FakeTelegram) -> None:
    _, sent = post(fake, "sendMessage", chat_id=CHAT, text="t")
    message_id = sent["result"]["message_id"]
    bad = keyboard({"text": "b", "callback_data": "x" * 65})
    for method, extra in (("editMessageText", {"text": "t2"}), ("editMessageReplyMarkup", {})):
        answer = post(fake, method, chat_id=CHAT, message_id=message_id, reply_markup=bad, **extra)
        assert "BUTTON_DATA_INVALID" in refused(answer)


def test_a_chat_the_bot_never_saw_is_not_found(fake: FakeTelegram) -> None:
    for method, extra in (
        ("sendMessage", {"text": "hi"}),
        ("sendChatAction", {"action": "typing"}),
    ):
        assert refused(post(fake, method, chat_id=777, **extra)) == "Bad Request: chat not found"
    fake.user_message(777, 777, "hello")  # the user writes first: now the bot may answer
    assert post(fake, "sendMessage", chat_id=777, text="hi")[0] == 200


def test_callback_answers_are_at_most_200_characters(fake: FakeTelegram) -> None:
    _, sent = post(fake, "sendMessage", chat_id=CHAT, text="t")
    for length, status in ((201, 400), (200, 200)):
        query = fake.callback_query(CHAT, CHAT, sent["result"]["message_id"], "x")
        query_id = query["callback_query"]["id"]
        answer = post(fake, "answerCallbackQuery", callback_query_id=query_id, text="a" * length)
        assert answer[0] == status


def test_captions_are_at_most_1024_characters_after_parsing(fake: FakeTelegram) -> None:
    # A file Telegram already holds, so only the caption can be refused.
    file_id = fake.add_file(b"%PDF-1.4", file_name="a.pdf", mime_type="application/pdf")["file_id"]
    shown = "<b>" + "x" * 1024 + "</b>"  # 1024 shown, longer on the wire
    ok = post(
        fake, "sendDocument", chat_id=CHAT, document=file_id, caption=shown, parse_mode="HTML"
    )
    assert ok[0] == 200
    assert ok[1]["result"]["caption"] == "x" * 1024
    over = post(fake, "sendDocument", chat_id=CHAT, document=file_id, caption="y" * 1025)
    assert refused(over) == "Bad Request: message caption is too long"


def test_text_is_measured_after_entity_parsing(fake: FakeTelegram) -> None:
    fits = "<i>" + "&lt;" * 4096 + "</i>"
    assert post(fake, "sendMessage", chat_id=CHAT, text=fits, parse_mode="HTML")[0] == 200
    over = "z" * 4097
    assert refused(post(fake, "sendMessage", chat_id=CHAT, text=over)) == (
        "Bad Request: message is too long"
    )


def test_a_failure_inside_the_fake_fails_the_test_that_caused_it() -> None:
    failed = pytest.raises(AssertionError, match="the fake Bot API failed inside")
    with failed, FakeTelegram() as server:
        server.add_chat(CHAT)
        # A bug in the fake (it assumes a numeric id): an HTTP 500, then a failed test.
        params = {"chat_id": CHAT, "text": "t", "reply_parameters": {"message_id": "abc"}}
        assert post(server, "sendMessage", **params)[0] == 500
