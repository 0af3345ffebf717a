"""Documents: PDF (pypdf), HTML and plain-text files, to text and a title."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

from bot.errors import NoArticleError, SourceError
from bot.sources.extract import Page, decode_html, extract_page

log = logging.getLogger(__name__)

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API's getFile cap
_BY_MIME = {
    "application/pdf": "pdf",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "text",
}
_BY_SUFFIX = {
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text", ".md": "text",
}  # fmt: skip
# A page of a text-layer PDF yields hundreds of characters; a scan yields none or a few.
_MIN_CHARS_PER_PAGE = 40
SUPPORTED = "I can brief PDF, HTML and plain-text files."
DAMAGED = "That PDF is damaged or not really a PDF, so I can't read it."


def document_kind(file_name: str | None, mime_type: str | None) -> str | None:
    """Tell "pdf", "html" or "text" from a MIME type or, failing that, the file name."""
    kind = _BY_MIME.get((mime_type or "").split(";", 1)[0].strip().lower())
    if kind is None and file_name:
        kind = _BY_SUFFIX.get(PurePath(file_name).suffix.lower())
    return kind


def read_document(
    data: bytes, kind: str, *, file_name: str | None = None, enough_chars: int = 200_000
) -> Page:
    """Turn a document's bytes into a Page; raise a SourceError when it holds no text.

    A PDF is read page by page only until `enough_chars`: past the article cap it is refused
    anyway, so the rest need not be parsed.
    """
    if kind == "pdf":
        return _pdf(data, file_name, enough_chars)
    if kind == "html":
        return extract_page(decode_html(data, None))
    if kind == "text":
        return Page(text=_decode_text(data), title=None)
    raise SourceError(SUPPORTED, hint=False)


def _decode_text(data: bytes) -> str:
    for encoding in (
        ("utf-8-sig", "utf-16") if data[:2] not in (b"\xff\xfe", b"\xfe\xff") else ("utf-16",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _pdf(data: bytes, file_name: str | None, enough_chars: int) -> Page:
    try:
        pages, title, author = _pdf_parts(data, enough_chars)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any error from pypdf is the file's
        # A hostile or broken file makes pypdf raise far more than PdfReadError: its limits
        # (LimitReachedError), RecursionError, AssertionError, TypeError... Whatever it is,
        # the file is what failed, not the bot: say so, as for any damaged file.
        log.info("unreadable PDF %s: %r", file_name, exc)
        raise SourceError(DAMAGED) from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if len(text) < _MIN_CHARS_PER_PAGE * max(1, min(len(pages), 3)):
        raise NoArticleError(
            "That PDF has no text layer (it looks like a scan or images), so I can't read it. "
            "Paste the text, or send a PDF with selectable text.",
            hint=False,
        )
    return Page(
        text=text,
        title=str(title).strip() or None if title else None,
        author=str(author).strip() or None if author else None,
    )


def _pdf_parts(data: bytes, enough_chars: int) -> tuple[list[str], object, object]:
    # Pages' text (until `enough_chars`), title and author: everything pypdf is asked for.
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise SourceError("That PDF is password-protected, so I can't read it.")
    pages: list[str] = []
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        if sum(map(len, pages)) > enough_chars:
            break
    info = reader.metadata
    title = info.title if info is not None else None
    author = info.author if info is not None else None
    return pages, title, author
