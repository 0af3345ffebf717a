"""Proper names in a statement, and whether an article names the same actor."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.checks.name_words import (
    CONNECTORS,
    DETERMINERS_DE,
    FUNCTION_WORDS,
    LANGUAGE_HINTS,
    STOPWORDS,
    TITLES,
    looks_common,
    looks_like_german_noun,
)
from bot.checks.places import GROUPS
from bot.checks.words import US_DOTTED, Text, Tokens, contains, fold, same_word, words_of

_TOKEN = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…]|[\"“”«»„]|\s[-–—]\s)\s*$")
_JOINS = re.compile(r"\s*[-‑]?\s*")
_MIN_TITLE_WORDS = 3
_LONG_GERMAN_WORD = 12  # longer capitalised German words are compounds, i.e. nouns


@dataclass(frozen=True)
class Token:
    """One word of the statement, folded, with its place."""

    text: str
    fold: str
    start: int
    end: int
    initial: bool  # the first word of a sentence: its capital says nothing
    after_number: bool  # "20 000 Container", "1,2 Mrd. Dollar": a German noun, not a name


@dataclass(frozen=True)
class NameMention:
    """One proper name as written in the statement."""

    text: str
    start: int
    words: Tokens


class Groups:
    """Actors' names with their aliases: one form found vouches for the others."""

    def __init__(self, names: Iterable[str], groups: Iterable[Sequence[str]]) -> None:
        briefing = [[w for w in map(words_of, g) if w] for g in _join(names, map(list, groups))]
        shipped = [[words_of(f) for f in g] for g in GROUPS]
        self.groups = [[w for w in map(_strip, g) if w] for g in briefing + shipped]
        # Any word of the briefing's own names marks a name ("Kim"); of the shipped forms
        # only whole ones do, so "Etat" is not taken for a part of "États-Unis".
        self.known = {w for g in briefing for form in g for w in form if w not in STOPWORDS}
        self.known |= {form[0] for g in shipped for form in g if len(form) == 1}
        self.phrases = [form for g in shipped for form in g if len(form) > 1]
        self.ignored = TITLES | CONNECTORS

    def is_known(self, word: str) -> bool:
        """Tell whether a word belongs to a name the briefing or the gazetteer knows."""
        return any(same_word(word, k) for k in self.known)

    def vouched(self, name: Tokens, article: Text) -> bool:
        """Tell whether a name is one of a group some member of which the article has."""
        for group in self.groups:
            if any(contains(form, name) for form in group) and any(
                contains(article, form) for form in group
            ):
                return True
        return False


def _strip(words: Tokens) -> Tokens:
    """Drop a leading article or title: "the ministry" -> ministry."""
    while words and (words[0] in STOPWORDS or words[0] in TITLES):
        words = words[1:]
    return words


def _part_of(a: Tokens, b: Tokens) -> bool:
    """Tell whether one name is part of the other: "Shoigu" of "Sergei Shoigu"."""
    shorter, longer = sorted((a, b), key=len)
    return sum(map(len, shorter)) > 2 and contains(longer, shorter)  # noqa: PLR2004


def _join(names: Iterable[str], groups: Iterable[list[str]]) -> list[list[str]]:
    """Group a flat list of names: a name joins every group holding a form it is part of."""
    groups = list(groups)
    for name in names:
        words = _strip(words_of(name))
        homes = [g for g in groups if any(_part_of(_strip(words_of(o)), words) for o in g)]
        if not homes or not words:
            groups.append([name])
            continue
        merged = [f for g in homes for f in g] + [name]
        groups = [g for g in groups if g not in homes] + [merged]
    return groups


def _tokens(statement: str) -> list[Token]:
    found = []
    for m in _TOKEN.finditer(statement):
        before = statement[: m.start()].rstrip(" \u00a0")
        found.append(
            Token(
                m.group(),
                fold(m.group()),
                m.start(),
                m.end(),
                initial=bool(_SENTENCE_END.search(statement, 0, m.start())),
                after_number=before[-1:].isdigit(),
            )
        )
    return found


def _capitalised(token: Token) -> bool:
    return token.text[0].isupper() and len(token.text) > 1


def _acronym(token: Token) -> bool:
    return len(token.text) > 1 and token.text.isupper()


def _title_case(tokens: list[Token]) -> bool:
    """Tell an English headline in Title Case, where capitals say nothing."""
    lower = [t for t in tokens if not _capitalised(t) and t.fold not in FUNCTION_WORDS]
    return not lower and sum(map(_capitalised, tokens)) >= _MIN_TITLE_WORDS


