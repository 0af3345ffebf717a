"""The core service: cache, single flight, grounding, prompt injection."""

import asyncio
import json
from pathlib import Path

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.briefing.service import BriefingService
from bot.errors import LLMInvalidOutputError, LLMNotConfiguredError
from bot.llm.prompts import parse_prompt, require
from bot.models import Source
from bot.services import Services, build_services
from tests.briefings import article_of, echo_briefing, fixture, korea_briefing, point
from tests.fake_llm import FakeLLM, Reply
from tests.postgres_engine import insertion_order

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
KOREA = make_article(fixture("korea.txt"), source=Source(label="Reuters"))


async def test_first_brief_calls_once_and_stores_grounded_json(
    services: Services, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content=korea_briefing()))
    result = await services.briefing.brief(KOREA)
    assert not result.cached
    assert fake_llm.calls == 1
    path = services.cache.path(result.stored.key)
    stored = json.loads(path.read_text())
    assert stored["prompt_name"] == "briefing"
    assert stored["model"] == "fake-model"
    # China's words are reported speech: found and China's, but not its own words.
    assert (stored["verified_stances"], stored["total_stances"]) == (4, 5)
    kim_said = stored["briefing"]["actors"][0]["stances"][0]
    assert (kim_said["verified"], kim_said["provenance"]) == (True, "direct")
    china_said = stored["briefing"]["actors"][3]["stances"][0]
    assert (china_said["verified"], china_said["provenance"]) == (False, "reported")
    assert [p["source_found"] for p in stored["briefing"]["key_points"]] == [True] * 4
    assert (stored["briefing"]["summary_checked"], stored["briefing"]["summary_flags"]) == (
        True,
        [],
    )
    assert services.texts.get(KOREA.content_hash) == KOREA.text


async def test_repeat_brief_is_a_cache_hit_with_zero_calls(
    services: Services, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content=korea_briefing()))
    await services.briefing.brief(KOREA)
    repasted = make_article(
        "\n\n  " + fixture("korea.txt").replace("“", '"').replace("”", '"') + "  \n"
    )
    again = await services.briefing.brief(repasted)
    assert again.cached
    assert fake_llm.calls == 1


async def test_twenty_concurrent_briefs_make_one_call(
    services: Services, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content=korea_briefing(), delay_s=0.3))
    results = await asyncio.gather(*(services.briefing.brief(KOREA) for _ in range(20)))
    assert fake_llm.calls == 1
    assert sum(not r.cached for r in results) == 1
    assert len({r.stored.key for r in results}) == 1


async def test_failed_flight_fails_all_waiters_and_next_try_calls_again(
    services: Services, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content="nope", delay_s=0.2), Reply(content="still nope"))
    results = await asyncio.gather(
        *(services.briefing.brief(KOREA, fallback=False) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, LLMInvalidOutputError) for r in results)
    fake_llm.script(Reply(content=korea_briefing()))
    assert not (await services.briefing.brief(KOREA)).cached
    assert fake_llm.calls == 3


async def test_prompt_version_or_model_change_is_a_miss(
    services: Services, settings, fake_llm: FakeLLM
) -> None:
    fake_llm.responder = lambda _req: Reply(content=korea_briefing())
    await services.briefing.brief(KOREA)
    prompt = require(services.prompts, "briefing")
    text = (PROMPTS / "briefing.md").read_text()
    bumped = parse_prompt(text.replace(f'version = "{prompt.version}"', 'version = "999"'))
    service = BriefingService(settings, llm=services.llm, prompt=bumped, cache=services.cache,
                              texts=services.texts, index=services.index)  # fmt: skip
    assert not (await service.brief(KOREA)).cached
    assert (await service.brief(KOREA)).cached
    assert fake_llm.calls == 2
    other = build_services(settings.model_copy(update={"llm_model": "other-model"}))
    assert not (await other.briefing.brief(KOREA)).cached
    assert fake_llm.calls == 3
    await other.aclose()


