"""Quote provenance: whether quoted words are the actor's own, relayed, reported or narration.

Rules (decided here, tested in tests/unit/checks/test_provenance.py):
- The quote is found tolerant of typography (quote marks, dashes, spaces, case, "..." and
  "[...]" elisions); it counts as quoted when at least 60 % of it lies inside quotation marks.
  A quote that is mostly the reporter's sentence around a quoted word is judged as that
  sentence: reported (or via) when an attribution governs those words, else narration; never
  direct, since the actor did not say the reporter's framing.
- Quoted words are governed by their sentence's attribution, else by the attribution of the
  quotation they continue (an unclosed quote reopened in the next paragraph), else by the
  nearest attribution in the same or the previous paragraph. Nested quotes belong to the outer
  quotation. Quotation marks that nothing governs are scare quotes: narration.
- Unquoted words are reported speech only inside the clause an attribution governs
  ("X said that …", "according to X, …", "…, Kim was quoted as saying"); else narration.
  Unquoted words someone else is said to have said are narration for this actor (its
  `speaker` says who): misattribution needs quotation marks.
- A relay (a news agency, "state media") that quotes or cites the speaker makes the words VIA
  it, quoted or not. When the relay itself is the speaker ("…," it said — KCNA's report), the
  words are the relay's own (DIRECT for the relay); for an actor the quoted report itself says
  spoke ("Kim Jong Un affirmed that …"), they are VIA the relay.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.checks.cues import PERSON_PRONOUNS
from bot.checks.masking import reporters_words
from bot.checks.phrases import leading_np
from bot.checks.quotation import (
    EDGE,
    ELLIPSIS,
    Span,
    fold_with_map,
    locate,
    quoted_spans,
    sentences,
)
from bot.checks.quote_verdict import Provenance, QuoteCheck  # re-exported: importers use this path
from bot.checks.speaker_names import Cast, Speaker, names_actor
from bot.checks.speakers import Attribution, attribution, subjunctive

__all__ = ["ArticleQuotes", "Provenance", "QuoteCheck"]

_QUOTED_SHARE = 0.6
_GOVERNED_SHARE = 0.5
_MAX_HITS = 20
_DIALOGUE_LINE = re.compile(r"^[—–-]\s")
_LOOK_BACK = 12  # sentences; the nearest attribution is never further than the last paragraph
_HEADLINE_END = re.compile(r"[.!?…:,;][\"“”»«’'\s]*$")
_DATELINE = re.compile(
    r"^(?:[A-ZÀ-ÖА-ЯЁ][\w.'’ -]{1,40}?(?:,[\w. ]{1,20}?)?\s*(?:\([^)]{1,40}\))?\s*(?:--|[-—–])\s+"
    r"|[A-ZА-ЯЁ][A-ZА-ЯЁ -]+,\s*\d+\s+\w+\.\s*/[^/]{1,20}/\.?\s*(?:[-—–]\s+)?)"
)


@dataclass(frozen=True)
class _Governor:
    written: str  # the phrase as the attribution wrote it ("he", "the ministry")
    speaker: Speaker  # what it resolves to
    via: str | None


@dataclass
class _Sentence:
    start: int
    end: int
    paragraph: int
    index: int
    governor: _Governor | None = None
    region: tuple[int, int] = (0, 0)


_RANK = {
    Provenance.DIRECT: 0,
    Provenance.VIA: 1,
    Provenance.REPORTED: 2,
    Provenance.MISATTRIBUTED: 3,
    Provenance.NARRATION: 4,
}


class ArticleQuotes:
    """An article parsed once (sentences, quotations, their speakers) to check many quotes."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded, self._where = fold_with_map(text)
        self._cast = Cast(text)
        self._sentences: list[_Sentence] = []
        self._spans: list[Span] = []
        self._span_governor: dict[Span, _Governor | None] = {}
        self._dialogue: set[int] = set()  # paragraphs that are dialogue lines ("— …")
        self._parse()

    def _parse(self) -> None:
        chains: list[list[Span]] = []
        for index, paragraph in enumerate(re.finditer(r"[^\n]+", self._text)):
            body = paragraph.group(0)
            if _DIALOGUE_LINE.match(body):
                self._dialogue.add(index)
            spans = quoted_spans(body, paragraph.start())
            if (
                spans
                and chains
                and chains[-1][-1].unclosed
                and spans[0].start - 1 <= paragraph.start()
            ):
                chains[-1].append(spans[0])  # the quotation reopens: same speaker
                spans_rest = spans[1:]
            else:
                spans_rest = spans
            chains.extend([span] for span in spans_rest)
            self._spans.extend(spans)
            skip = m.end() if index == 0 and (m := _DATELINE.match(body)) else 0
            for start, end in sentences(body, paragraph.start(), spans):
                sentence = _Sentence(start, end, index, len(self._sentences))
                self._read(sentence, paragraph.start() + skip, spans)
        self._starts = [sentence.start for sentence in self._sentences]
        self._span_starts = [span.start for span in self._spans]
        for chain in chains:
            self._govern(chain)

    def _read(self, sentence: _Sentence, lead: int, spans: list[Span]) -> None:
        masked = reporters_words(self._text, (sentence.start, sentence.end), lead, spans)
        found = attribution(masked)
        self._sentences.append(sentence)
        if found is None:
            self._cast.mention(leading_np(masked), sentence.start)
            previous = self._sentences[-2] if len(self._sentences) > 1 else None
            # German indirect speech goes on in the subjunctive: "…, sagte Merz. Die Regierung
            # werde prüfen, …" is still Merz's.
            same = previous and previous.governor and previous.paragraph == sentence.paragraph
            if same and previous and subjunctive(masked):
                sentence.governor = previous.governor
                sentence.region = (sentence.start, sentence.end)
            return
        governor = self._resolve(found, sentence.start)
        target = sentence
        if found.previous and len(self._sentences) > 1:
            target = self._sentences[-2]
            target.region = (target.start, target.end)
        else:
            target.region = (sentence.start + found.start, sentence.start + found.end)
        if target.governor is None:
            target.governor = governor
        if target is not sentence:
            sentence.governor, sentence.region = governor, (sentence.start, sentence.end)

    def _resolve(self, found: Attribution, position: int) -> _Governor | None:
        via = found.via
        if via == "":
            via = self._cast.latest_relay()
        if via:
            self._cast.relay(via)
        if found.who is None:
            return None
        speaker = self._cast.resolve(found.who, position)
        last = self._sentences[-2] if len(self._sentences) > 1 else None
        same = last is not None and last.governor is not None and last.governor.speaker == speaker
        if (
            via is None
            and same
            and last
            and last.governor
            and found.who.casefold() in PERSON_PRONOUNS
        ):
            via = last.governor.via  # "…, a-t-il ajouté": still via Irna
        return _Governor(found.who, speaker, via)

    def _govern(self, chain: list[Span]) -> None:
        own = [self._sentence_at(span.start).governor for span in chain]
        shared = next((g for g in own if g is not None), None)
        for span, governor in zip(chain, own, strict=True):
            self._span_governor[span] = governor or shared or self._nearest(span.start)

    def _sentence_at(self, position: int) -> _Sentence:
        index = bisect_right(self._starts, position) - 1
        return self._sentences[max(0, index)]

    def _nearest(self, position: int) -> _Governor | None:
        """Find the attribution of the closest earlier sentence in this or the last paragraph."""
        here = self._sentence_at(position)
        if not _HEADLINE_END.search(self._text[here.start : here.end]):
            return None  # a headline in quotation marks speaks for nobody
        if here.paragraph in self._dialogue and self._text[here.start : here.end].endswith("?"):
            return None  # an interview's question is the interviewer's
        reach = here.paragraph - 1
        while reach in self._dialogue:  # an interview's answers: back to who was introduced
            reach -= 1
        for sentence in reversed(self._sentences[max(0, here.index - _LOOK_BACK) : here.index]):
            if sentence.paragraph < reach:
                break
            if sentence.governor is not None:
                return sentence.governor
        return None

    def found(self, words: str) -> bool:
        """Tell whether the words occur in the article (typography and elisions tolerated)."""
        return bool(locate(words, self._folded, self._where))

    def check(self, quote: str, actor: str, aliases: Sequence[str] = ()) -> QuoteCheck:
        """Classify whose words the quote is, according to this article."""
        hits = locate(quote, self._folded, self._where)[:_MAX_HITS]
        if not hits:
            return QuoteCheck(Provenance.NOT_FOUND, None, None, None)
        pieces = [p for p in ELLIPSIS.split(quote) if p.strip(EDGE)]
        if len(pieces) > 1:
            # An elided quote spans the reporter's words between its pieces ("“…,” Lee told
            # reporters, adding that the door “…”"): each piece is judged, the weakest decides.
            verdicts = [self.check(piece, actor, aliases) for piece in pieces]
            if all(v.provenance in _RANK for v in verdicts):
                return max(verdicts, key=lambda v: _RANK[v.provenance])
        verdicts = [self._classify(start, end, actor, aliases) for start, end in hits]
        return min(verdicts, key=lambda v: _RANK[v.provenance])

    def _classify(self, start: int, end: int, actor: str, aliases: Sequence[str]) -> QuoteCheck:
        sentence = self._sentence_at(start)
        text = self._text[sentence.start : sentence.end]
        length = max(1, end - start)
        first = max(0, bisect_right(self._span_starts, start) - 1)
        last = bisect_right(self._span_starts, end)
        near = self._spans[first:last]
        best = max(near, key=lambda s: _overlap(s.start, s.end, start, end), default=None)
        inside = sum(_overlap(s.start, s.end, start, end) for s in near)
        if best is not None and inside / length >= _QUOTED_SHARE:
            governor = self._span_governor.get(best)
            inner = self._text[best.start : best.end]
            verdict = _judge(governor, actor, aliases, text, quoted=True, inner=inner)
            return replace(verdict, quoted=True)
        governor = sentence.governor
        if _overlap(*sentence.region, start, end) / length < _GOVERNED_SHARE:
            governor = None
        return _judge(governor, actor, aliases, text, quoted=False, inner="")


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _named(governor: _Governor, actor: str, aliases: Sequence[str]) -> bool:
    return names_actor(governor.written, actor, aliases) or names_actor(
        governor.speaker.name, actor, aliases
    )


