"""Briefing payloads the fake LLM returns: hand-written for fixtures, derived for the rest."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fake_llm import Reply, Request

FIXTURES = Path(__file__).parent / "fixtures"
# The title line sits inside the block since prompt version 3, the date line since 4.
_ARTICLE = re.compile(
    r"<<<ARTICLE>>>\n(?:Title: [^\n]*\n(?:Published: [^\n]*\n)?\n)?(.*)\n<<<END ARTICLE>>>",
    re.DOTALL,
)


def fixture(name: str) -> str:
    """Read a fixture article."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def stance(
    target: str, position: str, polarity: str, quote: str, issue: str | None = None
) -> dict[str, Any]:
    return {
        "target": target,
        "position": position,
        "polarity": polarity,
        "issue": target if issue is None else issue,
        "quote": quote,
    }


def point(text: str, source: str | None = None) -> dict[str, str]:
    """A key point resting on `source` (the point itself when it is an article sentence)."""
    return {"text": text, "source": text if source is None else source}


def actor(name: str, kind: str, aliases: list[str], *stances: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "aliases": aliases, "kind": kind, "stances": list(stances)}


def briefing(
    *actors: dict[str, Any],
    headline: str = "Headline",
    tldr: str = "Something happened. It matters.",
    key_points: list[dict[str, str]] | None = None,
    why_it_matters: str = "Because it changes things.",
) -> dict[str, Any]:
    return {
        "headline": headline,
        "tldr": tldr,
        "key_points": key_points
        or [point("First point."), point("Second point."), point("Third point.")],
        "why_it_matters": why_it_matters,
        "language": "en",
        "topics": ["politics"],
        "places": ["Somewhere"],
        "actors": list(actors),
    }


# What korea_briefing's stances are, as the footer says it: China's words are reported speech.
KOREA_FOOTER = (
    "4 of 5 quotes are the actor's own words, found in the article; 1 is reported speech."
)


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
            # The article gives China's words to its spokesperson; what it says of China
            # itself is reported speech.
            "China", "state", ["Beijing"],
            stance("escalation", "Urges restraint", "opposes", "urged restraint from all sides"),
        ),
        headline="North Korea fires missile as allies drill",
        tldr="North Korea launched a ballistic missile on Tuesday, hours after South Korea "
             "and the United States began their largest joint exercise in five years.",
        key_points=[
            point("North Korea fired a ballistic missile into the sea off its east coast.",
                  "SEOUL — North Korea launched a ballistic missile into the sea off its east "
                  "coast on Tuesday, hours after South Korea and the United States began their "
                  "largest joint military exercise in five years."),
            point("Pyongyang has rejected every offer of talks since 2019."),
            point("South Korean President Lee Jae-myung condemned the launch."),
            point("China urged restraint from all sides.",
                  "China, North Korea’s main ally, urged restraint from all sides."),
        ],
        why_it_matters="The launch tells Seoul and Washington that the drills will not deter "
                       "Kim; watch for further tests while the exercise goes on.",
    )  # fmt: skip


def article_of(request: Request) -> str:
    """Extract the article the bot sent, from between its delimiters."""
    match = _ARTICLE.search(request.user)
    return match.group(1) if match else ""


def echo_briefing(request: Request) -> Reply:
    """Answer any article: headline from its first line, one actor quoting its first sentence."""
    text = article_of(request)
    first_line = text.split("\n", 1)[0][:120]
    sentences = re.split(r"(?<=[.!?])\s", text.replace("\n", " "))
    sentence = sentences[0][:200]
    return Reply(
        content=briefing(
            actor(
                "Echo Person",
                "person",
                ["Echo"],
                stance("the topic", "Says what the article says", "supports", sentence),
            ),
            headline=first_line,
            key_points=[point(s[:200]) for s in sentences[:3]],
        )
    )


def korea2_briefing() -> dict[str, Any]:
    """korea2.txt: North Korea shifts to supporting talks; a second 'Kim' appears."""
    return briefing(
        actor(
            "Kim Yo Jong", "person", ["Kim", "the leader's sister"],
            stance("talks with the US", "Ready to talk if the drills stop", "supports",
                   "We are ready to sit down and talk if the hostile drills stop"),
        ),
        actor(
            "North Korea", "state", ["Pyongyang", "DPRK"],
            stance("talks with the United States", "Ready to resume talks", "supports",
                   "judge Washington by its deeds, not its words"),
        ),
        actor(
            "South Korea", "state", ["Seoul"],
            stance("North Korea's statement", "Welcomes the statement", "supports",
                   "welcomes any step that brings the North back to the table"),
        ),
        headline="North Korea says it is ready for talks",
    )  # fmt: skip