@pytest.mark.parametrize("damage", ["", "{", '{"key": 1}', "\x00\x01garbage"])
async def test_corrupt_cache_file_is_a_miss_and_is_rewritten(
    services: Services, fake_llm: FakeLLM, damage: str
) -> None:
    fake_llm.responder = lambda _req: Reply(content=korea_briefing())
    first = await services.briefing.brief(KOREA)
    path = services.cache.path(first.stored.key)
    path.write_text(damage)
    second = await services.briefing.brief(KOREA)
    assert not second.cached
    assert fake_llm.calls == 2
    assert json.loads(path.read_text())["key"] == first.stored.key
    assert not list(path.parent.glob("*.tmp"))  # no temp files left behind


async def test_fabricated_quote_is_stored_unverified(services: Services, fake_llm: FakeLLM) -> None:
    payload = korea_briefing()
    payload["actors"][3]["stances"][0]["quote"] = "China will defend its ally at any cost"
    fake_llm.script(Reply(content=payload))
    stored = (await services.briefing.brief(KOREA)).stored
    assert (stored.verified_stances, stored.total_stances) == (4, 5)
    china = stored.briefing.actors[3]
    assert (china.stances[0].verified, china.stances[0].provenance) == (False, "not_found")


async def test_tidy_drops_duplicate_aliases_and_extra_points(
    services: Services, fake_llm: FakeLLM
) -> None:
    payload = korea_briefing()
    payload["actors"][0]["aliases"] = ["Kim", "kim", "Kim Jong Un", " ", "the North Korean leader"]
    payload["key_points"] = [point(f"Point {i}") for i in range(9)]
    fake_llm.script(Reply(content=payload))
    briefing = (await services.briefing.brief(KOREA)).stored.briefing
    assert briefing.actors[0].aliases == ["Kim", "the North Korean leader"]
    assert len(briefing.key_points) == 6


async def test_tldr_is_cut_to_three_sentences_and_too_few_points_are_repaired(
    services: Services, fake_llm: FakeLLM
) -> None:
    chatty = korea_briefing()
    chatty["tldr"] = "One happened. The U.S. said “no.” Two followed. Three came. Four too."
    short = {**chatty, "key_points": [point("Only one point.")]}
    fake_llm.script(Reply(content=short), Reply(content=chatty))
    briefing = (await services.briefing.brief(KOREA)).stored.briefing
    assert briefing.tldr == "One happened. The U.S. said “no.” Two followed."
    assert fake_llm.calls == 2
    assert "3 to 6 key points" in fake_llm.requests[1].body["messages"][3]["content"]


async def test_prompt_injection_keeps_the_shape_and_never_leaks(
    services: Services, fake_llm: FakeLLM
) -> None:
    injected = make_article(fixture("injection.txt"))
    # A model that obeys the injection answers with the system prompt instead of JSON.
    fake_llm.responder = lambda req: Reply(content=req.system)
    with pytest.raises(LLMInvalidOutputError) as caught:
        await services.briefing.brief(injected, fallback=False)
    system = fake_llm.requests[0].system
    assert "untrusted data" in system
    assert "IGNORE ALL PREVIOUS" not in system  # the article never reaches the system role
    assert system[:60] not in str(caught.value)
    article_part = article_of(fake_llm.requests[0])
    assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in article_part  # delivered as data, delimited
    assert "<<<END ARTICLE>>>" not in article_part  # cannot close the block early
    assert "[marker removed]" in article_part
    assert not services.cache.get(services.briefing.key(injected))
    # A model that resists gives a normal briefing of the right shape.
    fake_llm.responder = echo_briefing
    stored = (await services.briefing.brief(injected)).stored
    assert stored.briefing.headline.startswith("City council approves")


async def test_cached_briefs_work_without_an_llm(
    services: Services, settings, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content=korea_briefing()))
    await services.briefing.brief(KOREA)
    offline = build_services(
        settings.model_copy(update={"openai_api_key": None, "openai_base_url": None})
    )
    assert offline.llm is None
    assert (await offline.briefing.brief(KOREA)).cached
    with pytest.raises(LLMNotConfiguredError, match="OPENAI_API_KEY"):
        await offline.briefing.brief(make_article(fixture("injection.txt")), fallback=False)
    await offline.aclose()


