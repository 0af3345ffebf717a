"""Score the extractive actors against the gold lists of the wire fixtures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from bot.articles.text import make_article
from bot.extractive.briefing import extractive_draft
from bot.models import Actor

WIRE = Path(__file__).parent / "fixtures" / "wire"


def _norm(name: str) -> str:
    name = " ".join(name.replace("\u2019", "'").casefold().split()).rstrip(".")
    return name.removeprefix("the ")


@dataclass
class Score:
    """Actor counts over one or more articles."""

    true_pos: int = 0
    false_pos: int = 0
    gold: int = 0
    found: int = 0
    speaks_right: int = 0
    matched: int = 0

    def __iadd__(self, other: Score) -> Self:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))
        return self

    @property
    def precision(self) -> float:
        """Share of the actors named that are gold actors of the right kind."""
        return self.true_pos / ((self.true_pos + self.false_pos) or 1)

    @property
    def recall(self) -> float:
        """Share of the required gold actors found with the right kind."""
        return self.found / (self.gold or 1)

    @property
    def speaks(self) -> float:
        """Share of matched actors whose having stances agrees with the gold 'speaks'."""
        return self.speaks_right / (self.matched or 1)


def names() -> list[str]:
    """List the fixture names (without extension)."""
    return sorted(p.stem for p in WIRE.glob("*.txt"))


def actors_of(name: str) -> list[Actor]:
    """Brief one wire fixture extractively and return its actors."""
    article = make_article((WIRE / f"{name}.txt").read_text(encoding="utf-8"))
    return extractive_draft(article.text, None).actors


def gold_of(name: str) -> dict[str, object]:
    """Read one wire fixture's gold annotation."""
    data: dict[str, object] = json.loads((WIRE / f"{name}.json").read_text(encoding="utf-8"))
    return data


def score(name: str) -> tuple[Score, list[str]]:
    """Score one fixture; also return what went wrong, for the assertion message."""
    gold = gold_of(name)["actors"]
    assert isinstance(gold, list)
    forms = [{_norm(g["name"]), *map(_norm, g["aliases"])} for g in gold]
    out, problems = Score(), []
    found: set[int] = set()
    for actor in actors_of(name):
        mine = {_norm(actor.name), *map(_norm, actor.aliases)}
        hits = [
            i
            for i, g in enumerate(gold)
            if _norm(actor.name) in forms[i] or _norm(g["name"]) in mine
        ]
        if not hits:
            out.false_pos += 1
            problems.append(f"{name}: not an actor: {actor.name} [{actor.kind}]")
            continue
        g = gold[hits[0]]
        if g["kind"] != actor.kind.value:
            out.false_pos += 1
            problems.append(f"{name}: {actor.name} is {g['kind']}, not {actor.kind}")
            continue
        out.matched += 1
        out.speaks_right += bool(actor.stances) == g["speaks"]
        if bool(actor.stances) != g["speaks"]:
            problems.append(f"{name}: {actor.name} speaks should be {g['speaks']}")
        if not g.get("optional"):
            out.true_pos += 1
            found.add(hits[0])
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    out.gold = len(required)
    out.found = len(found & set(required))
    problems += [f"{name}: missed {gold[i]['name']}" for i in required if i not in found]
    return out, problems
