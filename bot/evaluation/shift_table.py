"""The shift table scored end to end: every confusable and paraphrase pair through the detector.

Each pair becomes two stances of one actor in two articles, received in the reverse order of
publication, so a detector that followed arrival would report the shift backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.actors.shifts import find_shifts
from bot.checks.provenance import Provenance
from bot.evaluation.issue_pairs import CONFUSABLE, PARAPHRASES
from bot.evaluation.scoring import Rate
from bot.models import Polarity
from bot.store.index import ChatArticle, StanceRow

GENERIC_TARGET = "the proposal"  # one vague target for both stances: only the issue may decide


@dataclass(frozen=True)
class ShiftCase:
    """One table pair in one direction: the earlier article's stance, then the later's."""

    earlier: str  # the wording of the earlier-published article's stance
    later: str
    before: Polarity  # the earlier stance's polarity; the later one has the opposite
    same: bool  # a paraphrase: exactly one shift expected, `before` -> the opposite
    by_issue: bool  # the wording is the stance's issue (target generic), else its target

    @property
    def after(self) -> Polarity:
        """Return the later stance's polarity."""
        return Polarity.OPPOSES if self.before == Polarity.SUPPORTS else Polarity.SUPPORTS


@dataclass(frozen=True)
class CaseOutcome:
    """What the detector made of one case."""

    case: ShiftCase
    found: int  # shifts detected
    right: bool  # the expected shift is among them, earlier polarity -> later


def shift_cases(
    confusable: Sequence[tuple[str, str]], paraphrases: Sequence[tuple[str, str]]
) -> list[ShiftCase]:
    """Lay out every pair in both directions, once as targets and once as issues."""
    # The two directions also swap the polarities, so the order must come from the dates.
    ways = ((0, Polarity.SUPPORTS), (1, Polarity.OPPOSES))
    return [
        ShiftCase(pair[first], pair[1 - first], before, same, by_issue)
        for by_issue in (False, True)
        for pairs, same in ((confusable, False), (paraphrases, True))
        for pair in pairs
        for first, before in ways
    ]


def _article(name: str, published: int, received: int) -> ChatArticle:
    day = datetime(2026, 12, 1, 9, tzinfo=UTC)
    return ChatArticle(name, None, day + timedelta(days=received), None, None, name, name,
                       published_at=day + timedelta(days=published))  # fmt: skip


def case_rows(case: ShiftCase) -> list[StanceRow]:
    """Build the case's two stances: published a day apart, received in the reverse order."""
    # Received newest first, so a detector that followed arrival would reverse the shift.
    stances = ((case.later, case.after, _article("later", 1, 3)),
               (case.earlier, case.before, _article("earlier", 0, 5)))  # fmt: skip
    return [
        StanceRow("Jane Roe", "person", ("Roe",), GENERIC_TARGET if case.by_issue else wording,
                  f"{polarity.value} it", polarity.value, "We have said what we think.",
                  verified=True, article=on, issue=wording if case.by_issue else "",
                  provenance=Provenance.DIRECT)
        for wording, polarity, on in stances
    ]  # fmt: skip


def judge_case(case: ShiftCase) -> CaseOutcome:
    """Run the detector on the case's stances and judge what it found."""
    found = find_shifts(case_rows(case))
    right = case.same and any(
        (s.before, s.after) == (case.before.value, case.after.value)
        and (s.before_article.article_hash, s.after_article.article_hash) == ("earlier", "later")
        for s in found
    )
    return CaseOutcome(case, len(found), right)


@dataclass
class ShiftTableScore:
    """Shift precision and recall of the detector on the table, and its false shifts."""

    outcomes: list[CaseOutcome] = field(default_factory=list)

    def _of(self, by_issue: bool) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.case.by_issue == by_issue]

    def cases(self, *, by_issue: bool = False) -> int:
        """Count the cases of one variant (both directions of every pair)."""
        return len(self._of(by_issue))

    def precision(self, *, by_issue: bool = False) -> Rate:
        """Return the share of detected shifts that are the expected one."""
        of = self._of(by_issue)
        return Rate(sum(o.right for o in of), sum(o.found for o in of))

    def recall(self, *, by_issue: bool = False) -> Rate:
        """Return the share of paraphrase cases whose shift was found, in the right order."""
        of = [o for o in self._of(by_issue) if o.case.same]
        return Rate(sum(o.right for o in of), len(of))

    def false_shifts(self, *, by_issue: bool = False) -> int:
        """Count the shifts detected on confusable cases."""
        return sum(o.found for o in self._of(by_issue) if not o.case.same)

    def wrong(self) -> list[str]:
        """Describe each case the detector got wrong, for reading the misses."""
        return [
            f"{'issue' if o.case.by_issue else 'target'}: {o.case.earlier!r} -> "
            f"{o.case.later!r}: {o.found} shift(s), expected {int(o.case.same)}"
            for o in self.outcomes
            if o.found != int(o.case.same) or o.right != o.case.same
        ]


def score_shift_table(
    confusable: Sequence[tuple[str, str]] = CONFUSABLE,
    paraphrases: Sequence[tuple[str, str]] = PARAPHRASES,
) -> ShiftTableScore:
    """Judge the detector on every case of the table: paraphrases shift, confusables never."""
    return ShiftTableScore([judge_case(c) for c in shift_cases(confusable, paraphrases)])
