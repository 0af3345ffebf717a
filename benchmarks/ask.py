"""The /ask benchmark: the archive fixture's 100 questions, a misbehaving scripted model.

Run: python -m benchmarks ask   (or python -m benchmarks.ask)

Prints how often "Your articles don't say" comes back for the 20 unanswerable and the 80
answerable questions, and how many of the model's bad sentences (wrong article, paraphrased
quote, invented number, outside knowledge) reached the answer. See docs/ask.md.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from tests.ask_eval import evaluate


def main() -> None:
    """Run the evaluation in a scratch data directory and print its figures."""
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        figures = asyncio.run(evaluate(Path(scratch)))
        took = time.perf_counter() - start
    print("/ask over tests/fixtures/archive (100 questions, scripted model)")
    for line in figures.lines():
        print(f"  {line}")
    print(f"  ({took:.1f} s for 100 questions, checks included)")


if __name__ == "__main__":
    main()
