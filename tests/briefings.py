"""Briefing payloads the fake LLM returns: hand-written for fixtures, derived for the rest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.fake_llm import Reply, Request

FIXTURES = Path(__file__).parent / "fixtures"
_ARTICLE = re.compile(r"<<<ARTICLE>>>\n(.*)\n<<<END ARTICLE>>>", re.DOTALL)


def fixture(name: str) -> str:
    """Read a fixture article."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def stance(target: str, position: str, polarity: str, quote: str) -> dict[str, Any]:
    return {"target": target, "position": position, "polarity": polarity, "quote": quote}


def actor(name: str, kind: str, aliases: list[str], *stances: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "aliases": aliases, "kind": kind, "stances": list(stances)}


def briefing(*actors: dict[str, Any], headline: str = "Headline") -> dict[str, Any]:
    return {
        "headline": headline,
        "tldr": "Something happened. It matters.",
        "key_points": ["First point.", "Second point.", "Third point."],
        "why_it_matters": "Because it changes things.",
        "language": "en",
        "topics": ["politics"],
        "places": ["Somewhere"],
        "actors": list(actors),
    }


def korea_briefing() -> dict[str, Any]:
    """The briefing a good model gives for korea.txt: quotes copied verbatim."""
    return briefing(
        actor(
            "Kim Jong Un", "person", ["Kim", "the North Korean leader"],
            stance("US-South Korea drills", "Calls the drills a rehearsal for invasion",
                   "opposes", "a rehearsal for invasion"),
        ),
        actor(
            "North Korea", "state", ["Pyongyang", "DPRK"],
            stance("talks with the US", "Refuses talks while drills go on", "opposes",
                   "will never sit at the table while the guns of the aggressors are "
                   "pointed at us"),
        ),
        actor(
            "Lee Jae-myung", "person", ["Lee"],
            stance("North Korean missile launch", "Condemns the launch", "opposes",
                   "This reckless act threatens peace on the whole peninsula"),
            stance("dialogue with North Korea", "Open to talks without preconditions",
                   "supports", "remains open, without preconditions"),
        ),
        actor(
            "China", "state", ["Beijing"],
            stance("escalation", "Urges restraint", "opposes",
                   "opposes any action that escalates tension"),
        ),
        headline="North Korea fires missile as allies drill",
    )  # fmt: skip


def article_of(request: Request) -> str:
    """Extract the article the bot sent, from between its delimiters."""
    match = _ARTICLE.search(request.user)
    return match.group(1) if match else ""


def echo_briefing(request: Request) -> Reply:
    """Answer any article: headline from its first line, one actor quoting its first sentence."""
    text = article_of(request)
    first_line = text.split("\n", 1)[0][:120]
    sentence = re.split(r"(?<=[.!?])\s", text.replace("\n", " "), maxsplit=1)[0][:200]
    return Reply(
        content=briefing(
            actor(
                "Echo Person",
                "person",
                ["Echo"],
                stance("the topic", "Says what the article says", "supports", sentence),
            ),
            headline=first_line,
        )
    )
