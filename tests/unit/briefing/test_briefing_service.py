"""BriefingService over an in-process fake of the LLM port: cache, checks, fallback, no HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.checks.provenance import Provenance
from bot.config import load_settings
from bot.errors import LLMUnavailableError
from bot.models import BriefingDraft
from bot.services import Services, build_services
from tests.briefings import actor, briefing, fixture, point, stance
from tests.scripted_llm import ScriptedLLM

KIM_SHOIGU = fixture("wire/kim-shoigu.txt")
NARRATION = "The two men also discussed strengthening the comprehensive strategic partnership"
MINISTRY = "a political tool operating according to the geopolitical interests of the West"


def _answer(
    *stances_of_shoigu: dict[str, str], headline: str = "Kim backs Russia"
) -> dict[str, Any]:
    return briefing(
        actor("Sergei Shoigu", "person", ["Shoigu"], *stances_of_shoigu),
        actor("North Korean Foreign Ministry", "organisation", ["the ministry"],
              stance("the MSMT", "Calls it a political tool", "opposes", MINISTRY)),
        headline=headline,
        key_points=[point("North Korea supplied more than 20,000 containers of munitions.",
                          "supplied more than 20,000 containers of munitions")] * 3,
    )  # fmt: skip


@pytest.fixture
async def scripted(tmp_path: Path) -> AsyncIterator[tuple[Services, ScriptedLLM]]:
    llm = ScriptedLLM()
    settings = load_settings(bot_data_dir=tmp_path / "data", openai_api_key="sk-unused")
    services = build_services(settings, llm=llm)
    yield services, llm
    await services.aclose()


async def test_an_article_costs_one_call_then_comes_from_the_cache(
    scripted: tuple[Services, ScriptedLLM],
) -> None:
    services, llm = scripted
    llm.script(_answer())
    article = make_article(KIM_SHOIGU)
    first = await services.briefing.brief(article, UpdateFacts(chat_id=1))
    again = await services.briefing.brief(make_article(KIM_SHOIGU), UpdateFacts(chat_id=2))
    assert (first.cached, again.cached, len(llm.calls)) == (False, True, 1)
    assert llm.calls[0].schema is BriefingDraft
    assert KIM_SHOIGU.splitlines()[0] in llm.calls[0].user  # the article, inside the block


async def test_the_reporters_words_given_to_an_actor_are_never_his_own(
    scripted: tuple[Services, ScriptedLLM],
) -> None:
    services, llm = scripted
    llm.script(_answer(stance("the partnership", "Wants it closer", "supports", NARRATION)))
    result = await services.briefing.brief(make_article(KIM_SHOIGU), UpdateFacts(chat_id=1))
    shoigu, ministry = result.stored.briefing.actors
    [narration] = shoigu.stances
    [own] = ministry.stances
    assert (narration.provenance, narration.verified) == (Provenance.NARRATION, False)
    assert own.verified and own.provenance in {Provenance.DIRECT, Provenance.VIA}
    assert (result.stored.verified_stances, result.stored.total_stances) == (1, 2)


async def test_a_figure_the_article_lacks_is_flagged_in_the_stored_briefing(
    scripted: tuple[Services, ScriptedLLM],
) -> None:
    services, llm = scripted
    llm.script(_answer(headline="Kim backs Russia after 25,000 containers"))
    result = await services.briefing.brief(make_article(KIM_SHOIGU), UpdateFacts(chat_id=1))
    flags = result.stored.briefing.summary_flags
    assert [(f.field, f.kind, f.text) for f in flags] == [("headline", "number", "25,000")]


async def test_a_failing_model_gives_the_labelled_extractive_briefing_and_caches_nothing(
    scripted: tuple[Services, ScriptedLLM],
) -> None:
    services, llm = scripted
    llm.script(LLMUnavailableError("down"), _answer())
    article = make_article(KIM_SHOIGU)
    fallback = await services.briefing.brief(article, UpdateFacts(chat_id=1), fallback=True)
    assert fallback.stored.extractive_reason is not None
    full = await services.briefing.brief(article, UpdateFacts(chat_id=1))
    assert full.stored.extractive_reason is None and len(llm.calls) == 2
