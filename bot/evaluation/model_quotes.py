"""Score a model's briefing of a corpus article: its stance quotes and its summary.

Each stance quote is classified by the provenance classifier for the actor the model gave it
to ("backed by the actor's own words" is DIRECT or VIA). Where the quote is one of the
article's gold probes for that actor, the classifier's verdict is also compared with gold.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.checks.provenance import ArticleQuotes, Provenance
from bot.checks.summary import check_briefing
from bot.evaluation.corpus_model import CorpusActor, CorpusArticle, QuoteProbe
from bot.evaluation.scoring import gold_forms, norm_name
from bot.models import Actor, BriefingDraft

OWN_WORDS = frozenset({Provenance.DIRECT, Provenance.VIA})
_NON_WORD = re.compile(r"[\W_]+")
_MIN_OVERLAP = 12  # characters: shorter fragments match too many probes by chance


@dataclass
class QuoteTally:
    """What the model's stance quotes are, as the classifier and as gold see them."""

    stances: int = 0
    own_words: int = 0  # classified DIRECT or VIA for the actor the model named
    by_class: Counter[str] = field(default_factory=Counter)
    gold_matched: int = 0  # quotes that are a gold probe for the same actor
    gold_agreed: int = 0  # ... and classified as gold says
    gold_own_words: int = 0  # ... whose gold class is DIRECT or VIA


def _folded(text: str) -> str:
    return _NON_WORD.sub(" ", text).casefold().strip()


def _same_actor(actor: Actor, probe: QuoteProbe, gold: Sequence[CorpusActor]) -> bool:
    mine = {norm_name(actor.name), *(norm_name(a) for a in actor.aliases)}
    named = next((g for g in gold if g.name == probe.actor), None)
    forms = gold_forms(named) if named else {norm_name(probe.actor)}
    return norm_name(actor.name) in forms or norm_name(probe.actor) in mine


def gold_probe(actor: Actor, quote: str, article: CorpusArticle) -> QuoteProbe | None:
    """Return the gold probe this quote is (one contains the other) for the same actor."""
    mine = _folded(quote)
    for probe in article.quotes:
        theirs = _folded(probe.quote)
        if min(len(mine), len(theirs)) < _MIN_OVERLAP:
            continue
        if (mine in theirs or theirs in mine) and _same_actor(actor, probe, article.actors):
            return probe
    return None


def tally_quotes(actors: Sequence[Actor], article: CorpusArticle) -> QuoteTally:
    """Classify every stance quote of the briefing against the article, and against gold."""
    quotes = ArticleQuotes(article.text)
    tally = QuoteTally()
    for actor in actors:
        for stance in actor.stances:
            check = quotes.check(stance.quote, actor.name, actor.aliases)
            verdict = check.provenance
            tally.stances += 1
            tally.own_words += check.own_words
            tally.by_class[verdict.value] += 1
            probe = gold_probe(actor, stance.quote, article)
            if probe is not None:
                tally.gold_matched += 1
                tally.gold_agreed += verdict.value == probe.expected
                tally.gold_own_words += probe.expected in {p.value for p in OWN_WORDS}
    return tally


@dataclass(frozen=True)
class SummaryFailure:
    """A briefing field that states a number, date or name its article does not have."""

    field: str
    unsupported: tuple[str, ...]


def summary_failures(briefing: BriefingDraft, text: str) -> list[SummaryFailure]:
    """Run the summary check over the briefing's fields; list those that fail."""
    return [
        SummaryFailure(f.field, tuple(u.text for u in f.unsupported))
        for f in check_briefing(briefing, text).failed
    ]
