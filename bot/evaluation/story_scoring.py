"""Scores for grouping: B-cubed precision, recall and F1; near-duplicate pairs found."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Precision, recall and their F1."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def b_cubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Score a clustering against gold labels, item by item (B-cubed)."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item in gold:
        by_pred.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in gold:
        mine, truth = by_pred[predicted[item]], by_gold[gold[item]]
        both = len(mine & truth)
        precision += both / len(mine)
        recall += both / len(truth)
    n = len(gold) or 1
    return Scores(precision / n, recall / n)


def duplicate_pairs(copy_of: Mapping[str, str | None]) -> set[frozenset[str]]:
    """Return the pairs a grouping calls near-duplicates (copies of one original)."""
    families: dict[str, list[str]] = {}
    for item, original in copy_of.items():
        if original is not None:
            families.setdefault(original, [original]).append(item)
    return {frozenset(p) for f in families.values() for p in itertools.combinations(f, 2)}


def pair_scores(found: set[frozenset[str]], gold: set[frozenset[str]]) -> Scores:
    """Score found pairs against gold pairs."""
    hit = len(found & gold)
    return Scores(hit / len(found) if found else 1.0, hit / len(gold) if gold else 1.0)
