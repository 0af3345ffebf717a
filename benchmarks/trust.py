"""The trust benchmark: the pure checks scored against the shipped trust corpus.

Run: python -m benchmarks.trust [--json]

Figures for the dev split (odd-numbered articles: what the checks may be tuned on), the test
split (even-numbered: held out) and the whole corpus; "met" is judged on test and on all.
See docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.evaluation.corpus_model import CorpusArticle, load_corpus
from bot.evaluation.scoring import (
    ActorScore,
    DateScore,
    ProvenanceScore,
    Rate,
    SummaryScore,
    in_split,
    score_actors,
    score_dates,
    score_provenance,
    score_summary,
)
from bot.evaluation.shift_scoring import IssueTable, ShiftScore, confusable_issues, score_shifts
from bot.evaluation.shift_table import ShiftTableScore, score_shift_table

SPLITS = ("dev", "test", "all")
CLASSES = ("direct", "reported", "via", "narration", "misattributed", "not_found")
LANGUAGES = ("en", "de", "fr", "ru")

Figure = Rate | int | None
Target = Callable[[Figure], bool]


@dataclass(frozen=True)
class Scores:
    """Every score of one set of articles."""

    articles: int
    provenance: ProvenanceScore
    actors: ActorScore
    summary: SummaryScore
    shifts: ShiftScore
    issues: IssueTable
    dates: DateScore


def measure(articles: list[CorpusArticle]) -> Scores:
    """Score one set of articles on every check."""
    return Scores(
        articles=len(articles),
        provenance=score_provenance(articles),
        actors=score_actors(articles),
        summary=score_summary(articles),
        shifts=score_shifts(articles),
        issues=confusable_issues(articles),
        dates=score_dates(articles),
    )


@dataclass(frozen=True)
class Row:
    """One metric: its figure per split, the target in words and as a test."""

    metric: str
    figures: dict[str, Figure]
    target: str = "—"
    test: Target | None = None

    def met(self, split: str) -> bool | None:
        """Tell whether the split's figure meets the target (None: no target, or no data)."""
        figure = self.figures[split]
        if self.test is None or figure is None:
            return None
        if isinstance(figure, Rate) and figure.value is None:
            return None
        return self.test(figure)


def _at_least(bound: float) -> Target:
    return lambda f: isinstance(f, Rate) and f.value is not None and f.value >= bound


def _at_most(bound: float) -> Target:
    return lambda f: isinstance(f, Rate) and f.value is not None and f.value <= bound


def _zero(figure: Figure) -> bool:
    return figure == 0


def rows(scores: dict[str, Scores], shift_table: ShiftTableScore | None = None) -> list[Row]:
    """Lay the scores out as the benchmark's rows (the shift table's ones when given)."""

    def row(metric: str, get: Callable[[Scores], Figure], target: str = "—",
            test: Target | None = None) -> Row:  # fmt: skip
        return Row(metric, {split: get(s) for split, s in scores.items()}, target, test)

    out = [row("articles", lambda s: s.articles)]
    out += [
        row(f"provenance accuracy: {c}", _by_class(c), "≥ 0.95", _at_least(0.95)) for c in CLASSES
    ]
    out.append(row("provenance accuracy: all probes", lambda s: s.provenance.overall))
    out += [row(f"provenance accuracy: {lang}", _by_language(lang)) for lang in LANGUAGES]
    out += [
        row("extractive actor precision", lambda s: s.actors.precision, "≥ 0.95", _at_least(0.95)),
        row("extractive actor recall", lambda s: s.actors.recall, "≥ 0.80", _at_least(0.80)),
        row("extractive: traps listed as actors", lambda s: s.actors.traps_leaked, "0", _zero),
        row("extractive: an actor listed twice", lambda s: s.actors.duplicates),
    ]
    for lang in LANGUAGES:
        out += [
            row(f"extractive actor precision: {lang}", _actors_in(lang, recall=False)),
            row(f"extractive actor recall: {lang}", _actors_in(lang, recall=True)),
        ]
    out += [
        row("summary: planted errors caught", lambda s: s.summary.caught, "≥ 0.95",
            _at_least(0.95)),
        row("summary: planted error itself flagged", lambda s: s.summary.pinpointed),
        row("summary: clean statements flagged", lambda s: s.summary.false_flags, "≤ 0.02",
            _at_most(0.02)),
    ]  # fmt: skip
    out += [
        row(f"summary: planted {kind} errors caught", _by_kind(kind))
        for kind in ("number", "date", "name")
    ]
    out += [
        row("shifts (corpus): cross-article stance pairs of one actor",
            lambda s: len(s.shifts.pairs)),
        row("shift precision (corpus, targets)", lambda s: s.shifts.precision()),
        row("shift recall (corpus, targets)", lambda s: s.shifts.recall()),
        row("shift precision (corpus, issues)", lambda s: s.shifts.precision(by_issue=True)),
        row("shift recall (corpus, issues)", lambda s: s.shifts.recall(by_issue=True)),
        row("confusable stance pairs (corpus)", lambda s: len(s.shifts.confusable)),
        row("false shifts on confusable pairs (corpus)", _false_shifts, "0", _zero),
        row("confusable pairs taken for one issue (corpus)", _false_matches, "0", _zero),
        row("confusable gold issue pairs (corpus table)", lambda s: s.issues.confusable),
        row("confusable gold issues taken for one (corpus table)",
            lambda s: len(s.issues.false_matches), "0", _zero),
    ]  # fmt: skip
    if shift_table is not None:
        out += shift_table_rows(shift_table)
    out += [
        row("dates: dateline gives the gold date", lambda s: s.dates.dateline),
        row("dates: date used (dateline, else received)", lambda s: s.dates.effective),
    ]  # fmt: skip
    return out


