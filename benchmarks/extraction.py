"""Extraction quality: 4-gram-shingle precision, recall and F1 of extracted vs expected text.

Run: python -m benchmarks.extraction [--verbose] [--real DIR]

Two corpora, each scored for briefbot's extraction and for trafilatura with its defaults:
- the project's pages, tests/fixtures/pages: realistic pages written for this (heavy
  boilerplate, live blog, encoding only in <meta>, non-English, AMP, JSON-LD, …);
- real news pages with a person's ground truth (a development set from a public
  article-extraction benchmark), read from DIR, else $BRIEFBOT_EXTRACTION_DEV, else
  ../shared/extraction-dev/ relative to the repository's root; skipped, with one line saying
  so, when absent: the repository does not ship them.

Scoring as that benchmark does: tokens are words (and single characters in CJK text, which has
no spaces); per page precision = shared 4-token shingles / predicted ones and recall = shared /
true ones, counted with multiplicity; a page with no extraction (a refusal) counts 0 and 0;
precision and recall are averaged over the pages and F1 is taken of the two averages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.articles.text import make_article
from bot.errors import ArticleError, SourceError
from bot.sources.extract import decode_html, extract_page

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "pages"
REAL_DEFAULT = ROOT.parent / "shared" / "extraction-dev"
REAL_ENV = "BRIEFBOT_EXTRACTION_DEV"
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff]+")

Extractor = Callable[[str, str], str | None]  # (html, url) -> text, None when refused


def tokens(text: str) -> list[str]:
    """Split into words, and CJK text into characters."""
    return _TOKEN.findall(text.casefold())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of n-token shingles."""
    words = tokens(text)
    return Counter(tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1)))


def precision_recall(extracted: str, expected: str) -> tuple[float, float]:
    """Return the shingle precision and recall of an extraction against the expected text."""
    got, want = shingles(extracted), shingles(expected)
    common = sum((got & want).values())
    if not got and not want:
        return 1.0, 1.0
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else 0.0
    return precision, recall


def f1(extracted: str, expected: str) -> float:
    """Return the shingle F1 of an extraction against the expected text."""
    precision, recall = precision_recall(extracted, expected)
    return _harmonic(precision, recall)


def _harmonic(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pages() -> list[tuple[str, str, str, dict[str, object]]]:
    """Return (name, html, expected text, manifest entry) for every project page."""
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


@dataclass(frozen=True)
class Sample:
    """One page to score: its HTML, URL and the text a person marked as its body."""

    name: str
    html: str
    url: str
    expected: str


def own_samples() -> list[Sample]:
    """Return the project's pages as samples."""
    return [Sample(name, html, str(e["url"]), want) for name, html, want, e in pages()]


def real_dir(flag: str | None) -> Path:
    """Return where the real pages should be: the flag, the environment, else the default."""
    return Path(flag or os.environ.get(REAL_ENV) or REAL_DEFAULT)


def real_samples(folder: Path) -> list[Sample]:
    """Return the real pages of a benchmark folder (html/<key>.html.gz + ground-truth.json)."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    samples = []
    for key, entry in sorted(truth.items()):
        body = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        html = decode_html(body, None)
        samples.append(Sample(key, html, str(entry["url"]), str(entry["articleBody"])))
    return samples


def trafilatura_defaults(html: str, url: str) -> str | None:
    """Extract with trafilatura's defaults."""
    from bot.sources.extract import _import_trafilatura

    _import_trafilatura()
    from trafilatura import extract

    return extract(html, url=url) or None


def briefbot(html: str, url: str) -> str | None:
    """Extract as the bot does; None when it refuses the page (no article, too little text)."""
    try:
        page = extract_page(html, url=url)
        make_article(page.text, title=page.title)  # the service's "too little text to brief"
    except (SourceError, ArticleError):
        return None
    return page.text


@dataclass(frozen=True)
class Score:
    """One extractor on one corpus: averaged precision and recall, refusals, per-page F1."""

    precision: float
    recall: float
    refusals: int
    per_page: dict[str, tuple[float, float]]

    @property
    def f1(self) -> float:
        """Return F1 of the averaged precision and recall (as the benchmark reports)."""
        return _harmonic(self.precision, self.recall)


def score(extractor: Extractor, samples: list[Sample]) -> Score:
    """Score an extractor over samples; a refusal counts as precision and recall 0."""
    per_page: dict[str, tuple[float, float]] = {}
    refusals = 0
    for sample in samples:
        text = extractor(sample.html, sample.url)
        if text is None:
            refusals += 1
            per_page[sample.name] = (0.0, 0.0)
        else:
            per_page[sample.name] = precision_recall(text, sample.expected)
    return Score(
        precision=statistics.mean(p for p, _ in per_page.values()),
        recall=statistics.mean(r for _, r in per_page.values()),
        refusals=refusals,
        per_page=per_page,
    )


EXTRACTORS: dict[str, Extractor] = {
    "briefbot": briefbot,
    "trafilatura defaults": trafilatura_defaults,
}


def table(title: str, scores: dict[str, Score], pages_count: int) -> list[str]:
    """Render one corpus's scores as lines of a fixed-width table."""
    lines = [f"{title} ({pages_count} pages)", f"{'':22}{'F1':>7}{'P':>7}{'R':>7}{'refused':>9}"]
    for name, s in scores.items():
        lines.append(f"{name:22}{s.f1:7.3f}{s.precision:7.3f}{s.recall:7.3f}{s.refusals:9d}")
    return lines


def side_by_side(left: list[str], right: list[str], gap: int = 6) -> str:
    """Join two blocks of lines as columns."""
    width = max(map(len, left)) + gap
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return "\n".join(f"{a:{width}}{b}".rstrip() for a, b in zip(left, right, strict=True))


def _details(scores: dict[str, Score]) -> list[str]:
    names = list(scores)
    lines = []
    for page in next(iter(scores.values())).per_page:
        cells = "   ".join(f"{n} {_harmonic(*scores[n].per_page[page]):.3f}" for n in names)
        lines.append(f"  {page[:18]:18} {cells}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true", help="show each page's F1")
    parser.add_argument("--real", help=f"folder of real pages (default ${REAL_ENV} or ../shared)")
    args = parser.parse_args()
    corpora = {"project's pages": own_samples()}
    folder = real_dir(args.real)
    if (folder / "ground-truth.json").is_file():
        corpora["real pages"] = real_samples(folder)
    blocks, results = [], {}
    for title, samples in corpora.items():
        scores = {name: score(extractor, samples) for name, extractor in EXTRACTORS.items()}
        results[title] = scores
        blocks.append(table(title, scores, len(samples)))
    if args.verbose:
        for title, scores in results.items():
            print(title, *_details(scores), sep="\n")
    print(side_by_side(blocks[0], blocks[1]) if len(blocks) > 1 else "\n".join(blocks[0]))
    if len(blocks) == 1:
        print(f"real pages skipped: no {folder}/ground-truth.json (--real DIR or ${REAL_ENV})")


if __name__ == "__main__":
    main()
