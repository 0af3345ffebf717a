"""Score shift detection on the corpus: pairs of one actor's gold stances across articles.

Gold: two stances are on the same issue when their gold `issue` strings are equal after
folding and `GOLD_ISSUE_SAME` (the corpus writes French articles' issues in French; this
table is annotation, written from the corpus, not a rule the bot uses). A gold shift is a
same-issue pair whose polarity differs. Predicted: what the bot's detector compares,
`same_issue` on the two targets (and, for the model path that names issues, on the issues).
A confusable pair is one on different gold issues whose issues share a key word or entity
("EU sanctions on Russia" / "EU sanctions on Iran"): a match there is a false shift waiting
for a change of polarity.

The shift table (`score_shift_table`) runs the real detector, `find_shifts`, end to end over
the same-issue table of bot/evaluation/issue_pairs.py: each pair, both directions, as two
stances of one actor in two articles published a day apart with opposite polarities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from bot.actors.issues import issue_key, same_issue
from bot.evaluation.corpus_model import CorpusArticle, CorpusStance
from bot.evaluation.scoring import Rate, norm_name

# French (and spelling-variant) gold issues -> the canonical English issue used elsewhere.
GOLD_ISSUE_SAME = {
    "sanctions de l'ue contre la russie": "eu sanctions on russia",
    "taxes européennes sur les voitures électriques chinoises": (
        "eu tariffs on chinese electric cars"
    ),
    "droits de douane sur l'acier chinois": "tariffs on chinese steel",
    "taux directeurs de la bce": "ecb interest rates",
    "soutien nord-coréen à la russie": "north korea's support for russia",
    "coopération militaire corée du nord-russie": "north korea-russia military cooperation",
    "russia-north korea military cooperation": "north korea-russia military cooperation",
    "cessez-le-feu israël-liban": "israel-lebanon ceasefire",
    "violations israéliennes du cessez-le-feu au liban": "israeli ceasefire violations in lebanon",
    "aide militaire à l'ukraine": "military aid to ukraine",
}


def canonical_issue(issue: str) -> str:
    """Return the gold issue's canonical form: folded, dashes unified, translations mapped."""
    folded = norm_name(issue.replace("\u2013", "-").replace("\u2014", "-"))
    return GOLD_ISSUE_SAME.get(folded, folded)


@dataclass(frozen=True)
class StancePoint:
    """One gold stance, with the article it comes from."""

    article: str
    stance: CorpusStance


@dataclass(frozen=True)
class PairVerdict:
    """One cross-article pair of an actor's stances, as gold and as the detector see it."""

    actor: str
    first: StancePoint
    second: StancePoint
    gold_same: bool
    confusable: bool
    same_by_target: bool
    same_by_issue: bool

    @property
    def polarity_changed(self) -> bool:
        """Tell whether the two stances differ in polarity."""
        return self.first.stance.polarity != self.second.stance.polarity


@dataclass
class ShiftScore:
    """Shift precision and recall over the pairs, and the confusable pairs' false shifts."""

    pairs: list[PairVerdict] = field(default_factory=list)

    def _shifts(self, by_issue: bool) -> tuple[int, int, int]:
        tp = fp = fn = 0
        for pair in self.pairs:
            if not pair.polarity_changed:
                continue
            predicted = pair.same_by_issue if by_issue else pair.same_by_target
            tp += predicted and pair.gold_same
            fp += predicted and not pair.gold_same
            fn += pair.gold_same and not predicted
        return tp, fp, fn

    def precision(self, *, by_issue: bool = False) -> Rate:
        """Return the share of detected shifts that are gold shifts."""
        tp, fp, _ = self._shifts(by_issue)
        return Rate(tp, tp + fp)

    def recall(self, *, by_issue: bool = False) -> Rate:
        """Return the share of gold shifts detected."""
        tp, _, fn = self._shifts(by_issue)
        return Rate(tp, tp + fn)

    @property
    def confusable(self) -> list[PairVerdict]:
        """Return the pairs on different issues that share a key word or entity."""
        return [p for p in self.pairs if p.confusable]

    def false_matches(self, *, by_issue: bool = False) -> int:
        """Count confusable pairs the detector takes for one issue."""
        return sum(p.same_by_issue if by_issue else p.same_by_target for p in self.confusable)

    def false_shifts(self, *, by_issue: bool = False) -> int:
        """Count confusable pairs that change polarity and are detected as a shift."""
        return sum(
            p.polarity_changed and (p.same_by_issue if by_issue else p.same_by_target)
            for p in self.confusable
        )


def _confusable(a: str, b: str) -> bool:
    return canonical_issue(a) != canonical_issue(b) and bool(
        issue_key(canonical_issue(a)) & issue_key(canonical_issue(b))
    )


def actor_groups(articles: Iterable[CorpusArticle]) -> dict[str, list[StancePoint]]:
    """Group gold stances by actor across articles: the same full name, or named as alias."""
    groups: dict[str, list[StancePoint]] = {}
    forms_of: dict[str, set[str]] = {}  # group key -> every folded form seen for it
    for article in articles:
        forms = {a.name: {norm_name(f) for f in (a.name, *a.aliases)} for a in article.actors}
        for stance in article.stances:
            own = forms.get(stance.actor, {norm_name(stance.actor)})
            name = norm_name(stance.actor)
            key = next(
                (k for k, seen in forms_of.items() if name in seen or norm_name(k) in own),
                stance.actor,
            )
            groups.setdefault(key, []).append(StancePoint(article.id, stance))
            forms_of.setdefault(key, set()).update(own)
    return groups


def judge_pairs(actor: str, points: Sequence[StancePoint]) -> list[PairVerdict]:
    """Judge every pair of an actor's stances from two different articles."""
    return [
        PairVerdict(
            actor=actor,
            first=a,
            second=b,
            gold_same=canonical_issue(a.stance.issue) == canonical_issue(b.stance.issue),
            confusable=_confusable(a.stance.issue, b.stance.issue),
            same_by_target=same_issue(a.stance.target, b.stance.target),
            same_by_issue=same_issue(a.stance.issue, b.stance.issue),
        )
        for a, b in combinations(points, 2)
        if a.article != b.article  # never a shift inside one article
    ]


def score_shifts(articles: Iterable[CorpusArticle]) -> ShiftScore:
    """Judge every cross-article pair of each actor's gold stances."""
    score = ShiftScore()
    for actor, points in actor_groups(articles).items():
        score.pairs += judge_pairs(actor, points)
    return score


@dataclass(frozen=True)
class IssueTable:
    """Every pair of distinct gold issues in the corpus that share a key word or entity."""

    confusable: int
    false_matches: list[tuple[str, str]]


def confusable_issues(articles: Iterable[CorpusArticle]) -> IssueTable:
    """Pair the corpus's distinct gold issues that look alike; count those `same_issue` joins."""
    issues = sorted({s.issue for a in articles for s in a.stances})
    pairs = [(a, b) for a, b in combinations(issues, 2) if _confusable(a, b)]
    return IssueTable(len(pairs), [(a, b) for a, b in pairs if same_issue(a, b)])


# --- the shift table: the detector end to end over the same-issue table -----------------------
