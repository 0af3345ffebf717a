r"""Snippets: the stretch of an article's text where the query's words are, marked.

Computed in Python from the raw text rather than by FTS5's snippet(): the index holds stems,
not the words as written, so the words are re-read and stemmed here (the same way the index
stems them) and those whose stem the query asks for are marked with \x02…\x03.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.search.text import stems

MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+")
_WINDOW = 32  # words in a snippet (about 200 characters of wire copy)
_LEAD = 6  # words shown before the first match in the window


def marked(text: str, language: str | None, wanted: Collection[str]) -> tuple[str, int]:
    """Return the best window of `text` with the wanted stems marked, and how many it marks."""
    text = text.replace(MARK_START, "").replace(MARK_END, "")
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return text.strip(), 0
    hits = [
        i
        for i, stem in enumerate(stems([text[a:b].casefold() for a, b in spans], language))
        if stem in wanted
    ]
    start = _best_start(hits, len(spans))
    end = min(len(spans), start + _WINDOW)
    shown = [i for i in hits if start <= i < end]
    pieces: list[str] = []
    cursor = spans[start][0]
    for i in shown:
        a, b = spans[i]
        pieces += [text[cursor:a], MARK_START, text[a:b], MARK_END]
        cursor = b
    last = spans[end - 1][1] if end < len(spans) else len(text)
    pieces.append(text[cursor:last])
    body = " ".join("".join(pieces).split())
    return ("…" if start else "") + body + ("…" if end < len(spans) else ""), len(shown)


def _best_start(hits: list[int], words: int) -> int:
    """Start the window where it holds the most matches, a few words before the first."""
    if not hits:
        return 0
    best, best_count = hits[0], 0
    for n, first in enumerate(hits):
        count = sum(1 for i in hits[n:] if i < first + _WINDOW - _LEAD)
        if count > best_count:
            best, best_count = first, count
    return max(0, min(best - _LEAD, words - _WINDOW))


def snippet(
    texts: list[tuple[str, str | None]], wanted: Collection[str], *, chars: int = 240
) -> str:
    """Return the marked snippet of the first text with a match, else the first text's start."""
    for text, language in texts:
        if text and wanted:
            found, count = marked(text, language, wanted)
            if count:
                return found
    first = next((t for t, _ in texts if t), "")
    first = " ".join(first.replace(MARK_START, "").replace(MARK_END, "").split())
    return first if len(first) <= chars else first[: chars - 1].rstrip() + "…"
