"""The extractive (no-LLM) briefing: time to brief articles of growing length.

Run: python -m benchmarks.extractive

The articles are the Korea fixtures repeated, and an adversarial text of thousands of
"X said …" sentences whose speakers are never named (each needs a name check).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bot.articles.text import make_article
from bot.extractive.briefing import extractive_briefing
from bot.models import ArticleRef

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _time(text: str, runs: int = 3) -> tuple[float, int, int]:
    article = make_article(text, max_chars=2_000_000)
    ref = ArticleRef(content_hash=article.content_hash, chars=len(article.text))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        stored = extractive_briefing(ref, article.text, "benchmark")
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(stored.briefing.actors), stored.total_stances


def main() -> None:
    """Print the median time per article size."""
    korea = (FIXTURES / "korea.txt").read_text(encoding="utf-8")
    korea2 = (FIXTURES / "korea2.txt").read_text(encoding="utf-8")
    cases = {
        "one wire story": korea,
        "40,000 characters": ((korea + "\n\n" + korea2 + "\n\n") * 15)[:40_000],
        "500,000 characters": (korea + "\n\n") * 300,
        "8,000 unnamed 'X said' sentences": " ".join(
            f"Analysts{i % 50} said port {i} was closed for repairs today." for i in range(8000)
        ),
    }
    print("extractive briefing (no LLM), median of 3 runs:")
    for name, text in cases.items():
        median, actors, stances = _time(text)
        print(
            f"  {name:<34} {len(text):>9,} chars  {median:6.2f} s  "
            f"{actors} actors, {stances} stances"
        )


if __name__ == "__main__":
    main()
