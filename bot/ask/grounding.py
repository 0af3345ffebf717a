"""The checks an answer passes before anyone sees it: every sentence backed by its sources.

The model writes its answer in fields, each meant to be one sentence with its citations; a
field may still hold several. Each is split into its sentences (the provenance check's
splitter: abbreviations, decimals and quotations do not end one), and every sentence must be
backed on its own: a field's quote backs the one sentence of it that shares most words with
the quote (a field of one sentence: that sentence), so "Kim called the drills a rehearsal
for invasion. He has long hated them." with one quote keeps the first and removes the second.

A sentence is kept only when at least one of its citations is verified: the passage it
names exists, and the quote (at least `MIN_QUOTE_WORDS` words) is found in THAT passage's
article by the provenance check's matcher (bot/checks/provenance.py: typography and
elisions tolerated). For an answer the quote is evidence of a fact, so whoever's words they
are — the actor's, reported, relayed, the reporter's narration — they count; words that are
not in the cited article (another article's, paraphrased, invented) do not. Then the
sentence's numbers, dates and names must be in the articles it cites
(bot/checks/summary.py), and most of its words too, so an answer from the model's own
knowledge that happens to cite a real quote is still removed. CPU work: run it in a thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.ask.models import AnswerDraft, AnswerSentence, Citation, Dropped, KeptSentence
from bot.checks.provenance import ArticleQuotes
from bot.checks.quotation import quoted_spans, sentences
from bot.checks.summary import unsupported
from bot.checks.words import same_word, words_of
from bot.search.archive import Passage

MIN_QUOTE_WORDS = 4  # "the president said" is in every article: evidence needs more words
MIN_SHARED = 0.5  # of a sentence's topic words, the share its cited articles must hold
_SHORT = 4  # words shorter than this ("the", "und", "что") say nothing about the topic


class _Articles:
    """The cited articles' texts, each parsed once however many sentences cite it."""

    def __init__(self, passages: Sequence[Passage], texts: Mapping[str, str]) -> None:
        self._passages = passages
        self._texts = texts
        self._parsed: dict[str, ArticleQuotes] = {}

    def text(self, article_hash: str) -> str:
        if (text := self._texts.get(article_hash)) is not None:
            return text
        # No stored text (an article kept before texts were): its passages are what we have.
        return "\n\n".join(p.text for p in self._passages if p.article_hash == article_hash)

    def about(self, article_hash: str) -> str:
        """Write what the model was told of an article besides its text: title, source, date."""
        # "On 4 November, AP reported…" is supported by the passage's header, which the model
        # saw: the date the chat has for the article and its public source.
        p = next(p for p in self._passages if p.article_hash == article_hash)
        source = p.source_label if p.source_url else None
        when = f"{p.published.day} {p.published:%B %Y}" if p.published else None
        return "".join(f"\n\n{x}." for x in (p.title, source, when) if x)

    def quotes(self, article_hash: str) -> ArticleQuotes:
        if (parsed := self._parsed.get(article_hash)) is None:
            parsed = self._parsed[article_hash] = ArticleQuotes(self.text(article_hash))
        return parsed


@dataclass(frozen=True)
class Grounded:
    """What of an answer passed the checks: to show, to cache, and what was removed."""

    sentences: list[KeptSentence]
    sources: list[Passage]  # one per cited article, numbered in order of first citation
    dropped: list[Dropped]
    # The answer reduced to its kept sentences, each with the citations that back it: what
    # is cached, so a sentence that failed is never stored, let alone sent.
    draft: AnswerDraft


