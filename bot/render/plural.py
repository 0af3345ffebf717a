"""Counted words in English: "1 word", "5 words", "1 story", "2 stories" (one rule everywhere)."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "child": "children", "this": "these", "is": "are", "was": "were"}
_VOWELS = frozenset("aeiou")


def plural(word: str) -> str:
    """Return the English plural of a lower-case noun ("story" → "stories", "match" → "matches")."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def counted(n: int, word: str, many: str | None = None) -> str:
    """Write a count with its noun in the right form ("1 word", "5 words")."""
    return f"{n:,} {word if n == 1 else many or plural(word)}"


def form(n: int, word: str, many: str | None = None) -> str:
    """Return only the word in the form the count needs ("is" for 1, "are" for 2)."""
    return word if n == 1 else many or plural(word)
