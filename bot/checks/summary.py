"""The summary check: every number, date and name a briefing states must be in its article."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.checks.names import Groups, NameMention, guess_language, name_mentions
from bot.checks.numbers import NumberMention, number_mentions, same_quantity
from bot.checks.when import DateMention, date_mentions, weekday_of
from bot.checks.words import Text, contains, fold, words_of
from bot.models import BriefingDraft

NUMBER, DATE, NAME = "number", "date", "name"
# Designations glue letters to digits ("F-16", "G7", "Su-57", "COVID-19"): compared as
# written, as names, not as quantities.
_DESIGNATION = re.compile(r"(?<![\w-])[^\W\d_]{1,6}-?\d+[^\W_]*(?![\w-])")
_HYPHENS = re.compile("[-\u2011\u2013\\s]")


@dataclass(frozen=True)
class Unsupported:
    """A number, date or name the summary states but the article does not."""

    kind: str  # "number" | "date" | "name"
    text: str  # the token or phrase as written in the summary


@dataclass(frozen=True)
class _Article:
    """What the article states, read once for many statements."""

    words: Text
    flat: str
    values: frozenset[float]
    years: frozenset[int]
    dates: tuple[DateMention, ...]
    weekdays: frozenset[int]
    acronyms: frozenset[str]  # initials of the article's names: "International Monetary Fund"
    language: str | None  # en, de or fr as far as its commonest words tell


def _read(article: str) -> _Article:
    dates = tuple(date_mentions(article))
    values = frozenset(v for n in number_mentions(article) for v in n.values)
    years = {int(v) for v in values if v.is_integer() and 1900 <= v < 2100}  # noqa: PLR2004
    years |= {d.year for d in dates if d.year}
    weekdays = {w for d in dates if (w := weekday_of(d)) is not None}
    return _Article(
        words=Text(words_of(article)),
        flat=_HYPHENS.sub("", fold(article)),
        values=values,
        years=frozenset(years),
        dates=dates,
        weekdays=frozenset(weekdays),
        acronyms=_initials(article),
        language=guess_language(words_of(article[:_SAMPLE])),
    )


_SAMPLE = 5000  # characters enough to tell an article's language
_NAME_WORDS = re.compile(r"[^\W\d_]{2,}")
_MAX_ACRONYM = 6


def _initials(article: str) -> frozenset[str]:
    """Spell the initials of every run of 2-6 words that starts and ends with a capital."""
    words = _NAME_WORDS.findall(article)
    found = set()
    for i, first in enumerate(words):
        if not first[0].isupper():
            continue
        for n in range(2, _MAX_ACRONYM + 1):
            window = words[i : i + n]
            if len(window) == n and window[-1][0].isupper():
                found.add("".join(w[0] for w in window).casefold())
                found.add("".join(w[0] for w in window if w[0].isupper()).casefold())
    return frozenset(found)


def _mask(text: str, spans: Iterable[tuple[int, int]], char: str) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = char * (end - start)
    return "".join(chars)


def _date_found(d: DateMention, article: _Article) -> bool:
    if d.month is None:
        return d.weekday in article.weekdays
    for a in article.dates:
        if a.month != d.month or (d.day is not None and a.day != d.day):
            continue
        if d.year is None or a.year == d.year or (a.year is None and d.year in article.years):
            return True
    return False


def _number_found(n: NumberMention, article: _Article) -> bool:
    if n.year:
        return int(next(iter(n.values))) in article.years
    return any(same_quantity(s, a, approx=n.approx) for s in n.values for a in article.values)


def _name_found(name: NameMention, article: _Article, groups: Groups) -> bool:
    words = name.words
    if contains(article.words, words) or groups.vouched(words, article.words):
        return True
    if name.text.isupper() and len(name.text) > 2 and fold(name.text) in article.acronyms:  # noqa: PLR2004
        return True  # "IMF" for the article's "International Monetary Fund"
    # A longer phrase ("Russian Defence Minister Andrei Belousov") stands when each of its
    # parts between titles and connectors does: the article may name them apart.
    parts: list[list[str]] = [[]]
    for w in words:
        if w in groups.ignored:
            parts.append([])
        else:
            parts[-1].append(w)
    runs = [tuple(p) for p in parts if p]
    return len(runs) > 1 and all(
        contains(article.words, run) or groups.vouched(run, article.words) for run in runs
    )


def _check(
    statement: str, article: _Article, groups: Groups, language: str | None
) -> list[tuple[int, Unsupported]]:
    dates = date_mentions(statement)
    found = [(d.start, Unsupported(DATE, d.text)) for d in dates if not _date_found(d, article)]
    no_dates = _mask(statement, ((d.start, d.end) for d in dates), "\x00")
    numbers = number_mentions(no_dates)
    found += [
        (n.start, Unsupported(DATE if n.year else NUMBER, n.text))
        for n in numbers
        if not _number_found(n, article)
    ]
    masked = _mask(no_dates, ((n.start, n.end) for n in numbers), "0")
    codes = list(_DESIGNATION.finditer(masked))
    found += [
        (m.start(), Unsupported(NAME, m.group()))
        for m in codes
        if _HYPHENS.sub("", fold(m.group())) not in article.flat
    ]
    # Masked with digits: a German noun after a number ("20 000 Container") stays a noun.
    masked = _mask(masked, ((m.start(), m.end()) for m in codes), "0").replace("\x00", "0")
    found += [
        (name.start, Unsupported(NAME, name.text))
        for name in name_mentions(masked, groups, language=language or article.language)
        if not _name_found(name, article, groups)
    ]
    return found


def unsupported(
    statement: str,
    article: str,
    names: Iterable[str] = (),
    *,
    groups: Iterable[Sequence[str]] = (),
    language: str | None = None,
) -> list[Unsupported]:
    """List the numbers, dates and names in a statement that the article does not support."""
    return _unsupported(statement, _read(article), Groups(names, groups), language)


def _unsupported(
    statement: str, article: _Article, groups: Groups, language: str | None = None
) -> list[Unsupported]:
    seen: set[Unsupported] = set()
    result = []
    for _, item in sorted(_check(statement, article, groups, language), key=lambda p: p[0]):
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


@dataclass(frozen=True)
class FieldCheck:
    """The summary check of one briefing field."""

    field: str  # "headline", "tldr", "key_points[2]", "why_it_matters"
    text: str
    unsupported: tuple[Unsupported, ...]
    # "Why it matters" is the model's analysis and may go beyond the article; its numbers,
    # dates and names are still checked, and it is shown labelled as analysis.
    analysis: bool = False


@dataclass(frozen=True)
class BriefingCheck:
    """The summary check of a whole briefing, field by field."""

    fields: tuple[FieldCheck, ...]

    @property
    def failed(self) -> tuple[FieldCheck, ...]:
        """Give the fields that state something the article does not."""
        return tuple(f for f in self.fields if f.unsupported)

    @property
    def failed_count(self) -> int:
        """Count the fields that state something the article does not."""
        return len(self.failed)


def check_briefing(briefing: BriefingDraft, article: str) -> BriefingCheck:
    """Check the headline, TL;DR, each key point and why it matters against the article."""
    facts = _read(article)
    groups = Groups(briefing.places, ([a.name, *a.aliases] for a in briefing.actors))
    fields = [("headline", briefing.headline), ("tldr", briefing.tldr)]
    fields += [
        (f"key_points[{i}]", p.text) for i, p in enumerate(briefing.key_points) if p.text.strip()
    ]
    lang = briefing.language.casefold()[:2] or None

    def check(text: str) -> tuple[Unsupported, ...]:
        return tuple(_unsupported(text, facts, groups, lang))

    checks = [FieldCheck(name, text, check(text)) for name, text in fields]
    why = briefing.why_it_matters
    checks.append(FieldCheck("why_it_matters", why, check(why), analysis=True))
    return BriefingCheck(tuple(checks))
