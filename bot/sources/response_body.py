"""Reading a fetched response: its status, its content type and its (compressed) body.

Which statuses mean what to the user, which content types are articles (and, when asked
for, feeds), a body decompressed with its size capped so a small bomb never inflates past
the limit, and what a body with no usable type is sniffed as. fetch.py decides where to
connect and how to follow redirects safely; this module only judges what came back.
"""

from __future__ import annotations

import zlib
from email.message import Message

from bot.errors import FetchFailedError

CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/pdf": "pdf",
}
# Only when a feed is asked for (feeds=True): a link shared in a chat is never read as XML.
FEED_TYPES = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
}


class _Decoder:
    """Undo gzip/deflate with the output capped: a small bomb never inflates past the cap."""

    def __init__(self, encoding: str | None, cap: int) -> None:
        name = (encoding or "identity").strip().lower()
        if name not in {"identity", "gzip", "x-gzip", "deflate"}:
            raise FetchFailedError(f"The site sent the page in an encoding I can't read ({name}).")
        # wbits 32+15 reads both gzip and zlib-wrapped deflate.
        self._zlib = None if name == "identity" else zlib.decompressobj(32 + zlib.MAX_WBITS)
        self._cap = cap
        self._out = bytearray()

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._out += data
        else:
            try:
                self._out += self._zlib.decompress(data, self._cap - len(self._out) + 1)
            except zlib.error:
                raise FetchFailedError("The site sent a corrupt compressed page.") from None
        if len(self._out) > self._cap or (self._zlib is not None and self._zlib.unconsumed_tail):
            raise _too_large(self._cap)

    def finish(self) -> bytes:
        return bytes(self._out)


def _too_large(cap: int) -> FetchFailedError:
    return FetchFailedError(f"The page is larger than I fetch ({cap / 1_000_000:g} MB).")


def _content_type(header: str | None, *, feeds: bool) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    message = Message()
    message["content-type"] = header
    mime = message.get_content_type()
    charset = message.get_param("charset")
    kind = CONTENT_TYPES.get(mime) or (FEED_TYPES.get(mime) if feeds else None)
    if kind is None and mime not in {"application/octet-stream", "binary/octet-stream"}:
        what = mime.split("/", 1)[0]
        noun = {"image": "an image", "video": "a video", "audio": "audio"}.get(what, mime)
        raise FetchFailedError(f"That link leads to {noun}, not an article.")
    return kind, charset if isinstance(charset, str) else None


def _sniff(body: bytes, *, feeds: bool) -> str:
    head = body[:512].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if feeds and (head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "html"
    raise FetchFailedError("That link leads to a file, not an article.")


def _status_reason(status: int) -> str:
    if status in {404, 410}:
        return f"That page doesn't exist (HTTP {status})."
    if status in {401, 402, 403, 451}:
        return f"The site refused to show me that page (HTTP {status}): it may need a login."
    if status == 429 or status >= 500:  # noqa: PLR2004
        return f"The site isn't answering properly right now (HTTP {status})."
    return f"The site answered with HTTP {status} instead of a page."
