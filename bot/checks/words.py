"""Folded words and an inflection-tolerant match of names across en, ru, de and fr."""

from __future__ import annotations

import functools
import re
import unicodedata

_TOKEN = re.compile(r"[^\W\d_]+")
# "U.S." would split into two one-letter words; read it as "US".
US_DOTTED = re.compile(r"\bU\.S\.(?:A\.)?")

Tokens = tuple[str, ...]


@functools.lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Fold a word for comparison: case, accents (ё -> е, é -> e)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> Tokens:
    """Split a text into folded words; "Kim Jong-un" gives kim, jong, un."""
    # One-letter words are a possessive's "s", an elided "l'"/"d'", "M." or a preposition:
    # dropped, so "Russia's Security Council" reads as "Russia Security Council".
    return tuple(fold(w) for w in _TOKEN.findall(US_DOTTED.sub("US", text)) if len(w) > 1)


def same_word(a: str, b: str, *, short: int = 3) -> bool:
    """Tell whether two folded words are one name, allowing for inflection."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    shortest, extra = min(len(a), len(b)), max(len(a), len(b)) - common
    # Conservative: a prefix with at most three letters more ("Путин"/"Путина",
    # "Kreml"/"Kremls"), or a shared stem of four or more with short, different endings
    # ("Россия"/"России"). "Iran"/"Iraq" and "Austria"/"Australia" stay apart.
    if common == shortest:
        return shortest >= short and extra <= 3  # noqa: PLR2004
    return common >= 4 and common >= shortest - 3 and extra <= 3  # noqa: PLR2004


class Text:
    """A text's folded words, indexed by their first two letters (every match shares them)."""

    def __init__(self, words: Tokens) -> None:
        self.words = words
        self.starts: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            self.starts.setdefault(word[:2], []).append(i)


def contains(haystack: Tokens | Text, needle: Tokens) -> bool:
    """Tell whether a run of words occurs, allowing inflection word by word."""
    if not needle:
        return False
    # Inside a longer name a two-letter word may inflect too ("Ким Чен Ын"/"Ыном").
    short = 2 if len(needle) > 1 else 3
    n = len(needle)
    if isinstance(haystack, Text):
        words, starts = haystack.words, haystack.starts.get(needle[0][:2], [])
    else:
        words, starts = haystack, list(range(len(haystack)))
    return any(
        all(same_word(h, w, short=short) for h, w in zip(words[i : i + n], needle, strict=True))
        for i in starts
        if i + n <= len(words)
    )
