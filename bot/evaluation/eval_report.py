"""`briefbot eval`'s output: the estimate, one line per article, the totals; text or JSON."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from bot.evaluation.run_eval import ArticleResult, Estimate, EvalReport
from bot.render.plural import counted


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _money(cost: float | None) -> str:
    return "price unknown" if cost is None else f"${cost:.4f}"


def estimate_line(estimate: Estimate, model: str) -> str:
    """Say what the run will cost, before it starts."""
    cost = _money(estimate.cost_usd)
    if estimate.cost_usd is None:
        cost += ": set LLM_PRICE_PER_MTOK_IN and LLM_PRICE_PER_MTOK_OUT"
    return (
        f"briefbot eval: {counted(estimate.articles, 'article')} with {model}: about "
        f"{estimate.input_tokens:,} input + up to {estimate.output_tokens:,} output tokens "
        f"(more if an answer needs a repair); cost {cost}"
    )


def totals(report: EvalReport) -> dict[str, Any]:
    """Sum the run: validity, own words, agreement with gold, summary failures, cost, time."""
    rows = report.articles
    valid = [r for r in rows if r.schema_valid]
    stances = sum(r.quotes.stances for r in valid)
    matched = sum(r.quotes.gold_matched for r in valid)
    classes: Counter[str] = Counter()
    for r in valid:
        classes.update(r.quotes.by_class)
    costs = [r.cost_usd for r in rows]
    return {
        "articles": len(rows),
        "schema_valid": len(valid),
        "schema_valid_rate": _share(len(valid), len(rows)),
        "repaired": sum(r.repaired for r in rows),
        "errors": dict(Counter(r.error for r in rows if r.error)),
        "stances": stances,
        "own_words": sum(r.quotes.own_words for r in valid),
        "own_words_share": _share(sum(r.quotes.own_words for r in valid), stances),
        "provenance": dict(sorted(classes.items())),
        "gold_matched": matched,
        "gold_agreed": sum(r.quotes.gold_agreed for r in valid),
        "provenance_accuracy_vs_gold": _share(sum(r.quotes.gold_agreed for r in valid), matched),
        "gold_own_words_share": _share(sum(r.quotes.gold_own_words for r in valid), matched),
        "summary_failures": sum(len(r.summary) for r in valid),
        "articles_with_summary_failures": sum(bool(r.summary) for r in valid),
        "prompt_tokens": sum(r.usage.prompt_tokens for r in rows),
        "completion_tokens": sum(r.usage.completion_tokens for r in rows),
        "cost_usd": None if None in costs else sum(c for c in costs if c is not None),
        "latency_s_median": statistics.median(r.latency_s for r in rows) if rows else None,
    }


def _article_json(r: ArticleResult) -> dict[str, Any]:
    q = r.quotes
    return {
        "id": r.id,
        "language": r.language,
        "schema_valid": r.schema_valid,
        "repaired": r.repaired,
        "error": r.error,
        "error_detail": r.detail or None,
        "stances": q.stances,
        "own_words": q.own_words,
        "provenance": dict(sorted(q.by_class.items())),
        "gold_matched": q.gold_matched,
        "gold_agreed": q.gold_agreed,
        "summary_failures": [
            {"field": f.field, "unsupported": list(f.unsupported)} for f in r.summary
        ],
        "prompt_tokens": r.usage.prompt_tokens,
        "completion_tokens": r.usage.completion_tokens,
        "cost_usd": r.cost_usd,
        "latency_s": round(r.latency_s, 3),
    }


def as_json(report: EvalReport) -> dict[str, Any]:
    """Return the run as a JSON-ready dict."""
    e = report.estimate
    return {
        "model": report.model,
        "estimate": {
            "articles": e.articles,
            "input_tokens": e.input_tokens,
            "output_tokens": e.output_tokens,
            "cost_usd": e.cost_usd,
        },
        "articles": [_article_json(r) for r in report.articles],
        "totals": totals(report),
    }


def article_line(r: ArticleResult) -> str:
    """One article's figures in a line."""
    tokens = f"{r.usage.prompt_tokens}+{r.usage.completion_tokens} tok"
    tail = f"{tokens}, {_money(r.cost_usd)}, {r.latency_s:.1f} s"
    if not r.schema_valid:
        return f"{r.id:<40} no valid briefing ({r.error}); {tail}"
    q = r.quotes
    repaired = " (after a repair)" if r.repaired else ""
    fields = ", ".join(f.field for f in r.summary) or "none"
    return (
        f"{r.id:<40} valid{repaired}; own words {q.own_words}/{q.stances}; "
        f"vs gold {q.gold_agreed}/{q.gold_matched}; summary fails: {fields}; {tail}"
    )


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def as_text(report: EvalReport, *, articles: bool = True) -> str:
    """Render the run for a person: the articles (unless shown already), then the totals."""
    t = totals(report)
    classes = ", ".join(f"{k} {v}" for k, v in t["provenance"].items()) or "none"
    lines = [article_line(r) for r in report.articles] + [""] if articles else []
    valid = (
        f"schema-valid answers: {t['schema_valid']}/{t['articles']} "
        f"({_rate(t['schema_valid_rate'])}), {t['repaired']} after a repair"
    )
    own = (
        f"stance quotes backed by the actor's own words: {t['own_words']}/{t['stances']} "
        f"({_rate(t['own_words_share'])}); classes: {classes}"
    )
    gold = (
        f"provenance vs gold, on quotes that are gold probes: {t['gold_agreed']}/"
        f"{t['gold_matched']} ({_rate(t['provenance_accuracy_vs_gold'])})"
    )
    summary = (
        f"summary-check failures: {t['summary_failures']} fields in "
        f"{t['articles_with_summary_failures']} of {t['schema_valid']} briefings"
    )
    cost = (
        f"tokens: {t['prompt_tokens']:,} in + {t['completion_tokens']:,} out; cost "
        f"{_money(t['cost_usd'])}; median latency {t['latency_s_median'] or 0:.1f} s per article"
    )
    lines += [f"model: {report.model}", valid, own, gold, summary, cost]
    return "\n".join(lines)