def by_marker(mapping: dict[str, dict[str, Any]]) -> Callable[[Request], Reply]:
    """Answer with the briefing whose marker text occurs in the article; echo otherwise."""

    def respond(request: Request) -> Reply:
        text = article_of(request)
        for marker, payload in mapping.items():
            if marker in text:
                return Reply(content=payload)
        return echo_briefing(request)

    return respond


# Words the articles `news` writes are made of: each topic draws its own (seeded by the topic),
# so two topics read as two events, not as one story retold (bot/stories/ groups those).
_NOUNS = """harbour grain bridge council budget river school tariff pension vaccine
    pipeline election drought flood border museum railway port mine refinery airline court
    union strike harvest reactor canal tunnel forest fishery bank currency census parliament
    ministry treaty summit embassy festival stadium hospital clinic factory warehouse satellite
    rocket telescope glacier volcano earthquake wildfire storm cyclone monsoon reservoir dam
    highway airport ferry tram subway bus taxi lorry tanker cargo container customs quota
    subsidy levy rebate loan bond auction deficit surplus inflation wage salary bonus dividend
    merger takeover lawsuit verdict appeal inquiry audit probe scandal protest rally boycott
    petition referendum ballot coalition cabinet mayor governor senator envoy minister"""
_NEWS_WORDS = _NOUNS.split()
_VERBS = """reported confirmed announced disputed approved delayed expanded reviewed
    cancelled funded opened closed inspected measured published"""
_NEWS_VERBS = _VERBS.split()


def news(topic: str, words: int = 80) -> str:
    """Write a plausible distinct article about `topic`, long enough to be briefed."""
    rng = random.Random(topic)  # the same topic writes the same article, word for word
    nouns, verbs = rng.sample(_NEWS_WORDS, 12), rng.sample(_NEWS_VERBS, 2)
    syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "sha", "ny", "bel", "dor", "gu", "pe"]
    names = ["".join(rng.choices(syllables, k=3)).capitalize() for _ in range(6)]
    body = " ".join(
        f"{topic} {rng.choice(nouns)} {rng.choice(nouns)} was {rng.choice(verbs)} in the "
        f"{rng.choice(nouns)} case, {rng.choice(names)} said."
        for _ in range(words // 8)
    )
    return f"{topic.title()} update\n\n{topic.title()} officials said on Monday that {body}"


_CITATION_IDS = re.compile(r"^\[(A\d+)\] (.*)$", re.MULTILINE)


def is_digest(request: Request) -> bool:
    """Tell a digest request from a briefing request (by the schema asked for)."""
    fmt = request.body.get("response_format") or {}
    return bool(fmt.get("json_schema", {}).get("name") == "DigestDraft")


def digest_reply(request: Request) -> Reply:
    """A well-behaved digest: one theme per briefing, citing it, titled by its headline."""
    entries = _CITATION_IDS.findall(request.user)
    return Reply(
        content={
            "headline": f"Digest of {len(entries)} articles",
            "themes": [
                {"title": headline[:60], "summary": f"About {headline}.", "citations": [cid]}
                for cid, headline in entries
            ],
            "notable_stances": [],
            "closing": "Watch what comes next.",
        }
    )


def newsroom(mapping: dict[str, dict[str, Any]] | None = None) -> Callable[[Request], Reply]:
    """A fake model for whole-bot tests: digests, fixture briefings by marker, echo otherwise."""
    briefs = by_marker(mapping or {})

    def respond(request: Request) -> Reply:
        return digest_reply(request) if is_digest(request) else briefs(request)

    return respond


def published_of(request: Request) -> str | None:
    """Return the publication date the bot gave the model for the article, if any."""
    match = re.search(r"<<<ARTICLE>>>\nTitle: [^\n]*\nPublished: ([^\n]*)\n", request.user)
    return match.group(1) if match else None
