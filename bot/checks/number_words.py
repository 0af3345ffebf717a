"""Written numbers in en, ru, de and fr: a small shipped table, no dependency."""

from __future__ import annotations

import functools
import re

UNIT, MULT, SCALE, ONE = "unit", "mult", "scale", "one"

# The word for one is also the indefinite article ("a", "un", "ein"): it only counts before
# a multiplier or scale ("a dozen", "un million", "eine Milliarde").
_ONE = ("a", "an", "one", "un", "une", "ein", "eine", "einen", "einem", "einer", "один", "одна",
        "одну", "одного", "одной")  # fmt: skip

_EN = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_FR = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
_DE = {
    "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
    "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
# Russian numerals decline; each line lists the forms a news text uses.
_RU = {
    2: "два две двух двум двумя", 3: "три трех трёх трем трём тремя",
    4: "четыре четырех четырёх четырем четырём четырьмя", 40: "сорок сорока",
    90: "девяносто девяноста", 100: "сто ста", 200: "двести двухсот двумстам",
    300: "триста трехсот трёхсот", 400: "четыреста четырехсот четырёхсот",
    50: "пятьдесят пятидесяти", 60: "шестьдесят шестидесяти", 70: "семьдесят семидесяти",
    80: "восемьдесят восьмидесяти", 500: "пятьсот пятисот", 600: "шестьсот шестисот",
    700: "семьсот семисот", 800: "восемьсот восьмисот", 900: "девятьсот девятисот",
}  # fmt: skip
# Numerals in -ь decline as -и / -ью: "пять", "пяти", "пятью".
_RU_SOFT = {
    5: "пят", 6: "шест", 7: "сем", 8: "восем", 9: "девят", 10: "десят", 11: "одиннадцат",
    12: "двенадцат", 13: "тринадцат", 14: "четырнадцат", 15: "пятнадцат", 16: "шестнадцат",
    17: "семнадцат", 18: "восемнадцат", 19: "девятнадцат", 20: "двадцат", 30: "тридцат",
}  # fmt: skip
_MULTIPLIERS = {
    "hundred": 100.0, "dozen": 12.0, "cent": 100.0, "cents": 100.0, "douzaine": 12.0,
    "hundert": 100.0, "dutzend": 12.0, "дюжина": 12.0, "дюжины": 12.0,
    # Fractions: "two-thirds", "две трети", "zwei Drittel", "deux tiers".
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
    "quarters": 0.25, "треть": 1 / 3, "трети": 1 / 3, "третей": 1 / 3, "четверть": 0.25,
    "четверти": 0.25, "четвертей": 0.25, "drittel": 1 / 3, "viertel": 0.25, "tiers": 1 / 3,
    "quart": 0.25, "quarts": 0.25,
}  # fmt: skip
# These read as a fraction on their own; "third", "quarter", "tiers" alone are ordinals or
# other words ("the third day", "headquarters", "pays tiers").
_ALONE = {"половина": 0.5, "половину": 0.5, "половины": 0.5, "hälfte": 0.5, "moitié": 0.5}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mille": 1e3,
    "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "tausend": 1e3, "millionen": 1e6,
    "milliarde": 1e9, "milliarden": 1e9,
}  # fmt: skip
_RU_SCALES = (("тысяч", 1e3), ("миллион", 1e6), ("миллиард", 1e9), ("триллион", 1e12))
_UNITS: dict[str, float] = {**_EN, **_FR, **_DE}
for _value, _forms in _RU.items():
    _UNITS.update(dict.fromkeys(_forms.split(), _value))
for _value, _stem in _RU_SOFT.items():
    _UNITS.update(dict.fromkeys((_stem + "ь", _stem + "и", _stem + "ью"), _value))
_UNITS["восьмью"] = 8
del _UNITS["семью"]  # also "the family" (семья), far more common in news than "by seven"
# German glues numbers into one word: "einundzwanzig", "zweihundert", "zwanzigtausend".
_DE_PARTS = sorted([*_DE, "ein", "eins", "und", "hundert", "tausend"], key=len, reverse=True)
_DE_GLUED = re.compile(f"(?:{'|'.join(_DE_PARTS)})+")
_DE_PART = re.compile("|".join(_DE_PARTS))


def _single(word: str, *, first: bool) -> tuple[float, str] | None:
    if word in _UNITS:
        return _UNITS[word], UNIT
    if word in _ONE:
        return (1.0, ONE) if first else (1.0, UNIT)
    if word in _MULTIPLIERS:
        return _MULTIPLIERS[word], MULT
    if word in _SCALES:
        return _SCALES[word], SCALE
    for stem, value in _RU_SCALES:
        if word.startswith(stem):
            return value, SCALE
    return None


def _german(word: str) -> list[tuple[float, str]] | None:
    pieces = _DE_PART.findall(word)
    if not _DE_GLUED.fullmatch(word) or len(pieces) < 2:  # noqa: PLR2004
        return None
    parts: list[tuple[float, str]] = []
    for piece in pieces:
        if piece in {"ein", "eins"}:
            parts.append((1.0, UNIT))
        elif piece == "hundert":
            parts.append((100.0, MULT))
        elif piece == "tausend":
            parts.append((1e3, SCALE))
        elif piece != "und":
            parts.append((float(_DE[piece]), UNIT))
    return parts


def _french_eighty(word: str) -> list[tuple[float, str]] | None:
    """Read French 80 and up: four twenties, not 4 + 20 ("quatre-vingt-dix" = 90)."""
    rest = word.removeprefix("quatre-vingts").removeprefix("quatre-vingt")
    tail = [_single(p, first=False) for p in rest.split("-") if p and p != "et"]
    if any(t is None for t in tail):
        return None
    return [(80.0, UNIT), *(t for t in tail if t is not None)]


@functools.lru_cache(maxsize=8192)
def word_value(token: str) -> tuple[tuple[float, str], ...] | None:
    """Read one written number word (or hyphenated compound) as (value, role) parts."""
    parts = _read_word(token.casefold().replace("\u2011", "-"))
    return tuple(parts) if parts is not None else None


def _read_word(word: str) -> list[tuple[float, str]] | None:
    if word in _ALONE:
        return [(_ALONE[word], UNIT)]
    if word.startswith("quatre-vingt"):
        return _french_eighty(word)
    pieces = [p for p in word.split("-") if p and p != "et"]
    if len(pieces) == 1:
        read = _single(word, first=True)
        return [read] if read is not None else _german(word)
    reads = [_single(p, first=i == 0) for i, p in enumerate(pieces)]
    # "three-day", "zwei-prozentig": the number is the compound's first part.
    lead = next((i for i, r in enumerate(reads) if r is None), len(reads))
    return [r for r in reads[:lead] if r is not None] or None
