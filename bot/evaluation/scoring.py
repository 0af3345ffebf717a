"""Score the pure checks against the trust corpus: provenance, actors, summary, dates.

Every function takes the articles to score, so the same code scores the dev split, the test
split and the whole corpus (`split_of`). Shifts are scored in shift_scoring.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.actors.issues import issue_key
from bot.checks.provenance import ArticleQuotes
from bot.checks.summary import unsupported
from bot.evaluation.corpus_model import CorpusActor, CorpusArticle
from bot.models import Actor

Split = Literal["dev", "test"]
_SUFFIX = re.compile(r"(\d+)$")
_ARTICLE = re.compile(r"^(?:the|der|die|das|le|la|les|l')\s+", re.IGNORECASE)


def split_of(article_id: str) -> Split:
    """Return the article's split: an odd numeric suffix is dev (tuned on), even is test."""
    found = _SUFFIX.search(article_id)
    if found is None:
        raise ValueError(f"corpus id without a numeric suffix: {article_id!r}")
    return "dev" if int(found.group(1)) % 2 else "test"


def in_split(articles: Iterable[CorpusArticle], split: Split) -> list[CorpusArticle]:
    """Keep the articles of one split."""
    return [a for a in articles if split_of(a.id) == split]


@dataclass(frozen=True)
class Rate:
    """A share: `hits` out of `total` (None when there was nothing to count)."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        """Return hits / total, or None for an empty count."""
        return self.hits / self.total if self.total else None

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.hits + other.hits, self.total + other.total)


def _rates(pairs: Iterable[tuple[str, bool]]) -> dict[str, Rate]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for key, hit in pairs:
        totals[key] += 1
        hits[key] += hit
    return {key: Rate(hits[key], totals[key]) for key in sorted(totals)}


# --- (a) provenance -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvenanceScore:
    """Classifier accuracy on the corpus probes: per expected class and per language."""

    by_class: dict[str, Rate]
    by_language: dict[str, Rate]
    confusions: dict[str, int]  # "expected->got": how often

    @property
    def overall(self) -> Rate:
        """Return the accuracy over every probe."""
        return sum(self.by_class.values(), Rate(0, 0))


def _forms(actors: Sequence[CorpusActor], name: str) -> list[str]:
    for actor in actors:
        if actor.name == name:
            return actor.aliases
    return []


def score_provenance(articles: Iterable[CorpusArticle]) -> ProvenanceScore:
    """Classify every probe with ArticleQuotes and compare its class with the gold one."""
    outcomes: list[tuple[str, str, str]] = []  # (language, expected, got)
    for article in articles:
        quotes = ArticleQuotes(article.text)
        for probe in article.quotes:
            got = quotes.check(probe.quote, probe.actor, _forms(article.actors, probe.actor))
            outcomes.append((article.language, probe.expected, got.provenance.value))
    return ProvenanceScore(
        by_class=_rates((expected, expected == got) for _, expected, got in outcomes),
        by_language=_rates((language, expected == got) for language, expected, got in outcomes),
        confusions=dict(Counter(f"{e}->{g}" for _, e, g in outcomes if e != g).most_common()),
    )


# --- (b) extractive actors ------------------------------------------------------------------


def norm_name(text: str) -> str:
    """Fold a name for matching: case, typographic apostrophes, spaces, a leading article."""
    text = " ".join(text.replace("\u2019", "'").split()).casefold()
    return _ARTICLE.sub("", text)


def gold_forms(actor: CorpusActor) -> set[str]:
    """Return every folded form of a gold actor: its name and aliases."""
    return {norm_name(form) for form in (actor.name, *actor.aliases)}


@dataclass
class ActorScore:
    """Extractive actors against gold: precision, recall, and what the misses were."""

    true_positives: int = 0
    false_positives: int = 0
    gold: int = 0
    duplicates: int = 0  # a gold actor listed a second time (counted as a false positive)
    traps_leaked: int = 0  # a trap (weekday, outlet, document) listed as an actor
    spurious: list[str] = field(default_factory=list)  # "article: name" of each false positive
    missed: list[str] = field(default_factory=list)  # "article: name" of each gold actor missed
    languages: dict[str, ActorScore] = field(default_factory=dict)  # the same, per language

    @property
    def precision(self) -> Rate:
        """Return the share of listed actors that are distinct gold actors."""
        return Rate(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> Rate:
        """Return the share of gold actors listed."""
        return Rate(self.true_positives, self.gold)


def _named(predicted: Actor, gold: CorpusActor) -> bool:
    """Tell whether a listed actor is this gold actor: by name, or the gold name as alias."""
    return norm_name(predicted.name) in gold_forms(gold) or norm_name(gold.name) in {
        norm_name(a) for a in predicted.aliases
    }


def _same_state(predicted: Actor, gold: CorpusActor) -> bool:
    """Tell whether both name one state, one in English ("Germany" for "Deutschland")."""
    if predicted.kind != "state" or gold.kind != "state":
        return False
    key = issue_key(predicted.name)
    return len(key) == 1 and key == issue_key(gold.name) and next(iter(key)).startswith("@")


def _gold_of(predicted: Actor, gold: Sequence[CorpusActor]) -> int | None:
    for same in (_named, _same_state):
        found = next((i for i, g in enumerate(gold) if same(predicted, g)), None)
        if found is not None:
            return found
    return None


def match_actors(
    article_id: str,
    predicted: Sequence[Actor],
    gold: Sequence[CorpusActor],
    traps: Sequence[str],
    score: ActorScore,
) -> None:
    """Match one article's listed actors to its gold actors, adding the outcome to `score`."""
    trap_forms = {norm_name(t) for t in traps}
    found: set[int] = set()
    score.gold += len(gold)
    for actor in predicted:
        which = _gold_of(actor, gold)
        if which is not None and which not in found:
            found.add(which)
            score.true_positives += 1
            continue
        score.false_positives += 1
        score.duplicates += which is not None
        names = {norm_name(actor.name), *(norm_name(a) for a in actor.aliases)}
        score.traps_leaked += which is None and bool(names & trap_forms)
        score.spurious.append(f"{article_id}: {actor.name}")
    score.missed += [f"{article_id}: {g.name}" for i, g in enumerate(gold) if i not in found]


