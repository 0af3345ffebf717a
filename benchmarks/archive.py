"""The archive: /search and /ask retrieval times, index build speed, fixture scores.

Run: python -m benchmarks archive   (or python -m benchmarks.archive)

Synthetic but realistic: wire-style English articles made deterministically from the
fixture's vocabulary (word frequencies follow the fixture's, Zipf-like), with the fixture's
names as actors, dates over two years and twenty sources. Queries are what users type: one
to three words of middling to rare frequency (ranks 50 to 20,000 of a 50,000-word Zipf
vocabulary: a rank-50 word is in about a third of the articles), a third of them with a
filter (actor:, since:, source:).
"""

from __future__ import annotations

import functools
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import pct
from bot.search.archive import passages_now, search_now
from bot.search.query import SearchQuery, parse_query
from bot.store import search_docs
from bot.store.index import Index
from tests.archive_kit import articles, briefing_of, load, score

CHAT = -1001000000001
SEED = 20261207
_WORD = re.compile(r"[A-Za-z][a-z]+")
_VOCABULARY = 50_000


@functools.cache
def _vocabulary() -> tuple[list[str], list[float], list[dict[str, Any]]]:
    english = [a for a in articles() if a["lang"] == "en"]
    counts = Counter(w for a in english for w in _WORD.findall(a["text"]))
    words = [w for w, _ in counts.most_common()]
    # A news archive's vocabulary runs to tens of thousands of words: the fixture's ~2,000
    # come first, then made-up words (names, places, rarer terms) for the Zipf tail.
    rng = random.Random(SEED)
    syllables = ["ka", "lo", "mer", "tan", "vi", "sor", "del", "pa", "ru", "zen", "bar", "ol"]
    while len(words) < _VOCABULARY:
        words.append("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    words = list(dict.fromkeys(words))
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf's law, exponent 1
    return words, weights, english


def synthetic(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Make n wire-style articles (title, 120-260 words of text, actors, date, source)."""
    words, weights, english = _vocabulary()
    actors = [x for a in english for x in a["actors"]]
    made = []
    start = date(2025, 1, 1)
    for i in range(n):
        body = rng.choices(words, weights, k=rng.randint(120, 260))
        sentences = [" ".join(body[j : j + 18]).capitalize() + "." for j in range(0, len(body), 18)]
        made.append({
            "id": f"s{i}", "lang": "en",
            "title": " ".join(rng.choices(words, weights, k=8)).capitalize(),
            "text": f"CITY{i % 50} (Wire) - " + " ".join(sentences),
            "actors": rng.sample(actors, k=rng.randint(1, 4)),
            "published": (start + timedelta(days=rng.randrange(700))).isoformat(),
            "source": {"label": f"Agency {i % 20}", "url": f"https://agency{i % 20}.example/{i}"},
            "chats": [CHAT],
        })  # fmt: skip
    return made


def build(index: Index, made: list[dict[str, Any]]) -> tuple[float, float]:
    """Index the articles the way the bot builds its index at start-up (search_docs.fill).

    Return (wall seconds, CPU seconds): on a shared machine the CPU time is the fairer figure.
    """
    db = index.connection
    docs = [(search_docs.document(briefing_of(a)), a["text"]) for a in made]
    started, cpu = time.perf_counter(), time.process_time()
    with index.transaction():
        for start in range(0, len(docs), 1000):  # in the start-up fill's batches
            search_docs.add_all(db, docs[start : start + 1000])
    took = (time.perf_counter() - started, time.process_time() - cpu)
    with index.transaction():
        for n, (a, (doc, text)) in enumerate(zip(made, docs, strict=True)):
            index.texts.path(doc.article_hash).parent.mkdir(parents=True, exist_ok=True)
            index.texts.path(doc.article_hash).write_text(text, encoding="utf-8")
            at = datetime.fromisoformat(a["published"]).replace(hour=9, tzinfo=UTC)
            db.execute(
                "INSERT INTO briefings VALUES (?, ?, ?, ?)",
                (doc.article_hash, f"k{n}", a["title"], at.isoformat()),
            )
            db.execute(
                """INSERT INTO chat_articles (chat_id, article_hash, message_id, received_at,
                   title, source_label, source_url, published_at, published_from)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'dateline')""",
                (CHAT, doc.article_hash, n + 1, at.isoformat(), a["title"],
                 a["source"]["label"], a["source"]["url"], at.isoformat()),
            )  # fmt: skip
            search_docs.sent(db, CHAT, doc.article_hash)  # as record_chat_article does
            for k, x in enumerate(a["actors"]):
                db.execute(
                    "INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, 'person', ?)",
                    (doc.article_hash, k, x["name"], "\x1f".join(x["aliases"])),
                )
        db.execute(
            """INSERT OR IGNORE INTO chat_actor_forms SELECT DISTINCT ?, actor, kind, aliases
               FROM mentions""",
            (CHAT,),
        )
    return took


def questions(rng: random.Random, count: int) -> list[SearchQuery]:
    """Make /ask's questions: 3-5 content words in a question's common words."""
    words, _weights, _english = _vocabulary()
    today = date(2026, 12, 7)
    made = []
    for _ in range(count):
        content = [words[min(len(words) - 1, int(50 * 400 ** rng.random()))]
                   for _ in range(rng.randint(3, 5))]  # fmt: skip
        text = f"What did {content[0]} say about the {' and the '.join(content[1:])} this year?"
        made.append(parse_query(text, today=today))
    return made


def queries(rng: random.Random, count: int) -> list[SearchQuery]:
    """Make what users type: 1-3 words of rank 50-20,000, a third with a filter."""
    words, _weights, english = _vocabulary()
    names = [x["name"].split()[-1] for a in english for x in a["actors"]]
    today = date(2026, 12, 7)
    made = []
    for i in range(count):
        picked = [words[min(len(words) - 1, int(50 * 400 ** rng.random()))]
                  for _ in range(rng.randint(1, 3))]  # fmt: skip
        extra = ["", "", "", f"actor:{rng.choice(names)}", "since:90d", "source:agency3.example"]
        made.append(parse_query(" ".join([*picked, extra[i % len(extra)]]), today=today))
    return made


def _timed(
    index: Index, run: str, asked: list[SearchQuery]
) -> tuple[list[float], list[float], float]:
    """Time each query in ms, wall and CPU (/search's first page of 5, /ask's 12 passages).

    Return (wall times, CPU times, mean results). The CPU time is the thread's own
    (SQLite runs on it too): on a shared machine it is what the query costs, where the wall
    time also counts the other processes' turns on the cores.
    """
    walls, cpus, found = [], [], 0
    for query in asked:
        started, cpu = time.perf_counter(), time.thread_time()
        if run == "search":
            found += len(search_now(index, CHAT, query, limit=5)[0])
        else:
            found += len(passages_now(index, CHAT, query))
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
    return walls, cpus, found / len(asked)


def main(argv: list[str] | None = None) -> None:
    """Print the fixture's scores, the build speed and the p50/p95 of search and retrieval."""
    small = "--small" in (argv if argv is not None else sys.argv[1:])
    rng = random.Random(SEED)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(Path(tmp) / "fixture" / "index.sqlite3")
        scores = score(index, load(index))
        index.close()
        print(f"archive fixture: recall@10 {scores.recall_at_10:.3f}, MRR@10 "
              f"{scores.mrr_at_10:.3f} over {scores.questions} answerable questions")  # fmt: skip
        for label, n, run in (("/ask retrieval", 10_000, "passages"),
                              ("/search", 2_000 if small else 100_000, "search")):  # fmt: skip
            index = Index(Path(tmp) / run / "index.sqlite3")
            wall, cpu = build(index, synthetic(n, rng))
            print(f"index build: {n:,} articles in {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"({cpu * 10_000 / n:.2f} s CPU per 10,000)")  # fmt: skip
            asked = queries(rng, 300) if run == "search" else questions(rng, 300)
            walls, cpus, found = _timed(index, run, asked)
            print(f"{label} over {n:,} articles ({len(walls)} queries, {found:.1f} results "
                  f"each): wall p50 {pct(walls, 50):.1f} ms, p95 {pct(walls, 95):.1f} ms, "
                  f"max {max(walls):.1f} ms; CPU p50 {pct(cpus, 50):.1f} ms, "
                  f"p95 {pct(cpus, 95):.1f} ms, max {max(cpus):.1f} ms")  # fmt: skip
            index.close()


if __name__ == "__main__":
    main()
