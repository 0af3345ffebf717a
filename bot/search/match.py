"""A SearchQuery as the index's stems it wants: an FTS5 MATCH expression, and the groups.

Each free word becomes the OR of its stems in every stemming language (the index stemmed
each article in its own); each phrase the OR of its stems, language by language, as FTS5
phrases. /search wants every word (AND); /ask's questions want any of their words but the
commonest (OR), BM25 ranking the articles that have more of them first. The groups
themselves (each word's or phrase's forms) are kept too, engine-neutral, for PostgreSQL's
tsquery (bot/search/retrieve.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.search.query import SearchQuery
from bot.search.text import LATIN, STOPWORDS, stems, variants, words

_MAX_WORDS = 16  # a longer query adds little and costs a term each


@dataclass(frozen=True)
class Terms:
    """What the index is asked for: the MATCH expression and the stems to mark in snippets."""

    expression: str | None  # None: no words (filters alone)
    wanted: frozenset[str]
    groups: int  # how many words and phrases
    # Each word's or phrase's forms (a phrase's stems joined by spaces), any of which
    # matches; every group wanted, or any (`any_word`).
    forms: tuple[tuple[str, ...], ...] = ()
    any_word: bool = False


def terms(query: SearchQuery, *, any_word: bool = False) -> Terms:
    """Build the MATCH expression for a query (every word, or any word that is not common)."""
    languages = _languages(query.lang)
    tokens = words(query.text)
    if any_word:
        common = set().union(*STOPWORDS.values())
        tokens = [t for t in tokens if t not in common] or tokens
    groups = [v for t in dict.fromkeys(tokens[:_MAX_WORDS]) if (v := variants(t, languages))]
    wanted = {s for g in groups for s in g}
    for phrase in query.phrases:
        parts = words(phrase)
        forms = list(dict.fromkeys(" ".join(stems(parts, lang)) for lang in languages))
        if forms and forms[0]:
            groups.append(forms)
            wanted.update(s for f in forms for s in f.split())
    if not groups:
        return Terms(None, frozenset(), 0)
    joiner = " OR " if any_word else " AND "
    expression = joiner.join("(" + " OR ".join(f'"{v}"' for v in g) + ")" for g in groups)
    each = tuple(tuple(g) for g in groups)
    return Terms(expression, frozenset(wanted), len(groups), each, any_word=any_word)


def _languages(lang: str | None) -> tuple[str, ...]:
    code = (lang or "")[:2].lower()
    return (code,) if code in LATIN else LATIN
