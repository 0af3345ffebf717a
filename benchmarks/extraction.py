"""Extraction quality: 4-gram-shingle F1 of extracted vs expected body text on our corpus.

Run: python -m benchmarks.extraction [--verbose]

The corpus is tests/fixtures/pages: realistic pages written for this (heavy boilerplate,
live blog, encoding only in <meta>, non-English, AMP, JSON-LD, …), each with its expected body.
Tokens are words, and single characters in CJK text (which has no spaces); the score per page
is the F1 of the multisets of 4-token shingles, averaged over pages (as article-extraction
benchmarks do). Compared: trafilatura with its defaults, and briefbot's tuned extraction.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.errors import SourceError
from bot.sources.extract import decode_html, extract_page

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


def tokens(text: str) -> list[str]:
    """Split into words, and CJK text into characters."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of n-token shingles."""
    words = tokens(text)
    return Counter(tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1)))


def f1(extracted: str, expected: str) -> float:
    """Return the shingle F1 of an extraction against the expected text."""
    got, want = shingles(extracted), shingles(expected)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def pages() -> list[tuple[str, str, str, dict[str, object]]]:
    """Return (name, html, expected text, manifest entry) for every corpus page."""
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return [
        (
            name,
            decode_html((CORPUS / f"{name}.html").read_bytes(), None),
            (CORPUS / f"{name}.txt").read_text(encoding="utf-8"),
            entry,
        )
        for name, entry in sorted(manifest.items())
    ]


def trafilatura_defaults(html: str, url: str) -> str:
    """Extract with trafilatura's defaults."""
    from bot.sources.extract import _import_trafilatura

    _import_trafilatura()
    from trafilatura import extract

    return extract(html, url=url) or ""


def briefbot(html: str, url: str) -> str:
    """Extract as the bot does."""
    try:
        return extract_page(html, url=url).text
    except SourceError:
        return ""


def score(extractor: Callable[[str, str], str]) -> dict[str, float]:
    """Return each page's F1 under an extractor."""
    return {name: f1(extractor(html, str(e["url"])), want) for name, html, want, e in pages()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true", help="show each page's figures")
    args = parser.parse_args()
    default, tuned = score(trafilatura_defaults), score(briefbot)
    if args.verbose:
        for name in default:
            print(f"{name:18} defaults {default[name]:.3f}   briefbot {tuned[name]:.3f}")
    print(
        f"extraction F1 on {len(tuned)} pages: trafilatura defaults "
        f"{statistics.mean(default.values()):.3f}, briefbot {statistics.mean(tuned.values()):.3f} "
        f"(worst page {min(tuned.values()):.3f})"
    )


if __name__ == "__main__":
    main()
