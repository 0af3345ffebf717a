"""The reporter's words of a sentence: quotations masked, names in quotation marks kept."""

from __future__ import annotations

import re

from bot.checks.phrases import MASK
from bot.checks.quotation import Span

_MARKS = frozenset("\"“”„‟«»‹›‘’‚'")  # masked with the quotation they open or close
_TITLE_WORDS = 3
_BEFORE_TITLE = re.compile(
    r"(?i)^(?:der|die|das|dem|den|des|von|einem|le|la|du|the|агентств\w*|газет\w*)\W*$"
)


def name_in_marks(text: str, span: Span) -> bool:
    """Tell a name in quotation marks (»Bild«, «Прайм», »Süddeutsche Zeitung«) from words."""
    inner = text[span.start : span.end].split()
    before = text[max(0, span.start - 12) : span.start].rstrip("".join(_MARKS)).split()
    if not inner or len(inner) > _TITLE_WORDS or not all(w[0].isupper() for w in inner):
        return False
    return len(inner) > 1 or bool(before and _BEFORE_TITLE.search(before[-1]))


def reporters_words(text: str, bounds: tuple[int, int], lead: int, spans: list[Span]) -> str:
    """Blank a sentence's dateline and mask its quoted words, so only the reporter's are read."""
    start, end = bounds
    chars = list(text[start:end])
    for i in range(start, min(lead, end)):
        chars[i - start] = " "
    for span in spans:
        a, b = max(span.start, start), min(span.end, end)
        if a >= b or name_in_marks(text, span):
            continue
        while a > start and text[a - 1] in _MARKS:
            a -= 1
        while b < end and text[b] in _MARKS:
            b += 1
        for i in range(a, b):
            chars[i - start] = MASK
    return "".join(chars)
