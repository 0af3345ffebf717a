"""Long articles: split on paragraphs, parts briefed at once, merged, quotes checked on the whole."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.briefing.longform import merge_actors, split_text
from bot.checks.provenance import Provenance
from bot.models import Actor
from tests.briefings import actor, article_of, briefing, stance
from tests.fake_llm import FakeLLM, Reply, Request

_PART = re.compile(r"\(part (\d+) of (\d+)\)")


def report(paragraphs: int, words: int = 120) -> str:
    """A long report: numbered paragraphs, each a few sentences."""
    return "\n\n".join(
        f"Section {i} opens here. "
        + " ".join(f"Finding {i}.{j} was recorded by the inspectors." for j in range(words // 8))
        for i in range(paragraphs)
    )


@pytest.mark.parametrize("max_chars", [2000, 5000, 20_000])
def test_split_keeps_every_paragraph_whole_and_in_order(max_chars: int) -> None:
    text = report(60)
    parts = split_text(text, max_chars)
    assert len(parts) > 1
    assert all(len(p) <= max_chars for p in parts)
    assert "\n\n".join(parts) == text  # nothing dropped, nothing cut mid-paragraph


def test_an_over_long_paragraph_is_cut_on_sentences_then_words() -> None:
    giant = " ".join(f"Sentence {i} says something." for i in range(400))
    nospace = "x" * 2500
    parts = split_text(f"{giant}\n\n{nospace}", 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == (giant + nospace).replace(" ", "")


def _actor(name: str, aliases: list[str], *quotes: str) -> Actor:
    return Actor.model_validate(
        actor(name, "person", aliases, *(stance("t", f"p {q}", "supports", q) for q in quotes))
    )


def test_actors_merge_by_name_and_alias_but_not_by_a_shared_alias_alone() -> None:
    part1 = [_actor("Kim Jong Un", ["Kim", "the North Korean leader"], "we will respond")]
    part2 = [
        _actor("the North Korean leader", [], "we will respond", "talks are over"),
        _actor("Kim Yo Jong", ["Kim"], "the drills must stop"),
    ]
    part3 = [_actor("North Korea", ["Pyongyang"], "x"), _actor("Pyongyang", ["DPRK"], "y")]
    merged = merge_actors([part1, part2, part3])
    assert [a.name for a in merged] == ["Kim Jong Un", "Kim Yo Jong", "North Korea"]
    kim = merged[0]
    assert [s.quote for s in kim.stances] == ["we will respond", "talks are over"]  # deduped
    assert "DPRK" in merged[2].aliases


def long_model(parts_seen: list[int]) -> Callable[[Request], Reply]:
    """Brief each part (quoting its first sentence, and one fabricated quote); merge on request."""

    def respond(request: Request) -> Reply:
        fmt = request.body["response_format"]["json_schema"]["name"]
        if fmt == "MergeDraft":
            return Reply(
                content={
                    "headline": "Inspectors' report, whole",
                    "tldr": "The report has many findings. They matter.",
                    "key_points": [
                        {"text": "One.", "source": "Section 0 opens here."},
                        {"text": "Two.", "source": "Finding 1.2 was recorded by the inspectors."},
                        {"text": "Three.", "source": "Part of no section."},
                    ],
                    "why_it_matters": "Because of the findings.",
                },
                prompt_tokens=800,
            )
        number = int(_PART.search(request.user).group(1))  # type: ignore[union-attr]
        parts_seen.append(number)
        first = article_of(request).split(". ")[0] + "."
        stances = [
            stance("the findings", "Describes them", "neutral", first),
            # Part 2 quotes a sentence that is only in part 1: still verbatim in the article.
            stance(
                "part one", "Recalls it", "neutral", "Finding 0.3 was recorded by the inspectors"
            )
            if number == 2
            else stance("nothing", "Made up", "opposes", f"a fabricated quote in part {number}"),
        ]
        return Reply(
            content=briefing(
                actor("Chief Inspector Ana Ruiz", "person", ["Ruiz"], *stances[:1]),
                actor("Ruiz", "person", ["the chief inspector"], *stances[1:]),
                headline=f"Part {number}",
            ),
            prompt_tokens=2000,
        )

    return respond


async def test_long_article_is_briefed_whole_and_merged(
    make_settings, fake_llm: FakeLLM, sleeps
) -> None:
    from bot.llm.client import OpenAIAdapter
    from bot.services import build_services

    seen: list[int] = []
    fake_llm.responder = long_model(seen)
    settings = make_settings(llm_max_input_tokens=2000, llm_max_concurrency=8)
    services = build_services(settings, llm=OpenAIAdapter(settings, sleep=sleeps))
    text = report(80)
    try:
        result = await services.briefing.brief(
            make_article(text), UpdateFacts(chat_id=1, user_id=1)
        )
        calls = fake_llm.calls
        again = await services.briefing.brief(make_article(text), UpdateFacts(chat_id=2, user_id=2))
        assert again.cached
        assert fake_llm.calls == calls  # the merged briefing is cached like any other
    finally:
        await services.aclose()
    parts = len(seen)
    assert parts >= 5
    assert sorted(seen) == list(range(1, parts + 1))
    assert fake_llm.calls == parts + 1  # the parts, and one merge call
    merge = fake_llm.requests[-1]
    assert "<<<BRIEFINGS>>>" in merge.user
    assert "[P1] Part 1" in merge.user
    b = result.stored.briefing
    assert b.headline == "Inspectors' report, whole"
    assert [a.name for a in b.actors] == ["Chief Inspector Ana Ruiz"]  # merged by alias
    quotes = {s.quote: s.provenance for s in b.actors[0].stances}
    # Checked against the whole article, not the part: found there (as the reporter's own
    # words, since nobody is quoted), unlike the fabricated one.
    assert quotes["Finding 0.3 was recorded by the inspectors"] is Provenance.NARRATION
    assert quotes["a fabricated quote in part 1"] is Provenance.NOT_FOUND
    assert not any(s.verified for s in b.actors[0].stances)
    # The merged key points carry the part points' sources, checked against the whole.
    assert "  Source: " in merge.user
    assert [p.source_found for p in b.key_points] == [True, True, False]
    assert result.stored.usage.calls == parts + 1
    assert result.stored.usage.prompt_tokens == parts * 2000 + 800
    assert result.stored.article.chars == len(make_article(text).text)  # nothing truncated


async def test_article_within_the_input_budget_is_one_call(
    make_settings, fake_llm: FakeLLM, services
) -> None:
    seen: list[int] = []
    fake_llm.responder = long_model(seen)
    fake_llm.script(Reply(content=briefing(headline="Short one")))
    result = await services.briefing.brief(make_article(report(3)))
    assert result.stored.briefing.headline == "Short one"
    assert fake_llm.calls == 1


async def test_a_failing_part_fails_the_whole_and_caches_nothing(
    make_settings, fake_llm: FakeLLM, sleeps
) -> None:
    from bot.errors import LLMRequestError
    from bot.llm.client import OpenAIAdapter
    from bot.services import build_services

    seen: list[int] = []
    good = long_model(seen)

    def respond(request: Request) -> Reply:
        if "(part 3 of" in request.user:
            return Reply(status=400, error="context too long")
        return good(request)

    fake_llm.responder = respond
    settings = make_settings(llm_max_input_tokens=2000)
    services = build_services(settings, llm=OpenAIAdapter(settings, sleep=sleeps))
    article = make_article(report(80))
    try:
        with pytest.raises(LLMRequestError):
            await services.briefing.brief(article, fallback=False)
        assert services.briefing.cached(article) is None
        assert all("MergeDraft" not in str(r.body) for r in fake_llm.requests)  # no merge call
    finally:
        await services.aclose()


async def test_a_long_article_over_budget_is_refused_whole(
    make_settings, fake_llm: FakeLLM, sleeps
) -> None:
    from bot.llm.client import OpenAIAdapter
    from bot.ops.budget import BudgetExceededError
    from bot.services import build_services

    seen: list[int] = []
    fake_llm.responder = long_model(seen)
    # Less room than the parts' worst cases (2,000 tokens each, plus the longest answers).
    settings = make_settings(llm_max_input_tokens=2000, user_daily_token_budget=6000)
    services = build_services(settings, llm=OpenAIAdapter(settings, sleep=sleeps))
    article = make_article(report(80))
    try:
        with pytest.raises(BudgetExceededError):
            await services.briefing.brief(article, UpdateFacts(user_id=7), fallback=False)
        assert services.briefing.cached(article) is None
        assert fake_llm.calls <= 2
        assert all("MergeDraft" not in str(r.body) for r in fake_llm.requests)
    finally:
        await services.aclose()
