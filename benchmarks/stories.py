"""Stories: grouping quality on the fixture, and the time to place an arriving article.

Run: python -m benchmarks stories   (or python -m benchmarks.stories)

1. The fixture (bot/evaluation/stories/): 146 wire articles about 42 events in four
   languages, fed in order of publication; B-cubed precision/recall/F1 of the stories
   against the gold events, and precision/recall of the near-duplicate pairs.
2. Speed: a chat with 10,000 synthetic articles (about 3,300 events) in the 72-hour window,
   then 300 more arriving; each placement is timed as the bot does it (features from the
   text, the in-memory match, the SQLite write) on a real index: wall time and the placing
   thread's CPU time. Also the lazy rebuild of the chat's window from the store, as after a
   restart.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.articles.text import content_hash
from bot.evaluation.story_corpus import gold_duplicate_pairs, load_story_corpus
from bot.evaluation.story_scoring import b_cubed, duplicate_pairs, pair_scores
from bot.models import Article, Source
from bot.store.index import Index
from bot.stories.features import features_of
from bot.stories.grouping import ChatStories
from bot.stories.service import StoryService

WINDOW = timedelta(hours=72)
START = datetime(2026, 11, 2, tzinfo=UTC)


def fixture_scores() -> dict[str, float]:
    """Group the fixture as it arrives; return B-cubed and near-duplicate figures."""
    items = load_story_corpus()
    book = ChatStories(window=WINDOW)
    for item in items:
        book.add(features_of(item.id, item.published, item.text, item.title))
    stories = {h: m.story_id for h, m in book.members.items()}
    grouped = b_cubed(stories, {i.id: i.event for i in items})
    found = duplicate_pairs({h: m.copy_of for h, m in book.members.items()})
    dups = pair_scores(found, gold_duplicate_pairs(items))
    return {
        "articles": len(items),
        "events": len({i.event for i in items}),
        "b_cubed_precision": grouped.precision,
        "b_cubed_recall": grouped.recall,
        "b_cubed_f1": grouped.f1,
        "near_duplicate_precision": dups.precision,
        "near_duplicate_recall": dups.recall,
    }


class _Synthetic:
    """Wire-like articles of many events: shared names, numbers and event words."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "sha", "ny", "bel", "dor", "gu"]
        self.names = ["".join(self.rng.choices(syllables, k=3)).capitalize() for _ in range(3000)]
        self.vocab = ["".join(self.rng.choices(syllables, k=4)) for _ in range(6000)]

    def event(self) -> tuple[list[str], list[str], list[str]]:
        """Return an event's names, numbers and words."""
        rng = self.rng
        return (rng.sample(self.names, 3), [str(rng.randint(2, 9999)) for _ in range(2)],
                rng.sample(self.vocab, 15))  # fmt: skip

    def article(self, event: tuple[list[str], list[str], list[str]]) -> str:
        """Write one ~90-word article about an event."""
        names, nums, words = event
        rng = self.rng
        sentences = []
        for _ in range(6):
            body = rng.choices(words, k=6) + rng.choices(self.vocab, k=8)
            body += [rng.choice(names), rng.choice(nums)]
            rng.shuffle(body)
            sentences.append(" ".join(body).capitalize() + ".")
        return " ".join(sentences)


def _article(text: str, when: datetime, n: int) -> Article:
    source = Source(label=f"@channel{n % 40}")
    return Article(text=text, content_hash=content_hash(text), published_at=when, source=source)


def speed(window_articles: int = 10_000, arriving: int = 300) -> dict[str, float]:
    """Fill a chat's window, then time each arriving article's placement (ms)."""
    gen = _Synthetic()
    now = START + WINDOW
    service = StoryService(Index(Path(tempfile.mkdtemp()) / "index.sqlite3"),
                           window_hours=72, clock=lambda: now)  # fmt: skip
    index = service._index  # noqa: SLF001 - the benchmark drives the synchronous path
    events = [gen.event() for _ in range(window_articles // 3 + arriving)]
    for n in range(window_articles):
        when = START + timedelta(hours=72 * n / window_articles)
        service.place_now(index, 1, _article(gen.article(events[n // 3]), when, n))
    times, cpu = [], []
    for n in range(arriving):
        event = events[gen.rng.randrange(len(events))]
        article = _article(gen.article(event), now - timedelta(minutes=n), n)
        started, used = time.perf_counter(), time.thread_time()
        service.place_now(index, 1, article)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - used) * 1000)
    rebuilds, rebuilds_cpu = [], []
    for _ in range(3):  # the median of three: the machine is shared
        service.forget_books()
        started, used = time.perf_counter(), time.thread_time()
        service.book(index, 1)
        rebuilds.append((time.perf_counter() - started) * 1000)
        rebuilds_cpu.append((time.thread_time() - used) * 1000)
    index.close()
    times.sort()
    cpu.sort()
    return {
        "place_cpu_p50_ms": statistics.median(cpu),
        "place_cpu_p95_ms": cpu[int(0.95 * len(cpu)) - 1],
        "place_cpu_max_ms": cpu[-1],
        "window_articles": window_articles,
        "place_p50_ms": statistics.median(times),
        "place_p95_ms": times[int(0.95 * len(times)) - 1],
        "place_max_ms": times[-1],
        "rebuild_ms": statistics.median(rebuilds),
        "rebuild_cpu_ms": statistics.median(rebuilds_cpu),
    }


def main() -> None:
    """Print the fixture's figures and the placement times."""
    scores = fixture_scores()
    print(f"stories fixture: {scores['articles']:.0f} articles, {scores['events']:.0f} events")
    print(f"  B-cubed     P {scores['b_cubed_precision']:.3f}  R {scores['b_cubed_recall']:.3f}"
          f"  F1 {scores['b_cubed_f1']:.3f}")  # fmt: skip
    print(f"  near-dups   P {scores['near_duplicate_precision']:.3f}"
          f"  R {scores['near_duplicate_recall']:.3f}")  # fmt: skip
    timing = speed()
    print(f"placing an article, {timing['window_articles']:.0f} in the window:"
          f" p50 {timing['place_p50_ms']:.1f} ms, p95 {timing['place_p95_ms']:.1f} ms,"
          f" max {timing['place_max_ms']:.1f} ms")  # fmt: skip
    # On a shared machine the wall time includes waiting for a core; the thread's CPU time
    # is the work itself.
    print(f"  CPU time of the placing thread: p50 {timing['place_cpu_p50_ms']:.1f} ms,"
          f" p95 {timing['place_cpu_p95_ms']:.1f} ms,"
          f" max {timing['place_cpu_max_ms']:.1f} ms")  # fmt: skip
    print(f"  lazy rebuild of the window from the store: {timing['rebuild_ms']:.0f} ms wall,"
          f" {timing['rebuild_cpu_ms']:.0f} ms CPU")  # fmt: skip
    print("  load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
