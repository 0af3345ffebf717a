"""Quotation marks in four languages: where quoted spans, sentences and a quote's words are."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.checks.cues import FR_PARTICIPLES, FR_PRESENT, SPEECH_VERB

# Marks that only ever quote; apostrophe-like marks are judged by their neighbours instead.
_DOUBLE = frozenset('"“”„‟«»‹›〝〞＂')
_SINGLE = frozenset("'‘’‚‛`´")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_TIGHT = frozenset(",.;:!?)")
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")
EDGE = " \"'.,;:!?-()[]"
_MIN_PIECE = 12  # an elided fragment shorter than this proves nothing on its own
_MIN_QUOTE = 6
# A dialogue line: "— Мы не отступим, — сказал он." / "— Nous ne céderons pas, a-t-il dit."
_DIALOGUE = re.compile(r"^[—–-]\s")
_RU_INCISE = re.compile(r"(?<=[,.!?…])\s*[—–]\s")
_INLINE_DASH = re.compile(r"(?<=[.!?…])\s+[—–] (?=[A-ZÀ-ÖА-ЯЁ])")
_INCISE = re.compile(r"(?<=[,.!?…])\s+[-—–]\s+(?=[a-zа-яё])")
_RESUME = re.compile(r"[.,]\s+[-—–]\s+(?=\S)")
_NEXT_LINE = re.compile(r"[.!?…]\s*[—–]\s")
# Sentence ends: punctuation outside quotes, then a capital, a quote mark, a dash or a digit.
_END = re.compile(r"[.!?…]+[\"”»’']*(?=\s+[\"“„«»‘'(\[—–\-\dA-ZÀ-ÖØ-ÞА-ЯЁ/])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|Gov|St|Jr|Sr|Prof|No|Nr|vs|etc|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|Hr|Fr|Mme|M|т|г|гг|им|ул)|\b[A-ZА-Я]|\b(?:[A-Z]\.)+[A-Z])$"
)


@dataclass(frozen=True)
class Span:
    """A quoted stretch of the article: the words between the marks, in text positions."""

    start: int
    end: int
    unclosed: bool = False  # the paragraph ended with the quote still open


@lru_cache(maxsize=4096)  # an article has a few hundred distinct characters
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).translate(_DASHES).casefold()
    return folded.replace("ё", "е").replace("\u00a0", " ")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold text for matching and map every folded character back to its text position."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if char in _DOUBLE or unicodedata.category(char) == "Cf":
            continue
        if char in _SINGLE:
            # An apostrophe sits between letters ("Russia's", "L'Europe"); a mark does not.
            inside = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalpha()
            if not inside:
                continue
        for piece in "'" if char in _SINGLE else _fold_char(char):
            if piece.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    where.append(i)
                continue
            if piece in _TIGHT and out and out[-1] == " ":
                out.pop()
                where.pop()
            out.append(piece)
            where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    """Fold text the way `fold_with_map` does, without the map."""
    return fold_with_map(text)[0].strip()


def locate(quote: str, folded: str, where: list[int]) -> list[tuple[int, int]]:
    """Find every place the quote occurs (elisions allowed), as text positions."""
    pieces = [p.strip(EDGE) for p in ELLIPSIS.split(quote)]
    pieces = [fold(p).strip(EDGE) for p in pieces if p.strip(EDGE)]
    pieces = [p for p in pieces if p]
    if not pieces or sum(len(p) for p in pieces) < _MIN_QUOTE:
        return []
    if len(pieces) > 1 and any(len(p) < _MIN_PIECE for p in pieces):
        return []
    found: list[tuple[int, int]] = []
    first = folded.find(pieces[0])
    while first >= 0:
        position, ok = first + len(pieces[0]), True
        for piece in pieces[1:]:
            at = folded.find(piece, position)
            if at < 0:
                ok = False
                break
            position = at + len(piece)
        if ok:
            found.append((where[first], where[position - 1] + 1))
        first = folded.find(pieces[0], first + 1)
    return found


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _closes_single(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


# One branch per quotation convention; splitting them would hide how they pair up.
def quoted_spans(paragraph: str, offset: int) -> list[Span]:  # noqa: C901, PLR0912
    """Return the outermost quoted spans of one paragraph (nested quotes belong to them)."""
    if _DIALOGUE.match(paragraph):
        return _dialogue_spans(paragraph, offset)
    spans: list[Span] = []
    stack: list[tuple[str, int]] = []  # (the mark that opened, where the words start)

    def close(i: int) -> None:
        _, start = stack.pop()
        if not stack:
            spans.append(Span(offset + start, offset + i))

    for i, char in enumerate(paragraph):
        top = stack[-1][0] if stack else ""
        if char in {"„", "‚"}:
            stack.append((char, i + 1))
        elif char == "“":
            if top == "„":
                close(i)
            else:
                stack.append((char, i + 1))
        elif char == "”":
            if top in {"“", "„"}:
                close(i)
        elif char == "«":
            if top == "»":
                close(i)
            else:
                stack.append((char, i + 1))
        elif char == "»":
            if top == "«":
                close(i)
            else:
                stack.append((char, i + 1))
        elif char == '"':
            if top == '"':
                close(i)
            else:
                stack.append((char, i + 1))
        elif char in "‘'":
            if top in {"‘", "'", "‚"} and _closes_single(paragraph, i):
                close(i)
            elif _opens_single(paragraph, i):
                stack.append((char, i + 1))
        elif char == "’" and top in {"‘", "'"} and _closes_single(paragraph, i):
            close(i)
    if stack:  # a quote continued in the next paragraph: it runs to this one's end
        spans.append(Span(offset + stack[0][1], offset + len(paragraph), unclosed=True))
    spans = [part for span in spans for part in _split_incise(paragraph, offset, span)]
    return spans + _inline_dialogue(paragraph, offset, spans)


def _split_incise(paragraph: str, offset: int, span: Span) -> list[Span]:
    """Cut the reporter's incise out of a quotation ("«…, - заявила X. - …»")."""
    inner = paragraph[span.start - offset : span.end - offset]
    cut = _INCISE.search(inner)
    if cut is None:
        return [span]
    resume = _RESUME.search(inner, cut.end())
    stop = resume.start() if resume else len(inner)
    if not SPEECH_VERB.search(inner[cut.end() : stop]):
        return [span]
    first = Span(span.start, span.start + cut.start())
    if resume is None:
        return [first]
    return [first, Span(span.start + resume.end(), span.end, span.unclosed)]


