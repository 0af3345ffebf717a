"""Paragraph-sized pieces of an article, and how well each answers a question's words."""

from __future__ import annotations

import math
import re
from collections.abc import Collection

from bot.search.text import stems, words

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+")
_MAX_CHARS = 700  # a passage is at most a long paragraph: enough to quote, short to read


def pieces(text: str) -> list[str]:
    """Split an article into paragraphs, long ones into runs of sentences of ≤ 700 chars."""
    found: list[str] = []
    for raw in _PARAGRAPH.split(text):
        paragraph = " ".join(raw.split())
        if not paragraph:
            continue
        run = ""
        for sentence in _SENTENCE_END.split(paragraph):
            if run and len(run) + 1 + len(sentence) > _MAX_CHARS:
                found.append(run)
                run = sentence
            else:
                run = f"{run} {sentence}" if run else sentence
        if run:
            found.append(run)
    return found


def stem_set(text: str, language: str | None) -> frozenset[str]:
    """Return the distinct stems of a piece, as the index stems its article."""
    return frozenset(stems(words(text), language))


def weights(pieces_stems: list[frozenset[str]], wanted: Collection[str]) -> dict[str, float]:
    """Weigh each wanted stem by how rare it is among the candidate pieces (an IDF)."""
    n = len(pieces_stems)
    return {s: math.log(1 + n / (1 + sum(1 for p in pieces_stems if s in p))) for s in wanted}
