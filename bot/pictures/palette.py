"""Colours and mark shapes: Okabe-Ito hues, each polarity also told apart by its shape.

Okabe and Ito's eight colours stay distinct in the common colour-vision deficiencies; the
shape (▲ supports, ▼ opposes, ◆ mixed, ● neutral) carries the polarity on its own, so a
reader who sees no colour at all, or a greyscale print, loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How one polarity is drawn: its colour, a light tint of it, its marker and its word."""

    colour: str
    tint: str  # a cell's fill: light enough for dark ink on it
    marker: str  # a matplotlib marker code
    symbol: str  # the same shape as a character, for captions and text fallbacks
    label: str


BACKGROUND = "#ffffff"  # a light picture with a frame reads on Telegram's dark theme too
INK = "#1b1b1b"
MUTED = "#5c5c5c"
GRID = "#dcdcdc"
FRAME = "#2b2b2b"
SHIFT = "#cc79a7"  # Okabe-Ito reddish purple: distinct from all four polarities
EMPTY = "#f3f3f3"

POLARITY: dict[str, Style] = {
    "supports": Style("#0072b2", "#cfe3f1", "^", "▲", "supports"),  # blue
    "opposes": Style("#d55e00", "#f6d8c2", "v", "▼", "opposes"),  # vermillion
    "mixed": Style("#e69f00", "#f9e6bd", "D", "◆", "mixed"),  # orange
    "neutral": Style("#6e6e6e", "#e4e4e4", "o", "●", "neutral"),  # grey
}
ORDER = ("supports", "opposes", "mixed", "neutral")


def style(polarity: str) -> Style:
    """Return the style of a polarity (an unknown one is drawn as neutral)."""
    return POLARITY.get(polarity, POLARITY["neutral"])