# One return per class: the verdict reads as the rules in the module docstring.
def _judge(  # noqa: PLR0911
    governor: _Governor | None,
    actor: str,
    aliases: Sequence[str],
    sentence: str,
    *,
    quoted: bool,
    inner: str,
) -> QuoteCheck:
    if governor is None:
        return QuoteCheck(Provenance.NARRATION, None, None, sentence)
    speaker = governor.speaker.name
    own = Provenance.DIRECT if quoted else Provenance.REPORTED
    if governor.speaker.kind == "relay" and governor.via is None:
        if _named(governor, actor, aliases):
            return QuoteCheck(own, speaker, None, sentence)
        reported = attribution(inner) if inner else None
        if reported is not None and reported.who and names_actor(reported.who, actor, aliases):
            return QuoteCheck(Provenance.VIA, reported.who, speaker, sentence)
        kind = Provenance.MISATTRIBUTED if quoted else Provenance.NARRATION
        return QuoteCheck(kind, speaker, None, sentence)
    if not _named(governor, actor, aliases):
        # Unquoted words someone else is said to have said are not this actor's in any form.
        kind = Provenance.MISATTRIBUTED if quoted else Provenance.NARRATION
        return QuoteCheck(kind, speaker, None, sentence)
    if governor.via is not None:
        return QuoteCheck(Provenance.VIA, speaker, governor.via, sentence)
    return QuoteCheck(own, speaker, None, sentence)
