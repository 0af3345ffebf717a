"""Text a picture can show: DejaVu Sans (from matplotlib), transliterated where it lacks a glyph.

DejaVu Sans covers Latin with its accents, Greek and Cyrillic; it has no Chinese, Japanese
or Korean. Rather than guess by script, each character is looked up in the font's own
character map, and a run of characters it lacks is transliterated (anyascii: 习近平 →
XiJinping), so a picture never shows an empty box.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata
from pathlib import Path

import matplotlib as mpl
from anyascii import anyascii
from matplotlib.ft2font import FT2Font

FAMILY = "DejaVu Sans"
ELLIPSIS = "…"


@functools.cache
def font_path() -> Path:
    """Return the path of the DejaVu Sans file matplotlib ships (the same on every machine)."""
    return Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@functools.cache
def _charmap() -> frozenset[int]:
    return frozenset(FT2Font(str(font_path())).get_charmap())


def has_glyph(char: str) -> bool:
    """Tell whether the font draws this character as it should (whitespace always does).

    Right-to-left letters (Arabic, Hebrew) count as missing even where the font has them:
    matplotlib lays text out left to right without joining, so they would come out reversed.
    """
    if char.isspace():
        return True
    return ord(char) in _charmap() and unicodedata.bidirectional(char) not in {"R", "AL"}


def missing(text: str) -> str:
    """Return the characters of `text` the font lacks, in order, each once."""
    return "".join(dict.fromkeys(c for c in text if not has_glyph(c)))


_WORD_GAP = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _transliterate(run: str) -> str:
    # anyascii runs CJK syllables together ("XiJinping"); a space before each capital reads
    # as a name ("Xi Jinping"). Characters with no transliteration at all are dropped.
    latin = _WORD_GAP.sub(" ", anyascii(run)).strip()
    return latin.title() if latin.islower() else latin  # scripts without case: as a name


def drawable(text: str) -> str:
    """Return `text` with every run of characters the font lacks transliterated to Latin."""
    out: list[str] = []
    run: list[str] = []
    for char in text:
        if has_glyph(char):
            if run:
                out.append(_transliterate("".join(run)))
                run = []
            out.append(char)
        else:
            run.append(char)
    if run:
        out.append(_transliterate("".join(run)))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def cut(text: str, width: int) -> str:
    """Cut `text` to at most `width` characters, ending with an ellipsis if it was longer."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: width - 1].rstrip() + ELLIPSIS


def wrap(text: str, width: int, lines: int) -> str:
    """Wrap `text` into at most `lines` lines of `width`; the last ends with … if cut."""
    parts = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(parts) > lines:
        rest = " ".join(parts[lines - 1 :])
        parts = [*parts[: lines - 1], cut(rest, width) if len(rest) > width else rest]
        if not parts[-1].endswith(ELLIPSIS):
            parts[-1] = cut(parts[-1] + " " + ELLIPSIS, width)
    return "\n".join(parts)


def label(text: str, width: int, lines: int = 1) -> str:
    """Make `text` fit for a picture: drawable, wrapped to `lines` of `width`, cut with …."""
    shown = drawable(text)
    return wrap(shown, width, lines) if lines > 1 else cut(shown, width)
