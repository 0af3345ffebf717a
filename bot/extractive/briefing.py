"""The extractive briefing: made without an LLM, from the article's own sentences.

Key sentences are ranked by LexRank-style centrality (TF-IDF cosine similarity between
sentences, then PageRank power iteration): a sentence that shares vocabulary with many
others states what the article is about. Stances come only from statements the article
attributes to a named speaker (see `attribution`), so every quote is verbatim by construction.
Nothing is downloaded: the tokeniser and the stop words are the few lines below.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import UTC, datetime

from bot.checks.quotes import ground
from bot.extractive.attribution import attributed_actors
from bot.extractive.languages import language_of
from bot.extractive.text_parts import headline as lead_headline
from bot.extractive.text_parts import split_sentences
from bot.models import ArticleRef, BriefingDraft, KeyPoint, StoredBriefing, Usage
from bot.store.briefing_cache import BriefingCache

EXTRACTIVE_NAME = "extractive"
EXTRACTIVE_VERSION = "3"  # bump when the method changes: it is part of the cache key
MAX_SENTENCES = 400  # PageRank is quadratic in sentences; the lead of a long text suffices
MAX_KEY_POINTS = 5
_DAMPING, _ITERATIONS, _TOLERANCE = 0.85, 60, 1e-7
_HEADLINE_CHARS = 120
_SUBHEAD_WORDS = 12

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "would",
        "said",
        "says",
        "not",
        "who",
        "which",
        "also",
        "after",
        "before",
        "than",
        "then",
        "there",
        "these",
        "those",
        "into",
        "over",
        "about",
    ]
)


def _terms(sentence: str) -> list[str]:
    terms: list[str] = []
    for word in _WORD.findall(sentence.casefold()):
        if _CJK.search(word):  # no spaces between CJK words: character bigrams stand in
            terms += [word[i : i + 2] for i in range(max(1, len(word) - 1))]
        elif len(word) > 2 and word not in _STOP and not word.isdigit():  # noqa: PLR2004
            terms.append(word)
    return terms


def centrality(sentences: list[str]) -> list[float]:
    """Score each sentence by LexRank: PageRank over TF-IDF cosine similarities."""
    n = len(sentences)
    if n == 0:
        return []
    bags = [Counter(_terms(s)) for s in sentences]
    df = Counter(term for bag in bags for term in bag)
    idf = {term: math.log(n / count) + 1.0 for term, count in df.items()}
    vectors = [{t: c * idf[t] for t, c in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            small, large = sorted((vectors[i], vectors[j]), key=len)
            dot = sum(v * large[t] for t, v in small.items() if t in large)
            if dot > 0:
                sim = dot / (norms[i] * norms[j])
                weights[i].append((j, sim))
                weights[j].append((i, sim))
    out_sum = [sum(w for _, w in row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(_ITERATIONS):
        new = [(1 - _DAMPING) / n] * n
        for i, row in enumerate(weights):
            if not row:  # an isolated sentence spreads its score evenly (dangling node)
                share = _DAMPING * scores[i] / n
                new = [x + share for x in new]
                continue
            for j, w in row:
                new[j] += _DAMPING * scores[i] * w / out_sum[i]
        delta = sum(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < _TOLERANCE:
            break
    return scores


def _is_body(sentence: str) -> bool:
    """Tell a sentence of the story from a subhead, a date line or a credit line."""
    if sentence.startswith("(") and sentence.endswith(")"):
        return False  # "(With inputs from Reuters)"
    return sentence[-1:] in '.!?"”’»' or len(sentence.split()) > _SUBHEAD_WORDS


def _language(text: str) -> str:
    if (found := language_of(text)) != "en":
        return found
    letters = [c for c in text[:5000] if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / (len(letters) or 1)
    return "en" if ascii_share > 0.9 else "und"  # noqa: PLR2004 - "und": ISO 639 undetermined


def extractive_draft(text: str, title: str | None) -> BriefingDraft:
    """Build a briefing draft from the article's own sentences; no LLM involved."""
    first, _, rest = text.partition("\n")
    if title is None and rest.strip() and len(first) <= _HEADLINE_CHARS and first[-1:] not in ".!?":
        title = first.strip()  # a short first line over more text is the headline
    sentences = split_sentences(text)
    body = sentences[1:] if title and sentences and sentences[0] == title else sentences
    body = (
        [s for s in body[:MAX_SENTENCES] if _is_body(s)]
        or sentences[:1]
        or [text[:_HEADLINE_CHARS]]
    )
    scores = centrality(body)
    ranked = sorted(range(len(body)), key=lambda i: (-scores[i], i))
    lead = body[0]  # a news lead is written to summarise; it is the TL;DR
    chosen = sorted([i for i in ranked if body[i] != lead][:MAX_KEY_POINTS])
    headline = title or lead_headline(lead)
    story = rest if title is not None and title == first.strip() else text
    # model_construct: the draft's 3-to-6 key points rule is a repair prompt for the LLM;
    # a short article simply has fewer key sentences.
    return BriefingDraft.model_construct(
        headline=headline,
        tldr=lead,
        # Each key point is an article sentence: its own source.
        key_points=[KeyPoint(text=body[i], source=body[i]) for i in chosen],
        why_it_matters="",
        language=_language(text),
        topics=[],
        places=[],
        actors=attributed_actors(story),
    )


def extractive_key(content_hash: str) -> str:
    """Return the cache key of an article's extractive briefing (apart from LLM ones)."""
    return BriefingCache.key_for(content_hash, EXTRACTIVE_NAME, EXTRACTIVE_VERSION, EXTRACTIVE_NAME)


def extractive_briefing(ref: ArticleRef, text: str, reason: str) -> StoredBriefing:
    """Make and check the extractive briefing of an article, labelled with why it was made."""
    briefing = ground(extractive_draft(text, ref.title), text)
    return StoredBriefing(
        key=extractive_key(ref.content_hash),
        article=ref,
        prompt_name=EXTRACTIVE_NAME,
        prompt_version=EXTRACTIVE_VERSION,
        model=EXTRACTIVE_NAME,
        created_at=datetime.now(UTC),
        usage=Usage(),
        verified_stances=briefing.verified_count,
        total_stances=briefing.stance_count,
        briefing=briefing,
        extractive_reason=reason,
    )
