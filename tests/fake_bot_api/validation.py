"""The Bot API's documented limits, as the fake enforces them (400 where Telegram says 400).

Reply markup is refused, never dropped, when Telegram would refuse it: inline buttons need
non-empty text and exactly one action, callback data is 1-64 bytes, a keyboard holds at most
100 buttons. Callback answers hold at most 200 characters, captions 1024 (after entity parsing).
A photo is a PNG or JPEG of at most 10 MB, width + height at most 10,000 px, ratio at most 20.
"""

from __future__ import annotations

import io
from typing import Any

from tests.fake_bot_api.errors import ApiError

JSON = dict[str, Any]

MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_CHARS = 200
MAX_CAPTION_LENGTH = 1024
MAX_INLINE_BUTTONS = 100
_ACTIONS = frozenset({
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
})  # fmt: skip
_UNPARSABLE = "Bad Request: can't parse reply keyboard markup JSON object"


def reply_markup(raw: Any) -> JSON | None:
    """Check a `reply_markup` parameter; return the inline keyboard a message keeps, if any."""
    if raw is None:
        return None
    if not isinstance(raw, dict):  # a value that is not a JSON object (or not JSON at all)
        raise ApiError(400, _UNPARSABLE)
    if "inline_keyboard" in raw:
        rows = raw["inline_keyboard"]
        _check_inline(rows)
        return raw if rows else None
    if "keyboard" in raw:
        rows = raw["keyboard"]
        if not _rows(rows) or any(not _text_of(b) for row in rows for b in row):
            raise ApiError(400, _UNPARSABLE)
        return None
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        return None
    raise ApiError(400, _UNPARSABLE)


def _rows(rows: Any) -> bool:
    return isinstance(rows, list) and all(isinstance(row, list) for row in rows)


def _text_of(button: Any) -> str:
    if isinstance(button, str):  # reply keyboards take bare strings
        return button
    return str(button.get("text") or "") if isinstance(button, dict) else ""


def _check_inline(rows: Any) -> None:
    if not _rows(rows):
        raise ApiError(400, _UNPARSABLE)
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise ApiError(400, "Bad Request: BUTTONS_TOO_MUCH")
    for button in buttons:
        if not isinstance(button, dict):
            raise ApiError(400, _UNPARSABLE)
        if not str(button.get("text") or "").strip():
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        actions = [key for key in button if key in _ACTIONS]
        if not actions:
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise ApiError(400, _UNPARSABLE)
        if "callback_data" in button:
            data = str(button["callback_data"]).encode("utf-8")
            if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def callback_answer(params: JSON) -> None:
    """Refuse an answerCallbackQuery text Telegram would refuse."""
    if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_CHARS:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")


def caption_length(caption: str) -> None:
    """Refuse a caption (as shown, after entity parsing) longer than Telegram allows."""
    if len(caption) > MAX_CAPTION_LENGTH:
        raise ApiError(400, "Bad Request: message caption is too long")


MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # what a bot may upload (sendDocument, multipart)


def document_upload(filename: str | None, size: int) -> None:
    """Refuse an uploaded document Telegram would refuse: empty, nameless, over 50 MB."""
    if size > MAX_UPLOAD_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    if size == 0:
        raise ApiError(400, "Bad Request: file must be non-empty")
    if not (filename or "").strip():
        raise ApiError(400, "Bad Request: file name must be non-empty")


MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"


def photo(content: bytes) -> tuple[int, int]:
    """Refuse an uploaded photo Telegram would refuse; return its (width, height).

    Only PNG and JPEG are taken (told by their magic bytes, never by the file name or the
    part's content type), at most 10 MB, width + height at most 10,000 px, ratio at most 20.
    """
    from PIL import Image, UnidentifiedImageError  # Pillow comes with matplotlib

    if not content.startswith((_PNG_MAGIC, _JPEG_MAGIC)):
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    if len(content) > MAX_PHOTO_BYTES:
        raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            image.verify()  # a truncated or corrupt file is refused like garbage
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED") from exc
    if (
        not width
        or not height
        or width + height > MAX_PHOTO_SIDES
        or max(width, height) > MAX_PHOTO_RATIO * min(width, height)
    ):
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height
