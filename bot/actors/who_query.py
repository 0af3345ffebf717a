"""/who NAME [ISSUE WORDS] [PERIOD]: the filters after an actor's name (pure).

Which words are the name is decided by the chat's actor directory (bot/actors/lookup.py:
the longest prefix that names an actor); this module reads the period tokens anywhere
("30d", "2w", "6m", "1y", "since:2026-11-01", "until:2026-11-30") and keeps a stance when
its publication date is inside the period and its issue (else its target) holds every
content word of the filter, compared as issue keys (bot/actors/issues.py) so "sanction"
finds "EU sanctions on Russia" and "Russia" finds "sanctions against Moscow".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rapidfuzz import fuzz, process

from bot.actors.identity import fold
from bot.actors.issues import issue_key
from bot.articles.dates import day_label
from bot.errors import BriefbotError

_SPAN = re.compile(r"^(\d{1,4})([dwmy])$", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_UNIT = {"d": "day", "w": "week", "m": "month", "y": "year"}
_BOUND = re.compile(r"^(since|until|from|to):(.*)$", re.IGNORECASE)
MAX_SPAN_DAYS = 36_500
NAME_LIKE = 80.0  # a word this close to a word of some actor's names may be part of a name


class FilterError(BriefbotError):
    """A period the user wrote that cannot be read; the message says which part and why."""


@dataclass(frozen=True)
class WhoFilter:
    """What part of an actor's stances /who shows: an issue and a period (both optional)."""

    issue: str = ""  # the words as typed
    since: date | None = None  # inclusive, by publication date (else arrival)
    until: date | None = None  # inclusive
    period: str = ""  # how the user wrote a relative period: "last 30 days"

    def __bool__(self) -> bool:
        """Tell whether anything is filtered out at all."""
        return bool(self.issue or self.since or self.until)

    def describe(self) -> str:
        """Say what is kept, for the page's heading: "on “sanctions”, last 30 days"."""
        parts = [f"on “{self.issue}”"] if self.issue else []
        if self.period:
            parts.append(self.period)
        else:
            if self.since:
                parts.append(f"since {_day(self.since)}")
            if self.until:
                parts.append(f"until {_day(self.until)}")
        return ", ".join(parts)

    def keeps_date(self, dated: datetime) -> bool:
        """Tell whether a stance published (or sent) at `dated` is inside the period."""
        day = dated.astimezone(UTC).date()
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def keeps_issue(self, issue: str, target: str) -> bool:
        """Tell whether a stance on this issue (and target) is about the filter's issue."""
        if not self.issue:
            return True
        wanted = _plain(issue_key(self.issue))
        return bool(wanted) and wanted <= _plain(issue_key(issue)) | _plain(issue_key(target))


def _plain(key: frozenset[str]) -> set[str]:
    # "on:@russia" is Russia in the role "on": a filter names the entity, not its role.
    return {token.rsplit(":", 1)[-1] for token in key}


def _day(day: date) -> str:
    return day_label(datetime(day.year, day.month, day.day, tzinfo=UTC))


def split_period(words: list[str], *, today: date) -> tuple[list[str], WhoFilter]:
    """Take the period tokens out of `words`; return the rest and the period as a filter.

    Raises FilterError for a token that looks like a period but is not one.
    """
    rest: list[str] = []
    since: date | None = None
    until: date | None = None
    period = ""
    for word in words:
        span = _SPAN.match(word)
        bound = _BOUND.match(word)
        if span:
            count, unit = int(span.group(1)), span.group(2).lower()
            days = count * _DAYS[unit]
            if not 0 < days <= MAX_SPAN_DAYS:
                raise FilterError(f"“{word}” is not a period I can use: try 30d, 12w, 6m or 1y.")
            since = today - timedelta(days=days - 1)  # "1d" is today
            period = f"last {count} {_UNIT[unit]}{'s' * (count != 1)}"
        elif bound:
            day = _date(bound.group(2), word)
            if bound.group(1).lower() in {"since", "from"}:
                since, period = day, ""
            else:
                until, period = day, ""
        else:
            rest.append(word)
    if since and until and since > until:
        raise FilterError(f"The period ends ({_day(until)}) before it starts ({_day(since)}).")
    return rest, WhoFilter(since=since, until=until, period=period)


def _date(text: str, word: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"“{word}”: write the date as 2026-11-01.") from None


def name_words(folded_forms: Iterable[str]) -> dict[str, set[int]]:
    """Index the chat's folded actor names and aliases by word, for `name_prefix`."""
    postings: dict[str, set[int]] = {}
    for i, form in enumerate(folded_forms):
        for word in form.split():
            postings.setdefault(word, set()).add(i)
    return postings


def _names_whole_words(q: str, postings: dict[str, set[int]]) -> bool:
    # Equal, a prefix by whole words, or all of its words: each means some form holds every
    # word of `q`, which the postings answer without reading the forms.
    found: set[int] | None = None
    for word in set(q.split()):
        forms = postings.get(word)
        if not forms:
            return False
        found = set(forms) if found is None else found & forms
        if not found:
            return False
    return bool(found)


def name_prefix(words: list[str], postings: dict[str, set[int]]) -> tuple[int, bool]:
    """Return how many leading words name an actor by whole words (0: none), and more.

    The second value tells whether every word after them looks like part of a name too (a
    typo rather than an issue). `postings` are `name_words` of the chat's actor forms.
    """
    end = next(
        (
            k
            for k in range(len(words), 0, -1)
            if _names_whole_words(fold(" ".join(words[:k])), postings)
        ),
        0,
    )
    if end in {0, len(words)}:
        return end, False  # all the words are the name either way
    rest = [fold(w) for w in words[end:]]
    name_like = all(
        process.extractOne(w, postings.keys(), scorer=fuzz.ratio, score_cutoff=NAME_LIKE)
        for w in rest
    )
    return end, name_like
