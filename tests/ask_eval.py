"""/ask over the archive fixture's 100 questions, against a scripted model that misbehaves.

The model (`FixtureModel`) knows the gold labels. For an answerable question whose gold
article was retrieved it answers from that article with a correct quote, and adds one bad
sentence: a quote cited to the wrong article, a paraphrased quote, an invented number, or
background from outside knowledge. For an unanswerable question it says so, or answers from
outside knowledge, or cites a paraphrase. Every bad sentence must be removed; the figures
are how often "Your articles don't say" comes back for each kind of question.
`python -m benchmarks ask` prints them; tests/unit/ask/test_ask_eval.py holds them to the issue.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from bot.ask.models import AnswerCache, Mode
from bot.ask.service import AskService
from bot.llm.port import Completion
from bot.llm.prompts import load_prompts, require
from bot.models import Usage
from bot.search.archive import Archive
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from tests import archive_kit
from tests.ask_kit import MemoryArchive, Stored

T = TypeVar("T", bound=BaseModel)
FIXTURE = Path(__file__).parent / "fixtures" / "archive"
TODAY = date(2026, 12, 7)  # the fixture's articles run to early December 2026
_QUESTION = re.compile(r"<<<QUESTION>>>\n(.*?)\n<<<END QUESTION>>>", re.DOTALL)
_PASSAGE = re.compile(
    r"^\[P(\d+)\] ([^\n]*)\n(.*?)(?=\n\n\[P\d+\] |\n<<<END PASSAGES>>>)", re.MULTILINE | re.DOTALL
)
# "SEOUL, Nov 20 (Reuters) - ", "Berlin (dpa) - ", "МОСКВА, 2 октября. /ТАСС/. "
_DATELINE = re.compile(r"^(?:[^()/\n]{0,60}\([^)]{1,30}\)\s*[-—–]|[^/\n]{0,60}/[^/]{1,30}/\.)\s+")
BAD_KINDS = ("wrong_article", "paraphrase", "invented_number", "outside_knowledge")


def articles() -> list[dict[str, Any]]:
    """Return the fixture's articles."""
    return list(json.loads((FIXTURE / "articles.json").read_text(encoding="utf-8")))


def questions() -> list[dict[str, Any]]:
    """Return the fixture's questions with their gold labels."""
    return list(json.loads((FIXTURE / "questions.json").read_text(encoding="utf-8")))


def memory_archive() -> MemoryArchive:
    """Load the fixture into the in-memory archive, each article into the chats that sent it."""
    archive = MemoryArchive()
    for n, a in enumerate(articles(), 1):
        for chat in a["chats"]:
            archive.add(chat, Stored(
                a["id"], a["text"], a["title"], date.fromisoformat(a["published"]),
                a["source"]["label"], a["source"].get("url"), n,
                tuple(x["name"] for x in a["actors"]),
            ))  # fmt: skip
    return archive


def _first_sentence(text: str) -> str:
    body = _DATELINE.sub("", text.strip(), count=1)
    return re.split(r"(?<=[.!?])\s+", body)[0]


def _quote(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[: min(len(words), 8)])