def ground_answer(
    draft: AnswerDraft, passages: Sequence[Passage], texts: Mapping[str, str]
) -> Grounded:
    """Keep the sentences whose own citations check out; return them, their sources, the rest."""
    articles = _Articles(passages, texts)
    sources: list[Passage] = []
    kept: list[KeptSentence] = []
    backed: list[AnswerSentence] = []
    dropped: list[Dropped] = []
    for field in draft.sentences:
        for text, citations in split_field(field):
            verified, reason = _verified(citations, passages, articles)
            if not verified:
                dropped.append(Dropped(text, reason))
                continue
            cited = list(dict.fromkeys(h for h, _ in verified))
            evidence = "\n\n".join(articles.text(h) + articles.about(h) for h in cited)
            if missing := unsupported(text, evidence):
                what = ", ".join(f"{m.kind} {m.text!r}" for m in missing)
                dropped.append(Dropped(text, f"not in the cited articles: {what}"))
                continue
            if not _shares_words(text, evidence):
                dropped.append(Dropped(text, "its words are not the cited articles'"))
                continue
            kept.append(KeptSentence(text, _numbers(cited, sources, passages)))
            backed.append(AnswerSentence(text=text, citations=[c for _, c in verified]))
    grounded = AnswerDraft(unanswerable=draft.unanswerable, sentences=backed)
    return Grounded(kept, sources, dropped, grounded)


def _numbers(
    cited: list[str], sources: list[Passage], passages: Sequence[Passage]
) -> tuple[int, ...]:
    """Give the cited articles their numbers as sources, adding those cited for the first time."""
    numbers: list[int] = []
    for article_hash in cited:
        at = next((i for i, s in enumerate(sources) if s.article_hash == article_hash), None)
        if at is None:
            sources.append(next(p for p in passages if p.article_hash == article_hash))
            at = len(sources) - 1
        numbers.append(at + 1)
    return tuple(numbers)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, line by line, never inside a quotation or after "U.S."."""
    out: list[str] = []
    for line in text.splitlines():
        for start, end in sentences(line, 0, quoted_spans(line, 0)):
            if piece := line[start:end].strip():
                out.append(piece)
    return out


def split_field(field: AnswerSentence) -> list[tuple[str, list[Citation]]]:
    """Split a field into its sentences, each with the citations whose quotes back it."""
    parts = split_sentences(field.text)
    if len(parts) <= 1:
        return [(part, list(field.citations)) for part in parts]
    backing: list[list[Citation]] = [[] for _ in parts]
    words = [_topic_words(part) for part in parts]
    for citation in field.citations:
        quote = _topic_words(citation.quote)
        shared = [sum(any(same_word(w, q) for q in quote) for w in ws) for ws in words]
        # A quote is the evidence for one fact: it backs the sentence that states it, and a
        # quote that shares no word with any sentence backs none of them.
        if best := max(shared):
            backing[shared.index(best)].append(citation)
    return list(zip(parts, backing, strict=True))


def _topic_words(text: str) -> list[str]:
    return [w for w in words_of(text) if len(w) >= _SHORT]


def _verified(
    citations: Sequence[Citation], passages: Sequence[Passage], articles: _Articles
) -> tuple[list[tuple[str, Citation]], str]:
    """Return the citations whose quotes check out, with their articles, or why none does."""
    verified: list[tuple[str, Citation]] = []
    reason = "no citation of its own"
    for citation in citations:
        if not 1 <= citation.passage <= len(passages):
            reason = f"cites passage {citation.passage}, which it was not given"
            continue
        article_hash = passages[citation.passage - 1].article_hash
        if len(words_of(citation.quote)) < MIN_QUOTE_WORDS:
            reason = f"quote too short to be evidence: {citation.quote!r}"
            continue
        if not articles.quotes(article_hash).found(citation.quote):
            reason = f"quote not in the cited article: {citation.quote!r}"
            continue
        verified.append((article_hash, citation))
    return verified, reason


def _script(words: Sequence[str]) -> str:
    cyrillic = sum(any("\u0400" <= c <= "\u04ff" for c in w) for w in words)
    return "cyrillic" if cyrillic * 2 > len(words) else "latin"


def _shares_words(sentence: str, evidence: str) -> bool:
    """Tell whether most of the sentence's longer words are in the evidence, inflected or not."""
    words = [w for w in words_of(sentence) if len(w) >= _SHORT]
    if len(words) < 3:  # noqa: PLR2004 - too few words to judge by
        return True
    have = words_of(evidence)
    if _script(words) != _script(have):
        return True  # answered in another script than the articles: the quote check decides
    by_start: dict[str, list[str]] = {}
    for word in set(have):
        by_start.setdefault(word[:2], []).append(word)
    found = sum(any(same_word(w, h) for h in by_start.get(w[:2], ())) for w in words)
    return found >= MIN_SHARED * len(words)
