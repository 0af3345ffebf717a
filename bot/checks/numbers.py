"""Numbers in running text, read by value: digits in en/ru/de/fr styles, words and scales."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.checks.number_words import MULT, ONE, SCALE, UNIT, word_value

_SEP = r"[ \u00a0\u202f\u2009'’]"
# Digit groups: "20,000", "20 000", "20.000", "1'000", decimals "1,5" / "1.5". A number glued
# to letters ("G7", "F-16", "Su-57") is a designation, not a quantity.
_DIGITS = rf"\d{{1,3}}(?:(?:{_SEP}|[,.])\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE = (
    r"thousand|millions?|billions?|trillions?|bn|mn|mln|tn|тыс\.?|тысяч\w*|млн\.?|"
    r"миллион\w*|млрд\.?|миллиард\w*|трлн\.?|триллион\w*|Tsd\.?|Tausend|Mio\.?|"
    r"Million(?:en)?|Mrd\.?|Milliarden?|Billion(?:en)?|mille|milliards?"
)
_PERCENT = (
    r"%|per\s?cent|percent|percentage points?|процент\w*|проц\.|п\.\s?п\.|Prozent\w*|"
    r"Prozentpunkte\w*|pour\s?cent|points? de pourcentage"
)
_NUMBER = re.compile(
    rf"(?P<cur>(?:US)?\$\s?|[€£¥]\s?)?(?<![\w.,])(?<![^\W\d_]-)(?P<num>{_DIGITS})"
    r"(?P<ord>st|nd|rd|th|er|e|ème|-й|-го|-я|-е)?"
    rf"(?:(?P<glued>bn|m|k)|\s?(?P<scale>{_SCALE})(?![^\W\d_]))?"
    rf"(?:\s?(?P<pct>{_PERCENT}))?(?![^\W_])",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(rf"\s?(?:{_PERCENT})(?![^\W\d_])", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-‑][^\W\d_]+)*")
_CONNECTORS = frozenset(["and", "et", "und", "и"])
# A quantity qualified like this may differ from the article's by up to APPROX_TOLERANCE.
_QUALIFIER = re.compile(
    r"(?:about|around|roughly|nearly|almost|some|approximately|more than|over|at least|"
    r"up to|fewer than|less than|under|close to|upwards of|около|почти|более|свыше|порядка|"
    r"примерно|приблизительно|менее|больше|меньше|не менее|не более|etwa|rund|fast|mehr als|"
    r"über|knapp|gut|ungefähr|circa|ca\.|weniger als|bis zu|beinahe|nahezu|environ|près de|"
    r"presque|plus de|quelque|moins de|jusqu'à|au moins|quasiment|~)"
    r"(?:\s+(?:в|на|à|de|auf|um|d'))?\s*(?:US\$|\$|€|£)?\s*$",
    re.IGNORECASE,
)
APPROX_TOLERANCE = 0.10
_YEARS = range(1900, 2100)
_GROUP = 3  # digits in a thousands group


@dataclass(frozen=True)
class NumberMention:
    """One quantity as written, with the values it may stand for."""

    text: str
    start: int
    end: int
    values: frozenset[float]
    approx: bool = False
    year: bool = False


def _digits_value(raw: str) -> float:
    """Read one digit string whatever the writer's separators."""
    raw = re.sub(_SEP, "", raw)
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return float(raw.replace(thousands, "").replace(decimal, "."))
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(raw)
    head, _, tail = raw.rpartition(sep)
    # Several separators, or exactly three digits after one, group thousands ("20.000",
    # "20,000"); a decimal written with three places ("1,500" for 1.5) is rare in news.
    if raw.count(sep) > 1 or (len(tail) == _GROUP and head.strip("0")):
        return float(raw.replace(sep, ""))
    return float(raw.replace(sep, "."))


def _scale_values(word: str) -> set[float]:
    w = word.casefold().rstrip(".")
    if w.startswith("billion"):
        # German and French "Billion" is 10^12; an English headline may capitalise it too.
        if w.endswith("en"):
            return {1e12}
        return {1e12, 1e9} if word[0].isupper() else {1e9}
    if w.startswith(("trillion", "триллион", "трлн", "tn")):
        return {1e12}
    if w.startswith(("milliard", "миллиард", "млрд", "mrd", "bn")):
        return {1e9}
    if w.startswith(("million", "миллион", "млн", "mio", "mn", "mln", "m")):
        return {1e6}
    return {1e3}


