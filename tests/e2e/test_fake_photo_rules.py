"""The fake Bot API takes a sendPhoto only as Telegram does: an uploaded PNG or JPEG within limits."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.fake_telegram import FakeTelegram

CHAT = 42


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(CHAT)
        yield server


def image(width: int, height: int, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, kind)
    return out.getvalue()


def upload(fake: FakeTelegram, content: bytes, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a multipart sendPhoto with `content` as the photo file, as PTB does."""
    answer = httpx.post(
        f"{fake.base_url}{fake.token}/sendPhoto",
        data={"chat_id": str(CHAT), **params},
        files={"photo": ("picture.png", content, "image/png")},
    )
    return answer.status_code, answer.json()


def refused(answer: tuple[int, dict[str, Any]]) -> str:
    status, body = answer
    assert status == 400, body
    return str(body["description"])


def test_an_uploaded_png_or_jpeg_is_taken_recorded_and_sized(fake: FakeTelegram) -> None:
    png, jpeg = image(1080, 700), image(640, 480, "JPEG")
    status, body = upload(fake, png, caption="<b>map</b>", parse_mode="HTML")
    assert status == 200
    assert body["result"]["photo"][0]["width"] == 1080
    assert body["result"]["caption"] == "map"
    assert upload(fake, jpeg)[0] == 200
    sent = fake.sent_photos(CHAT)
    assert [fake.photo_bytes(p) for p in sent] == [png, jpeg]


def test_content_is_judged_by_its_magic_bytes_not_its_name(fake: FakeTelegram) -> None:
    assert refused(upload(fake, b"GIF89a" + b"\0" * 64)) == "Bad Request: IMAGE_PROCESS_FAILED"
    truncated = image(300, 200)[:40]
    assert refused(upload(fake, truncated)) == "Bad Request: IMAGE_PROCESS_FAILED"


@pytest.mark.parametrize(("width", "height"), [(9000, 1001), (2100, 100), (50, 1001)])
def test_dimensions_beyond_telegrams_limits_are_refused(
    fake: FakeTelegram, width: int, height: int
) -> None:
    answer = upload(fake, image(width, height))
    assert refused(answer) == "Bad Request: PHOTO_INVALID_DIMENSIONS"


def test_dimensions_at_the_limits_are_taken(fake: FakeTelegram) -> None:
    assert upload(fake, image(2000, 100))[0] == 200  # ratio exactly 20
    assert upload(fake, image(5000, 5000))[0] == 200  # 10,000 in total


def test_a_photo_over_10_mb_is_refused(fake: FakeTelegram) -> None:
    big = image(64, 64) + b"\0" * (10 * 1024 * 1024)  # trailing bytes after IEND count too
    assert refused(upload(fake, big)) == "Bad Request: PHOTO_SAVE_FILE_INVALID"


def test_captions_are_measured_after_html_parsing_and_must_parse(fake: FakeTelegram) -> None:
    png = image(200, 100)
    fits = "<i>" + "&amp;" * 1024 + "</i>"
    assert upload(fake, png, caption=fits, parse_mode="HTML")[0] == 200
    over = "<i>" + "x" * 1025 + "</i>"
    assert refused(upload(fake, png, caption=over, parse_mode="HTML")) == (
        "Bad Request: message caption is too long"
    )
    assert refused(upload(fake, png, caption="<b>open", parse_mode="HTML")).startswith(
        "Bad Request: can't parse entities"
    )


def test_a_photo_by_an_unknown_file_id_or_url_is_refused(fake: FakeTelegram) -> None:
    def by_id(photo: str) -> tuple[int, dict[str, Any]]:
        sent = httpx.post(
            f"{fake.base_url}{fake.token}/sendPhoto", data={"chat_id": str(CHAT), "photo": photo}
        )
        return sent.status_code, sent.json()

    assert refused(by_id("https://example.invalid/a.png")) == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )
    _, first = upload(fake, image(100, 100))
    assert by_id(first["result"]["photo"][0]["file_id"])[0] == 200  # an uploaded photo's id
