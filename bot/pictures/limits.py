"""Telegram's limits on a photo, checked before sending so a refusal becomes text, not an error.

sendPhoto takes at most 10 MB, width + height at most 10,000 px, a side ratio at most 20,
and a caption of at most 1,024 characters as shown (after its HTML is parsed).
"""

from __future__ import annotations

import struct
from html.parser import HTMLParser

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES_PX = 10_000
MAX_RATIO = 20.0
MAX_CAPTION = 1024
_PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int] | None:
    """Return a PNG's (width, height) from its header, or None if it is no PNG."""
    if not data.startswith(_PNG) or len(data) < 24 or data[12:16] != b"IHDR":  # noqa: PLR2004
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def photo_problem(data: bytes) -> str | None:
    """Say why Telegram would refuse this PNG as a photo, or None if it takes it."""
    size = png_size(data)
    if size is None:
        return "not a PNG"
    if len(data) > MAX_PHOTO_BYTES:
        return f"{len(data)} bytes, over {MAX_PHOTO_BYTES}"
    width, height = size
    if not width or not height or width + height > MAX_SIDES_PX:
        return f"{width}x{height} px: sides over {MAX_SIDES_PX} in all"
    if max(width, height) / min(width, height) > MAX_RATIO:
        return f"{width}x{height} px: ratio over {MAX_RATIO:g}"
    return None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_text(html: str) -> str:
    """Return what a Telegram HTML text shows: tags dropped, entities decoded."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def shown_length(html: str) -> int:
    """Count the characters Telegram counts for an HTML caption (UTF-16 code units)."""
    return len(shown_text(html).encode("utf-16-le")) // 2


def caption_fits(html: str) -> bool:
    """Tell whether an HTML caption is within Telegram's 1,024 characters."""
    return shown_length(html) <= MAX_CAPTION
