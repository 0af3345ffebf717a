"""Briefing languages: what /lang and BRIEFING_LANGUAGE accept, stored as one canonical tag.

Whatever a user types ("fr", "French", "français", "pt_br", "Brazilian Portuguese") becomes
one BCP 47 tag ("fr", "pt-BR") looked up in the language registry that `langcodes` ships; the
prompt gets the language's English name made from that tag, never the user's text, and the
cache key gets the tag, so "fr" and "French" are one entry. Only languages with a two-letter
ISO 639-1 code are accepted: every widely written language has one, and Klingon, private-use
and "no linguistic content" codes do not.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
from dataclasses import dataclass

from bot.errors import BriefbotError

AUTO = "auto"  # the article's own language
_MAX_CHARS = 40
_MAX_WORDS = 4  # "Norsk bokmål", "Brazilian Portuguese", "Chinese (Traditional)"
_SHAPE = re.compile(r"^[^\W\d_][\w ()'-]{0,39}$")  # "es-419", "pt_BR", "Norsk bokmål"
# rapidfuzz ratio: "Frnech" → French and "Germna" → German are 83, "Elvish" → English 77.
_SUGGEST_SCORE = 80
_SUGGEST_MIN_CHARS = 4  # "und" is no near miss of "Rundi"
USAGE = (
    "Give a language name or code, such as French, Deutsch, fr or pt-BR, "
    "or auto for each article's own language."
)


class LanguageError(BriefbotError):
    """Not something we accept as a language."""


@dataclass(frozen=True)
class Language:
    """A language as stored (its tag) and as shown (its names)."""

    tag: str  # canonical BCP 47: "fr", "pt-BR", "zh-Hant"
    name: str  # in English: "French", "Portuguese (Brazil)"
    autonym: str  # in itself: "français", "português (Brasil)"

    @property
    def label(self) -> str:
        """Name it for people: "French · français · fr", or "English · en"."""
        names = [self.name] if self.autonym == self.name else [self.name, self.autonym]
        return " · ".join([*names, self.tag])


def parse_language(text: str) -> Language:
    """Find the language a user means, or raise LanguageError saying what to send instead."""
    value = " ".join(text.split())
    shown = value if len(value) <= _MAX_CHARS else value[: _MAX_CHARS - 1] + "…"
    if len(value) > _MAX_CHARS or len(value.split()) > _MAX_WORDS or not _SHAPE.match(value):
        raise LanguageError(f"“{shown}” is not a language I know. {USAGE}")
    found = _lookup(value)
    if found is None:
        close = _closest_name(value)
        hint = f" Did you mean {close}?" if close else ""
        raise LanguageError(f"I don't know a language called “{shown}”.{hint} {USAGE}")
    if found.tag is None:
        raise LanguageError(
            f"I can't write briefings in {found.name}: only in languages with a two-letter "
            f"ISO 639-1 code, such as French (fr) or Portuguese (pt-BR). {USAGE}"
        )
    return language_of(found.tag)


def stored_language(value: str | None) -> str | None:
    """Read a stored choice: "auto", a canonical tag, or None when it is no known language."""
    if value is None or value.casefold() == AUTO:
        return None if value is None else AUTO
    try:  # rows written before validation hold names ("French", "Pt-br") or anything at all
        return parse_language(value).tag
    except LanguageError:
        return None


@functools.cache
def language_of(tag: str) -> Language:
    """Describe a canonical tag (as parse_language returns it) by its names."""
    import langcodes

    found = langcodes.Language.get(tag)
    return Language(tag=tag, name=found.display_name(), autonym=found.autonym())


@dataclass(frozen=True)
class _Found:
    name: str
    tag: str | None  # None: a real language, but not one with an ISO 639-1 code


def _lookup(value: str) -> _Found | None:
    import langcodes

    as_tag = value.replace("_", "-")
    try:
        if langcodes.tag_is_valid(as_tag):
            found = langcodes.Language.get(as_tag)
        elif value.isascii() and len(value) <= 3:  # noqa: PLR2004 - "xx": an unknown code
            return None
        else:
            found = langcodes.find(value)
    except (LookupError, ValueError):
        return None
    if not found.language or found.display_name().startswith("Unknown language"):
        return None
    base = langcodes.Language.make(
        language=found.language, script=found.script, territory=found.territory
    ).simplify_script()
    # langcodes gives the two-letter code whenever ISO 639-1 has one ("fra" → "fr").
    two_letters = len(found.language) == 2  # noqa: PLR2004
    return _Found(name=base.display_name(), tag=base.to_tag() if two_letters else None)


def _closest_name(value: str) -> str | None:
    from rapidfuzz import fuzz, process, utils

    if len(value) < _SUGGEST_MIN_CHARS:
        return None
    match = process.extractOne(
        value,
        _known_names(),
        scorer=fuzz.ratio,
        processor=utils.default_process,
        score_cutoff=_SUGGEST_SCORE,
    )
    return None if match is None else str(match[0])


@functools.cache
def _known_names() -> tuple[str, ...]:
    # English names and autonyms of every ISO 639-1 language: what a near miss is near to.
    import langcodes

    names: set[str] = set()
    for first, second in itertools.product(string.ascii_lowercase, repeat=2):
        code = first + second
        if langcodes.tag_is_valid(code):
            found = langcodes.Language.get(code)
            if not found.display_name().startswith("Unknown language"):
                names |= {found.display_name(), found.autonym()}
    return tuple(sorted(names))