def shift_table_rows(score: ShiftTableScore) -> list[Row]:
    """Lay out the shift table's rows: one figure, under "all" (the table has no split)."""

    def row(metric: str, figure: Figure, target: str = "—", test: Target | None = None) -> Row:
        return Row(metric, {"dev": None, "test": None, "all": figure}, target, test)

    out = [row("shift table: cases per variant (every pair, both directions)", score.cases())]
    for variant, by_issue in (("targets", False), ("issues", True)):
        out += [
            row(f"shift table precision ({variant})", score.precision(by_issue=by_issue)),
            row(f"shift table recall ({variant})", score.recall(by_issue=by_issue)),
        ]
    false = score.false_shifts() + score.false_shifts(by_issue=True)
    out.append(row("shift table: false shifts on confusable pairs", false, "0", _zero))
    return out


def _by_class(name: str) -> Callable[[Scores], Figure]:
    return lambda s: s.provenance.by_class.get(name)


def _by_language(language: str) -> Callable[[Scores], Figure]:
    return lambda s: s.provenance.by_language.get(language)


def _by_kind(kind: str) -> Callable[[Scores], Figure]:
    return lambda s: s.summary.by_kind.get(kind)


def _actors_in(language: str, *, recall: bool) -> Callable[[Scores], Figure]:
    def get(scores: Scores) -> Figure:
        score = scores.actors.languages.get(language)
        if score is None:
            return None
        return score.recall if recall else score.precision

    return get


def _false_shifts(scores: Scores) -> int:
    return scores.shifts.false_shifts() + scores.shifts.false_shifts(by_issue=True)


def _false_matches(scores: Scores) -> int:
    return scores.shifts.false_matches() + scores.shifts.false_matches(by_issue=True)


def shown(figure: Figure) -> str:
    """Write a figure: a rate as 0.950 (19/20), a count as it is."""
    if figure is None:
        return "—"
    if isinstance(figure, Rate):
        value = figure.value
        return "—" if value is None else f"{value:.3f} ({figure.hits}/{figure.total})"
    return str(figure)


def _met(value: bool | None) -> str:
    return "—" if value is None else "yes" if value else "NO"


def table(out: list[Row]) -> str:
    """Render the rows as a Markdown table."""
    lines = [
        "| metric | dev | test | all | target | met (test) | met (all) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.metric} | {' | '.join(shown(r.figures[s]) for s in SPLITS)} | {r.target} "
        f"| {_met(r.met('test'))} | {_met(r.met('all'))} |"
        for r in out
    ]
    return "\n".join(lines)


def as_json(out: list[Row]) -> list[dict[str, Any]]:
    """Return the rows as JSON-ready dicts."""

    def figure(f: Figure) -> Any:
        if isinstance(f, Rate):
            return {"value": f.value, "hits": f.hits, "total": f.total}
        return f

    return [
        {
            "metric": r.metric,
            "target": r.target,
            **{s: figure(r.figures[s]) for s in SPLITS},
            "met_test": r.met("test"),
            "met_all": r.met("all"),
        }
        for r in out
    ]


def run() -> list[Row]:
    """Score the dev split, the test split and the whole corpus."""
    corpus = load_corpus()
    parts = {"dev": in_split(corpus, "dev"), "test": in_split(corpus, "test"), "all": corpus}
    scores = {split: measure(articles) for split, articles in parts.items()}
    return rows(scores, score_shift_table())


def main(argv: list[str] | None = None) -> None:
    """Print the trust table (or its JSON)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.trust")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    out = run()
    if args.json:
        print(json.dumps(as_json(out), indent=2, ensure_ascii=False))
    else:
        print("trust corpus: dev = odd-numbered articles (tuned on), test = even (held out)")
        print(table(out))


if __name__ == "__main__":
    main()