def _inline_dialogue(paragraph: str, offset: int, spans: list[Span]) -> list[Span]:
    """Find dialogue opened mid-paragraph ("… продолжится. — Мы рассчитываем …, — сказала она")."""
    found: list[Span] = []
    for match in _INLINE_DASH.finditer(paragraph):
        at = offset + match.end()
        if any(s.start <= at < s.end for s in spans + found):
            continue
        line = paragraph[match.end() - 2 :]
        speech = _dialogue_spans(line, offset + match.end() - 2)
        if speech and speech[0].end < offset + len(paragraph):  # an incise names the speaker
            found.extend(speech)
    return found


def _dialogue_spans(paragraph: str, offset: int) -> list[Span]:
    spans: list[Span] = []
    start = 2
    while start < len(paragraph):
        incise = _RU_INCISE.search(paragraph, start) or _FR_INCISE.search(paragraph, start)
        end = incise.start() if incise else len(paragraph)
        spans.append(Span(offset + start, offset + end))
        if incise is None:
            break
        resume = _NEXT_LINE.search(paragraph, incise.end())
        if resume is None:
            break
        start = resume.end()
    return spans


def sentences(paragraph: str, offset: int, spans: list[Span]) -> list[tuple[int, int]]:
    """Split a paragraph into sentences, never inside a quoted span."""
    inside = [(s.start - offset, s.end - offset) for s in spans]
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end()
        if any(a < end <= b for a, b in inside) or _ABBREV.search(paragraph[start : match.start()]):
            continue
        bounds.append((offset + start, offset + end))
        start = end
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
    if start < len(paragraph):
        bounds.append((offset + start, offset + len(paragraph)))
    return bounds


# French dialogue: the speech ends where the incise begins (", a-t-il dit", ", a déclaré X").
_FR_INCISE = re.compile(
    rf",\s+(?=(?:a|ont|avait)(?:-t-(?:il|elle|on))?\s+(?:{FR_PARTICIPLES})\b|"
    rf"(?:{FR_PRESENT})-(?:t-)?(?:il|elle)\b)"
)