def score_actors(articles: Iterable[CorpusArticle]) -> ActorScore:
    """Score the extractive briefing's actors against every article's gold actors."""
    from bot.extractive.briefing import extractive_draft  # lazy: the ranking is heavy

    score = ActorScore()
    for article in articles:
        draft = extractive_draft(article.text, article.title)
        for into in (score, score.languages.setdefault(article.language, ActorScore())):
            match_actors(article.id, draft.actors, article.actors, article.traps, into)
    score.languages = dict(sorted(score.languages.items()))
    return score


# --- (c) summary check ----------------------------------------------------------------------


@dataclass
class SummaryScore:
    """Planted errors caught (and pinpointed), and clean statements wrongly flagged."""

    caught: Rate = Rate(0, 0)  # the statement was flagged at all
    pinpointed: Rate = Rate(0, 0)  # a flagged token is the planted error
    false_flags: Rate = Rate(0, 0)  # clean statements flagged
    by_kind: dict[str, Rate] = field(default_factory=dict)  # caught, per planted kind
    flagged_clean: list[str] = field(default_factory=list)  # "article: statement -> tokens"
    uncaught: list[str] = field(default_factory=list)  # "article: statement (error)"


def _overlaps(flagged: str, error: str) -> bool:
    a, b = norm_name(flagged), norm_name(error)
    return a in b or b in a


def _flagged(
    statement: str, article: CorpusArticle, names: list[str], groups: list[list[str]]
) -> list[str]:
    found = unsupported(statement, article.text, names, groups=groups, language=article.language)
    return [item.text for item in found]


def score_summary(articles: Iterable[CorpusArticle]) -> SummaryScore:
    """Run the summary check on every clean and planted statement, names from gold actors."""
    score = SummaryScore()
    kinds: Counter[str] = Counter()
    kinds_caught: Counter[str] = Counter()
    for article in articles:
        groups = [[a.name, *a.aliases] for a in article.actors]
        names = [name for group in groups for name in group]
        for statement in article.summary.clean:
            flagged = _flagged(statement, article, names, groups)
            score.false_flags += Rate(bool(flagged), 1)
            if flagged:
                score.flagged_clean.append(f"{article.id}: {statement} -> {flagged}")
        for planted in article.summary.planted:
            flagged = _flagged(planted.statement, article, names, groups)
            score.caught += Rate(bool(flagged), 1)
            score.pinpointed += Rate(any(_overlaps(f, planted.error) for f in flagged), 1)
            kinds[planted.kind] += 1
            kinds_caught[planted.kind] += bool(flagged)
            if not flagged:
                score.uncaught.append(f"{article.id}: {planted.statement} ({planted.error})")
    score.by_kind = {k: Rate(kinds_caught[k], kinds[k]) for k in sorted(kinds)}
    return score


# --- (e) publication dates ------------------------------------------------------------------


@dataclass
class DateScore:
    """Publication dates read from the text against the gold ones."""

    dateline: Rate = Rate(0, 0)  # dateline_date gave the gold date
    effective: Rate = Rate(0, 0)  # the date the bot would use: the dateline's, else received
    none: int = 0  # articles where no date was read from the text
    wrong: list[str] = field(default_factory=list)  # "article: got X, gold Y"


def score_dates(articles: Iterable[CorpusArticle]) -> DateScore:
    """Read each article's date with dateline_date and compare it with the gold `published`."""
    from bot.articles.dates import dateline_date

    score = DateScore()
    for article in articles:
        got = dateline_date(article.text, received=article.received)
        score.dateline += Rate(got == article.published, 1)
        score.effective += Rate((got or article.received) == article.published, 1)
        score.none += got is None
        if got != article.published:
            score.wrong.append(f"{article.id}: got {got}, gold {article.published}")
    return score