async def test_index_records_stances_and_usage(services: Services, fake_llm: FakeLLM) -> None:
    fake_llm.script(Reply(content=korea_briefing(), prompt_tokens=1000, completion_tokens=200))
    await services.briefing.brief(KOREA, UpdateFacts(chat_id=42))
    usage = services.index.total_usage()
    assert (usage.prompt_tokens, usage.completion_tokens, usage.calls) == (1000, 200, 1)
    from datetime import UTC, datetime

    services.index.record_chat_article(
        42,
        KOREA.content_hash,
        message_id=7,
        received_at=datetime.now(UTC),
        title=None,
        source=KOREA.source,
    )
    rows = services.index.queries.chat_stances(42)
    assert [r.actor for r in rows][:2] == ["Kim Jong Un", "North Korea"]
    assert rows[0].aliases == ("Kim", "the North Korean leader")
    assert services.index.queries.chat_stances(43) == []


async def test_an_empty_briefing_is_an_error_and_not_cached(
    services: Services, fake_llm: FakeLLM
) -> None:
    empty = {**korea_briefing(), "headline": " ", "tldr": "", "actors": []}
    empty["key_points"] = [point("x"), point("y"), point("z")]  # valid shape, nothing to say
    empty["headline"] = empty["tldr"] = ""
    fake_llm.script(Reply(content=empty))
    with pytest.raises(LLMInvalidOutputError, match="empty briefing"):
        await services.briefing.brief(KOREA, fallback=False)
    assert services.cache.get(services.briefing.key(KOREA)) is None


def _events(services: Services) -> list[tuple[str, int | None, int | None]]:
    order = insertion_order(services.index.engine)
    rows = services.index.connection.execute(
        f"SELECT kind, chat_id, user_id FROM events WHERE kind != 'llm' ORDER BY {order}"  # noqa: S608 - a column name
    )
    return [(row["kind"], row["chat_id"], row["user_id"]) for row in rows]


async def test_each_path_counts_its_events_once_in_order(
    services: Services, fake_llm: FakeLLM
) -> None:
    # The events ride along with other writes (one database round trip); each path still
    # counts what it did, once, in the order it happened.
    briefing = services.briefing
    fake_llm.script(Reply(content=korea_briefing()))
    await briefing.brief(KOREA, UpdateFacts(chat_id=1, user_id=7))
    await briefing.brief(KOREA, UpdateFacts(chat_id=2, user_id=8))  # cached
    hit = await briefing.lookup(KOREA, chat_id=3)
    await briefing.brief(KOREA, UpdateFacts(chat_id=3, user_id=9, looked_up=True, hit=hit))
    other = make_article(fixture("korea2.txt"))
    fake_llm.script(Reply(content=korea_briefing(), delay_s=0.2))
    await asyncio.gather(  # a looked-up miss, and one that shares its flight
        briefing.brief(other, UpdateFacts(chat_id=4, user_id=10, looked_up=True)),
        briefing.brief(other, UpdateFacts(chat_id=5, user_id=11)),
    )
    fake_llm.script(Reply(content="nope"), Reply(content="still nope"))
    await briefing.brief(make_article(fixture("korea.txt") + "\n\nMore."), UpdateFacts(chat_id=6))
    events = _events(services)
    assert events[:6] == [
        ("received", 1, 7), ("briefed", 1, 7),
        ("received", 2, 8), ("cache_hit", 2, 8),
        ("received", 3, 9), ("cache_hit", 3, 9),
    ]  # fmt: skip
    both = events[6:10]  # two chats at once: each chat's own events in order
    assert [e for e in both if e[1] == 4] == [("received", 4, 10), ("briefed", 4, 10)]
    assert [e for e in both if e[1] == 5] == [("received", 5, 11), ("cache_hit", 5, 11)]
    assert events[10:] == [("received", 6, None), ("failed", 6, None), ("degraded", 6, None)]
    assert services.texts.get(other.content_hash) == other.text