def _with_percent(values: set[float], percent: bool) -> frozenset[float]:
    # "5%" may be compared with "a twentieth" and "half" with "50%": keep both readings.
    if percent:
        values |= {v / 100 for v in values}
    return frozenset(values)


def _qualified(text: str, start: int) -> bool:
    return bool(_QUALIFIER.search(text[max(0, start - 24) : start]))


def _digit_mentions(text: str) -> list[NumberMention]:
    found = []
    for m in _NUMBER.finditer(text):
        value = _digits_value(m["num"])
        scale = m["glued"] or m["scale"]
        values = {value * s for s in _scale_values(scale)} if scale else {value}
        year = not (scale or m["pct"] or m["ord"]) and m["num"].isdigit() and value in _YEARS
        found.append(
            NumberMention(
                text=m.group().strip(),
                start=m.start(),
                end=m.end(),
                values=_with_percent(values, bool(m["pct"])),
                approx=_qualified(text, m.start("cur") if m["cur"] else m.start()),
                year=year,
            )
        )
    return found


def _evaluate(parts: list[tuple[float, str]]) -> float | None:
    total, current, seen = 0.0, 0.0, False
    for i, (value, role) in enumerate(parts):
        if role == UNIT:
            current, seen = current + value, True
        elif role == ONE:
            # "a" / "one" counts only before a multiplier: "a dozen", not "a two-thirds".
            if i + 1 < len(parts) and parts[i + 1][1] in {MULT, SCALE}:
                current = 1.0
        elif role == SCALE:
            if not current:
                return None  # "thousands of", "тысячи людей": not a count
            total, current, seen = total + current * value, 0.0, True
        elif not current:
            return None  # "every quarter", "the third day": no count before the multiplier
        else:  # a multiplier: hundred, dozen, a fraction's denominator
            current, seen = current * value, True
    return total + current if seen else None


def _word_mentions(text: str) -> list[NumberMention]:
    found: list[NumberMention] = []
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        parts: list[tuple[float, str]] = []
        j = end = i
        while j < len(words):
            read = word_value(words[j].group())
            gap = text[words[j - 1].end() : words[j].start()] if j > i else ""
            if read is None or gap.strip():
                if j > i and words[j].group().casefold() in _CONNECTORS and not gap.strip():
                    j += 1
                    continue
                break
            parts.extend(read)
            if read[-1][1] != ONE:  # a trailing "a" / "un" belongs to what follows
                end = j
            j += 1
        value = _evaluate(parts) if parts else None
        if value is not None:
            start, stop = words[i].start(), words[end].end()
            if pct := _PERCENT_AFTER.match(text, stop):
                values, stop = _with_percent({value}, percent=True), pct.end()
            elif 0 < value < 1:  # "two-thirds" may be written "66.7%" in the article
                values = frozenset({value, value * 100})
            else:
                values = frozenset({value})
            found.append(
                NumberMention(
                    text=text[start:stop],
                    start=start,
                    end=stop,
                    values=values,
                    approx=_qualified(text, start),
                )
            )
        i = max(end, i) + 1
    return found


def number_mentions(text: str) -> list[NumberMention]:
    """Find every quantity in a text, written in digits or in words."""
    digits = _digit_mentions(text)
    # "5 pour cent": the "cent" is part of a percentage already read, not a hundred.
    words = [
        w
        for w in _word_mentions(text)
        if not any(d.start < w.end and w.start < d.end for d in digits)
    ]
    return sorted(digits + words, key=lambda n: n.start)


def _precision(value: float) -> float:
    """Give the place of a value's last significant digit (20,000 -> 10,000; 9.5 -> 0.1)."""
    if value == 0:
        return 1.0
    for exp in range(15, -7, -1):
        step = 10.0**exp
        units = round(value / step)
        if units and math.isclose(value / step, units, rel_tol=0, abs_tol=1e-6):
            return step
    return 1e-6


def same_quantity(stated: float, written: float, *, approx: bool) -> bool:
    """Tell whether a summary's value is supported by one of the article's."""
    if math.isclose(stated, written, rel_tol=1e-9):
        return True
    close = abs(stated - written) <= APPROX_TOLERANCE * abs(written)
    if approx:
        return close
    # Unqualified, a summary may still round: "$1.2 billion" for $1.23 billion, never
    # "20,000" for 24,000 (that is more than the tolerance away).
    step = _precision(stated)
    return close and math.isclose(round(written / step) * step, stated, rel_tol=1e-9)