@dataclass
class FixtureModel:
    """The scripted model: it answers from the gold articles, and misbehaves on purpose."""

    gold: dict[str, list[str]]  # question → its relevant article ids
    texts: dict[str, str]  # article id → text
    model: str = "fixture-model"
    turn: int = 0
    bad: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BAD_KINDS, 0))
    bad_sentences: set[str] = field(default_factory=set)
    unretrieved: int = 0  # answerable questions whose gold articles were not among the passages

    def _article_of(self, passage: str) -> str | None:
        head = " ".join(passage.split())[:80]
        return next((i for i, t in self.texts.items() if head in " ".join(t.split())), None)

    def answer(
        self, question: str, passages: dict[int, str], sources: dict[int, str] | None = None
    ) -> dict[str, Any]:
        """Answer one prompt as the script says."""
        self.turn += 1
        ids = {n: self._article_of(p) for n, p in passages.items()}
        gold = [n for n, i in ids.items() if i in self.gold.get(question, [])]
        if not gold:
            self.unretrieved += bool(self.gold.get(question))
            return self._without_gold(passages)
        good_n = gold[0]
        first = _first_sentence(passages[good_n])
        good = first
        if self.turn % 2 and (source := (sources or {}).get(good_n)):
            good = f"According to {source}, {first}"  # attributed as the passage header says
        sentences = [_sentence(good, good_n, _quote(first))]
        kind = BAD_KINDS[self.turn % len(BAD_KINDS)]
        bad = self._bad(kind, good, good_n, passages, ids)
        if bad is not None:
            self.bad[kind] += 1
            self.bad_sentences.add(bad["text"])
            sentences.append(bad)
        return {"unanswerable": False, "sentences": sentences}

    def _bad(
        self, kind: str, good: str, n: int, passages: dict[int, str], ids: dict[int, str | None]
    ) -> dict[str, Any] | None:
        if kind == "wrong_article":
            other = next((m for m, i in ids.items() if i != ids[n]), None)
            if other is None:
                return None
            return _sentence(f"Moreover, {good[0].lower()}{good[1:]}", other, _quote(good))
        if kind == "paraphrase":
            words = _quote(good).split()
            return _sentence(f"In other words, {good}", n, " ".join(reversed(words)))
        if kind == "invented_number":
            return _sentence(
                f"The figure later rose to 9,713 by 1987 ({good[:40]}).", n, _quote(good)
            )
        return _outside(n, passages[n])

    def _without_gold(self, passages: dict[int, str]) -> dict[str, Any]:
        # No gold article among the passages: an honest refusal, or a misbehaving answer.
        way = self.turn % 3
        if way == 0 or not passages:
            return {"unanswerable": True, "sentences": []}
        n = min(passages)
        if way == 1:
            bad = _outside(n, passages[n])
            self.bad["outside_knowledge"] += 1
        else:
            first = _first_sentence(passages[n])
            words = _quote(first).split()
            bad = _sentence(f"Reportedly, {first}", n, " ".join(words[1:] + words[:1]))
            self.bad["paraphrase"] += 1
        self.bad_sentences.add(bad["text"])
        return {"unanswerable": False, "sentences": [bad]}

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Read the question and passages from the prompt and answer as scripted."""
        del system
        found = _QUESTION.search(user)
        question = found.group(1) if found else ""
        found_passages = list(_PASSAGE.finditer(user))
        passages = {int(m.group(1)): m.group(3) for m in found_passages}
        # The header is "date · source · title" when the source is public, else "date · title".
        heads = {int(m.group(1)): m.group(2).split(" · ") for m in found_passages}
        sources = {n: h[1] for n, h in heads.items() if len(h) == 3}
        value = schema.model_validate(self.answer(question, passages, sources))
        return Completion(value, Usage(prompt_tokens=len(user) // 4, completion_tokens=80, calls=1))

    async def aclose(self) -> None:
        """Hold nothing."""


def _sentence(text: str, passage: int, quote: str) -> dict[str, Any]:
    return {"text": text, "citations": [{"passage": passage, "quote": quote}]}


def _outside(n: int, passage: str) -> dict[str, Any]:
    # Background no article gives, behind a real quote from the passage.
    return _sentence(
        "This follows the 1962 Cuban Missile Crisis, when Kennedy and Khrushchev negotiated "
        "a settlement through back channels.",
        n,
        _quote(_first_sentence(passage)),
    )


@dataclass
class Figures:
    """What the evaluation measured."""

    answerable: int = 0
    answerable_refused: int = 0
    unanswerable: int = 0
    unanswerable_refused: int = 0
    bad_injected: dict[str, int] = field(default_factory=dict)
    bad_shown: list[str] = field(default_factory=list)  # must stay empty
    good_removed: int = 0
    unretrieved: int = 0  # answerable, but retrieval gave the model no gold passage

    def lines(self) -> list[str]:
        """Write the figures, one line each."""
        a, u = max(1, self.answerable), max(1, self.unanswerable)
        return [
            (
                f'unanswerable questions answered "Your articles don\'t say": '
                f"{self.unanswerable_refused}/{self.unanswerable} "
                f"({100 * self.unanswerable_refused / u:.0f} %, target >= 90 %)"
            ),
            (
                f'answerable questions answered "Your articles don\'t say": '
                f"{self.answerable_refused}/{self.answerable} "
                f"({100 * self.answerable_refused / a:.1f} %, target <= 5 %)"
            ),
            "bad sentences injected: "
            + ", ".join(f"{k} {v}" for k, v in self.bad_injected.items())
            + f"; shown: {len(self.bad_shown)} (target 0)",
            f"  of them, no gold passage retrieved: {self.unretrieved}",
            f"correct sentences removed by the checks: {self.good_removed}",
        ]


async def evaluate(data_dir: Path, *, memory: bool = False) -> Figures:
    """Ask every fixture question in its chat; count refusals and bad sentences shown.

    Over the real archive (the index's FTS5 search, as the bot runs it) unless `memory`.
    """
    qs = questions()
    gold: dict[str, list[str]] = {}
    for q in qs:  # one question asked in two chats: the union (no chat has the other's article)
        gold.setdefault(q["question"], []).extend(q["relevant"])
    model = FixtureModel(
        gold=gold,
        texts={a["id"]: a["text"] for a in articles()},
    )
    index = Index(data_dir / "index.sqlite3")
    texts = ArticleTexts(data_dir)
    archive: Archive
    if memory:
        archive = memory_archive()
        for a in articles():
            texts.put(a["id"], a["text"])
    else:
        await index.run(archive_kit.load)  # briefed and sent into each chat, as the bot does
        archive = Archive(index)
    service = AskService(
        llm=model, prompt=require(load_prompts(), "ask"), cache=AnswerCache(data_dir),
        archive=archive, index=index, texts=texts,
    )  # fmt: skip
    try:
        return await _ask_all(service, model, qs)
    finally:
        index.close()


async def _ask_all(service: AskService, model: FixtureModel, qs: list[dict[str, Any]]) -> Figures:
    figures = Figures()
    for q in qs:
        result = await service.ask(q["chat"], q["question"], today=TODAY)
        refused = result.mode is Mode.UNANSWERED
        if q["answerable"]:
            figures.answerable += 1
            figures.answerable_refused += refused
            figures.unretrieved += refused and not result.called  # no passage at all
        else:
            figures.unanswerable += 1
            figures.unanswerable_refused += refused
        shown = [s.text for s in result.sentences]
        figures.bad_shown += [s for s in shown if s in model.bad_sentences]
        figures.good_removed += sum(1 for d in result.dropped if d.text not in model.bad_sentences)
    figures.bad_injected = dict(model.bad)
    figures.unretrieved += model.unretrieved
    return figures