def guess_language(words: Iterable[str]) -> str | None:
    """Guess en, de or fr from a few very common words; None when nothing tells."""
    counts = dict.fromkeys(LANGUAGE_HINTS, 0)
    for word in words:
        for lang, hints in LANGUAGE_HINTS.items():
            counts[lang] += word in hints
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] and list(counts.values()).count(counts[best]) == 1 else None


def _runs(statement: str, tokens: list[Token]) -> list[list[Token]]:
    """Group capitalised words into runs: "Kim Jong Un", "Corée du Nord"."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if _capitalised(token):
            prev = current[-1] if current else None
            gap = statement[prev.end : token.start] if prev else ""
            if prev and not _JOINS.fullmatch(gap):
                runs.append(current)
                current = []
            current.append(token)
        elif current and token.fold in CONNECTORS and _next_capitalised(tokens, i):
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _next_capitalised(tokens: list[Token], i: int) -> bool:
    return i + 1 < len(tokens) and _capitalised(tokens[i + 1])


def _german_name(token: Token, before: Token | None) -> bool:
    """Guess whether a capitalised German word is a name rather than a noun."""
    if token.initial or token.after_number or len(token.text) > _LONG_GERMAN_WORD:
        return False
    if before is None or looks_like_german_noun(token.text):
        return False
    return not (before.fold in DETERMINERS_DE or looks_common(before.text, "de"))


def _lead(run: list[Token], groups: Groups) -> int:
    """Count the words that open a run without being part of the name ("In", "Expect")."""
    lead = next((i for i, t in enumerate(run) if t.fold not in STOPWORDS), len(run))
    first = run[lead] if lead < len(run) else None
    if (
        first is not None
        and first.initial
        and lead + 1 < len(run)
        and not (_acronym(first) or groups.is_known(first.fold))
        and looks_common(first.text, "any")
    ):
        return lead + 1
    return lead


def name_mentions(
    statement: str, groups: Groups, *, language: str | None = None
) -> list[NameMention]:
    """Find the proper names in a statement whose dates and numbers are masked out."""
    statement = US_DOTTED.sub("US", statement)
    tokens = _tokens(statement)
    strict = _title_case(tokens)
    # German capitalises every noun: the statement's own words tell, else the caller's guess.
    german = (guess_language(t.fold for t in tokens) or language) == "de"
    previous = {t.start: tokens[i - 1] if i else None for i, t in enumerate(tokens)}
    found: list[NameMention] = []
    for run in _runs(statement, tokens):
        lead = _lead(run, groups)
        parts = _named_parts(run[lead:], groups, strict=strict, german=german, previous=previous)
        for part in parts:
            words = tuple(t.fold for t in part)
            if words and not all(w in TITLES for w in words):
                found.append(
                    NameMention(statement[part[0].start : part[-1].end], part[0].start, words)
                )
    return found


def _named_parts(
    run: list[Token],
    groups: Groups,
    *,
    strict: bool,
    german: bool,
    previous: dict[int, Token | None],
) -> list[list[Token]]:
    """Keep the words of a run that are names, as contiguous parts."""
    lone_initial = len(run) == 1 and run[0].initial
    if not run or not (strict or german or lone_initial):
        return [run] if run else []
    covered = _shipped_phrases(run, groups)
    parts: list[list[Token]] = [[]]
    for token in run:
        if token.start in covered or (
            token.text[0].isupper()
            and _named(token, groups, strict=strict, german=german, before=previous[token.start])
        ):
            parts[-1].append(token)
        elif parts[-1]:
            parts.append([])
    return [p for p in parts if p]


def _shipped_phrases(run: list[Token], groups: Groups) -> set[int]:
    """Give the starts of the run's words that spell a shipped name ("North Korea")."""
    folds = [t.fold for t in run]
    covered: set[int] = set()
    for phrase in groups.phrases:
        n = len(phrase)
        for i in range(len(folds) - n + 1):
            if all(same_word(a, b) for a, b in zip(folds[i : i + n], phrase, strict=True)):
                covered.update(t.start for t in run[i : i + n])
    return covered


def _named(
    token: Token, groups: Groups, *, strict: bool, german: bool, before: Token | None
) -> bool:
    """Tell whether a word whose capital may say nothing is a name all the same."""
    if _acronym(token) or groups.is_known(token.fold):
        return True
    if strict or token.fold in TITLES:
        return False
    if german:
        return _german_name(token, before)
    return not (token.fold in STOPWORDS or looks_common(token.text, "any"))
