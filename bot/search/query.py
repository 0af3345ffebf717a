"""A /search query: free words, "exact phrases" and filters (actor:, source:, since:, lang:)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from bot.briefing.languages import LanguageError, parse_language
from bot.errors import QueryError

__all__ = ["FILTERS", "QueryError", "SearchQuery", "parse_query"]

FILTERS = ("actor", "source", "since", "until", "lang")
# A filter, a "quoted phrase", or a word; a filter's value may be quoted (actor:"Kim Jong Un").
_PART = re.compile(r'([A-Za-z]+):("[^"]*"?|\S*)|"([^"]*)"?|(\S+)')
_RELATIVE = re.compile(r"^(\d{1,4})([dwmy])$")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_MAX_VALUE = 100
_DATE_HINT = "Use a date such as 2026-11-01, or 30d or 2w for the last 30 days or 2 weeks."


@dataclass(frozen=True)
class SearchQuery:
    """What to look for in a chat's articles, and how to narrow it."""

    text: str  # free words, stemmed at search time
    phrases: tuple[str, ...] = ()  # "exact phrases"
    actor: str | None = None  # actor:kim
    source: str | None = None  # source:@channel or a site (example.com)
    since: date | None = None
    until: date | None = None  # inclusive
    lang: str | None = None  # lang:ru (canonical code as /lang stores it)

    @property
    def empty(self) -> bool:
        """Tell whether the query asks for nothing at all (no words, phrases or filters)."""
        return self == SearchQuery(text=self.text) and not self.text.strip()


def parse_query(text: str, *, today: date) -> SearchQuery:
    """Read a user's query; raise QueryError with a readable message when it can't be read."""
    found: dict[str, str | date] = {}
    free: list[str] = []
    phrases: list[str] = []
    for m in _PART.finditer(text):
        key, value, phrase, word = m.groups()
        if key is None:
            if phrase is not None and phrase.strip():
                phrases.append(" ".join(phrase.split()))
            elif word is not None:
                free.append(word)
            continue
        name = key.casefold()
        if name in ("http", "https"):  # a pasted link is words, not a filter
            free.append(m.group(0))
            continue
        if name not in FILTERS and not value:  # "Note:" is a word, not a filter
            free.append(m.group(0))
            continue
        if name not in FILTERS:
            known = ", ".join(f"{f}:" for f in FILTERS)
            raise QueryError(f"I don't know the filter “{key}:”. Filters: {known}.")
        found[name] = _value(name, value.strip('"').strip(), today)
    since, until = found.get("since"), found.get("until")
    if isinstance(since, date) and isinstance(until, date) and since > until:
        raise QueryError("The since: date is after the until: date.")
    return SearchQuery(
        text=" ".join(free), phrases=tuple(phrases), actor=_text(found.get("actor")),
        source=_text(found.get("source")), since=since if isinstance(since, date) else None,
        until=until if isinstance(until, date) else None, lang=_text(found.get("lang")),
    )  # fmt: skip


def _text(value: str | date | None) -> str | None:
    return value if isinstance(value, str) else None


def _value(name: str, value: str, today: date) -> str | date:
    if not value:
        example = {"actor": "actor:kim", "source": "source:@channel", "lang": "lang:ru"}
        raise QueryError(f"{name}: needs a value, e.g. {example.get(name, name + ':30d')}.")
    if len(value) > _MAX_VALUE:
        raise QueryError(f"The {name}: value is too long.")
    if name in ("since", "until"):
        return _date(name, value, today)
    if name == "lang":
        try:
            return parse_language(value).tag
        except LanguageError:
            hint = "Use a language code such as en, ru or de."
            raise QueryError(f"“lang:{value}” is not a language I know. {hint}") from None
    if name == "source":
        return _source(value)
    return " ".join(value.split())


def _date(name: str, value: str, today: date) -> date:
    if m := _RELATIVE.match(value.casefold()):
        days = int(m.group(1)) * _DAYS[m.group(2)]
        # since:30d is the last 30 days, today the 30th, as /who kim 30d and /map 30d read it.
        return today - timedelta(days=days - 1 if name == "since" else days)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"“{name}:{value}” is not a date I can read. {_DATE_HINT}") from None


def _source(value: str) -> str:
    """Read a channel (@name, t.me/name) or a site (example.com, a link) as matched later."""
    lowered = value.casefold()
    if lowered.startswith("@"):
        return lowered
    host = urlsplit(lowered if "://" in lowered else f"//{lowered}").hostname or lowered
    if host in ("t.me", "telegram.me"):
        channel = urlsplit(f"//{lowered.split('://')[-1]}").path.strip("/").split("/")[0]
        return f"@{channel}" if channel else host
    return host.removeprefix("www.")
