"""Articles: normalised text, a content hash that survives re-pasting, input checks."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from bot.errors import ArticleError, ArticleTooLongError
from bot.models import Article, Source
from bot.render.plural import counted

# Typographic variants that re-pasting, Telegram clients and models swap freely.
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
    }
)  # fmt: skip
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0/C1 controls other than tab and newline: no article needs them, some clients choke on them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_ANY_SPACE = re.compile(r"\s+")
# Markdown-ish emphasis a client may add when a post is copied with its formatting.
_EMPHASIS = re.compile(r"[*_~|]+")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_MAX_WORD_CHARS = 40  # on average; 300,000 x in a row is not prose


def normalize_text(text: str) -> str:
    """Normalise an article for storage: NFC, no invisibles, tidy spaces and paragraphs."""
    # Lone surrogates cannot be encoded (SQLite, hashing and HTTP would fail on them).
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def canonical(text: str) -> str:
    """Fold text for comparison: compatibility forms, quotes, dashes, spaces, case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _INVISIBLE.sub("", text)
    return _ANY_SPACE.sub(" ", text).strip().casefold()


def content_hash(text: str) -> str:
    """Hash what an article says, not how it was pasted."""
    folded = _ANY_SPACE.sub(" ", _EMPHASIS.sub("", canonical(text))).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def make_article(
    text: str,
    *,
    title: str | None = None,
    source: Source | None = None,
    min_chars: int = 200,
    max_chars: int = 1_000_000,
) -> Article:
    """Build an Article from raw text, rejecting non-articles and absurdly long ones."""
    body = normalize_text(text)
    # CJK writes words without spaces: count its characters as words.
    words = len(_WORD.findall(body)) + len(_CJK.findall(body))
    # A CJK character carries about what two Latin letters do: count it twice against the
    # minimum, or a short but whole Chinese or Japanese news story reads as "too short".
    if len(body) + len(_CJK.findall(body)) < min_chars:
        raise ArticleError(
            f"That is too short to brief ({counted(len(body), 'character')}, "
            f"{counted(words, 'word')}); send an article of at least "
            f"{counted(min_chars, 'character')}."
        )
    if words < min(20, min_chars // 10) or len(body) > words * _MAX_WORD_CHARS:
        raise ArticleError(
            f"That doesn't read like an article ({counted(len(body), 'character')} but "
            f"{counted(words, 'word')}); send the text of a news story."
        )
    if len(body) > max_chars:
        # No silent truncation: long ones are briefed whole (briefing/longform.py), up to this cap.
        raise ArticleTooLongError(
            f"That is too long to brief ({counted(len(body), 'character')}); the limit is "
            f"{max_chars:,}. Send a shorter excerpt or split it."
        )
    clean_title = normalize_text(title)[:300] if title and title.strip() else None
    return Article(text=body, content_hash=content_hash(body), title=clean_title, source=source)
