"""Text features for grouping: folded words, cross-script name keys, numbers, MinHash.

Near-duplicates (one wire copy republished) are found by MinHash over word 3-shingles with
LSH banding; stories by weighted overlap of names, states, numbers and word stems. Names are
reduced to a key that survives transliteration ("Путин", "Putin" and "Poutine" share
"putin"), so a Russian and an English report of one event can meet.
"""

# ruff: noqa: RUF001, RUF002 - the transliteration table is Cyrillic: letters that look Latin are meant

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable

from bot.actors.issues import strip_marks

NUM_PERM = 64
# 21 bands of 3 rows: pairs at Jaccard 0.5 share a band with p = 0.94, at 0.6 with 0.99,
# unrelated articles (Jaccard ~0.02) almost never.
ROWS = 3
BANDS = NUM_PERM // ROWS
SIGNATURE = struct.Struct(f"<{NUM_PERM}I")  # a signature as 32-bit words: hashed and stored
_SHINGLE = 3
_NAME_KEY = 5  # letters of a name key: "Путина", "Putin's" and "Poutine" all give "putin"

_THOUSANDS = 3  # digits after a separator that make it a thousands separator: 3,000 14 000
_WORD = re.compile(r"\w+", re.UNICODE)
_NAME = re.compile(r"(?<![\w-])([A-ZÀ-ÞА-ЯЁ][\w'’-]+)")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0 ]\d+)*")
_SENTENCE_END = re.compile(r"[.!?»\"]\s+$")
_CYR_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh sch _ y _ e iu ia"
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _CYR_LATIN.split(" "), strict=True))
# Latin spellings of one sound, most specific first: German w, French ou, c before e/i
# and k elsewhere, z and ts as s, y and j as i, doubled letters as one.
_LATIN = [
    ("sch", "sh"), ("tsch", "ch"), ("ou", "u"), ("ck", "k"), ("ph", "f"), ("qu", "k"),
    ("gh", "g"), ("w", "v"), ("q", "k"), ("x", "ks"), ("tz", "s"), ("ts", "s"), ("z", "s"),
    ("j", "i"), ("y", "i"),
]  # fmt: skip
_C_SOFT = re.compile(r"c(?=[eiy])")
_DOUBLE = re.compile(r"(\w)\1+")


def fold(text: str) -> str:
    """Fold for comparison: case and accents gone, Cyrillic kept whole (й, ё → е)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept = strip_marks(decomposed)
    return unicodedata.normalize("NFC", kept).replace("ё", "е").replace("’", "'")


def words(text: str) -> list[str]:
    """Return the folded words of a text."""
    return _WORD.findall(fold(text))


def name_key(word: str) -> str:
    """Reduce a name to a short key that its spellings in en/ru/de/fr share."""
    folded = fold(word).split("'")[0]
    latin = "".join(_CYR.get(c, c) for c in folded).replace("_", "")
    latin = _C_SOFT.sub("s", latin.replace("ch", "\x00")).replace("c", "k").replace("\x00", "ch")
    for spelled, sound in _LATIN:
        latin = latin.replace(spelled, sound)
    return _DOUBLE.sub(r"\1", latin)[:_NAME_KEY]


_CALENDAR_AND_FUNCTION_WORDS = """the this that these they their there then and but for with from
    after under monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec montag dienstag mittwoch donnerstag freitag samstag sonntag januar
    februar marz juni juli oktober dezember lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre les
    des une der die das ein eine den dem und"""
_NOT_NAMES = frozenset(name_key(w) for w in _CALENDAR_AND_FUNCTION_WORDS.split())


def names(text: str) -> set[str]:
    """Return the name keys of the capitalised words that do not open a sentence."""
    keys: set[str] = set()
    for match in _NAME.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        if match.start() == 0 or "\n" in before or _SENTENCE_END.search(before):
            continue  # a sentence's first word is capitalised whatever it is
        key = name_key(match.group(1))
        # "EU", "UN": states come from the issue entities; capitalised calendar and function
        # words ("Thursday", "The" after a quote) name nothing.
        if len(key) >= 3 and key not in _NOT_NAMES:  # noqa: PLR2004
            keys.add(key)
    return keys


def numbers(text: str) -> set[str]:
    """Return the numbers of a text, written one way: 3,000 → 3000, 15,5 → 15.5."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        parts = re.split(r"[.,\u00a0 ]", match.group(0))
        groups = [parts[0]]
        for part in parts[1:]:
            whole = "." not in groups[-1]
            if whole and len(part) == _THOUSANDS:
                groups[-1] += part
            elif whole and len(part) < _THOUSANDS:  # a decimal part
                groups[-1] += "." + part
            else:
                groups.append(part)
        for group in groups:
            value = group.rstrip("0").rstrip(".") if "." in group else group.lstrip("0") or "0"
            found.add(value)
    return found


def shingles(text: str) -> set[str]:
    """Return the word 3-shingles of a text."""
    seq = words(text)
    if len(seq) < _SHINGLE:
        return {" ".join(seq)}
    return {" ".join(seq[i : i + _SHINGLE]) for i in range(len(seq) - 2)}


def signature(pieces: Iterable[str]) -> tuple[int, ...]:
    """Return the MinHash signature of a set of shingles (stable across runs and machines).

    Each shingle's NUM_PERM hash values come from one extendable-output hash, read as
    32-bit words; the signature is their minimum, position by position (done in C by
    `min` over `zip`: three times faster than NUM_PERM modular permutations in Python).
    """
    rows = [SIGNATURE.unpack(hashlib.shake_128(p.encode()).digest(SIGNATURE.size)) for p in pieces]
    return tuple(map(min, zip(*rows, strict=True))) if rows else (0,) * NUM_PERM


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of two shingle sets from their signatures."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM
