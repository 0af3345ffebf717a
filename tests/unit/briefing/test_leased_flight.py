"""Single flight across processes: one LLM call per article, whichever processes receive it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.briefing.leased_flight import LEASE_S, POLL_S, LeasedFlight
from bot.briefing.service import BriefingService
from bot.config import load_settings
from bot.llm.port import Completion, T
from bot.llm.prompts import require
from bot.services import Services, build_services
from bot.store.leases import Leases
from tests.blobs_kit import ENGINES
from tests.briefings import actor, briefing, fixture, point
from tests.harness import FakeClock
from tests.postgres import libpq_url
from tests.scripted_llm import ScriptedLLM

ARTICLE = fixture("wire/kim-shoigu.txt")
Sleep = Callable[[float], Awaitable[None]]
STARTED: list[ScriptedLLM] = []  # the gated models whose call began, in this test


def _answer() -> dict[str, Any]:
    return briefing(
        actor("Sergei Shoigu", "person", ["Shoigu"]),
        headline="Kim backs Russia",
        key_points=[point("North Korea supplied more than 20,000 containers of munitions.",
                          "supplied more than 20,000 containers of munitions")] * 3,
    )  # fmt: skip


class GatedLLM(ScriptedLLM):
    """A scripted model whose answers wait until the test opens the gate."""

    def __init__(self, gate: asyncio.Event) -> None:
        super().__init__()
        self.gate = gate
        self.script(_answer())

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Answer once the gate is open; a second model called at once opens it (a failure)."""
        STARTED.append(self)
        if len({id(llm) for llm in STARTED}) > 1:
            self.gate.set()
        await self.gate.wait()
        return await super().complete(system=system, user=user, schema=schema)


@pytest.fixture(autouse=True)
def _no_models_started() -> None:
    STARTED.clear()


@pytest.fixture(params=ENGINES)
async def two_processes(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Services, Services]]:
    """Two processes' worth of services on one database."""
    url = None if request.param == "sqlite" else libpq_url(request.getfixturevalue("postgres_url"))
    settings = load_settings(
        bot_data_dir=tmp_path / "data", openai_api_key="sk-unused", database_url=url
    )
    first = build_services(settings, llm=ScriptedLLM())
    second = build_services(settings, llm=ScriptedLLM())
    yield first, second
    await first.aclose()
    await second.aclose()


def _briefer(
    services: Services, owner: str, llm: ScriptedLLM, sleep: Sleep, clock: FakeClock | None = None
) -> BriefingService:
    """Return one process's BriefingService, its leases held in the name of `owner`."""
    prompts = services.prompts
    flight: LeasedFlight[Any] = LeasedFlight(
        services.index, owner=owner, sleep=sleep, clock=clock or (lambda: datetime.now(UTC))
    )
    return BriefingService(
        services.settings, llm=llm, prompt=require(prompts, "briefing"), cache=services.cache,
        texts=services.texts, index=services.index, merge_prompt=require(prompts, "merge"),
        flight=flight,
    )  # fmt: skip


async def test_two_processes_briefing_one_article_make_one_llm_call(
    two_processes: tuple[Services, Services],
) -> None:
    gate, polls = asyncio.Event(), []

    async def sleep(seconds: float) -> None:
        if seconds != POLL_S:  # a renewal: not what this test is about
            await asyncio.Event().wait()
        polls.append(seconds)  # the other process is waiting: let the holder's model answer
        gate.set()
        await asyncio.sleep(0)

    llms = GatedLLM(gate), GatedLLM(gate)
    a = _briefer(two_processes[0], "a", llms[0], sleep)
    b = _briefer(two_processes[1], "b", llms[1], sleep)
    first, second = await asyncio.gather(
        a.brief(make_article(ARTICLE), UpdateFacts(chat_id=1)),
        b.brief(make_article(ARTICLE), UpdateFacts(chat_id=2)),
    )
    assert len(llms[0].calls) + len(llms[1].calls) == 1
    assert polls  # one of them waited for the other
    assert first.stored.briefing == second.stored.briefing
    assert first.stored.briefing.headline == "Kim backs Russia"
    assert sorted([first.cached, second.cached]) == [False, True]


async def test_a_dead_holders_lease_lapses_and_the_waiter_briefs(
    two_processes: tuple[Services, Services],
) -> None:
    services = two_processes[1]
    clock = FakeClock(datetime.now(UTC))
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    llm = GatedLLM(asyncio.Event())
    llm.gate.set()
    b = _briefer(services, "b", llm, sleep, clock)
    name = "brief:" + b.key(make_article(ARTICLE), chat_id=1)
    dead = Leases(two_processes[0].index, "dead", clock=clock)
    assert dead.take(name, LEASE_S)  # and is killed with kill -9: never renewed, never let go
    result = await b.brief(make_article(ARTICLE), UpdateFacts(chat_id=1))
    assert (result.cached, len(llm.calls)) == (False, 1)
    polled = sum(s for s in waited if s == POLL_S)  # not the renewals after it took the lease
    assert LEASE_S <= polled < LEASE_S + 1  # it waited out the lease, and no longer
    assert dead.holder(name) is None  # the waiter let go when done


async def test_the_lease_is_renewed_while_the_model_works(
    two_processes: tuple[Services, Services],
) -> None:
    services = two_processes[0]
    clock = FakeClock(datetime.now(UTC))
    gate, taken_meanwhile = asyncio.Event(), list[bool]()
    other = Leases(two_processes[1].index, "other", clock=clock)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)
        if (
            clock.now - start
        ).total_seconds() >= LEASE_S + 5:  # past the first lease's end: renewed since?
            taken_meanwhile.append(other.take(name, LEASE_S))
            gate.set()
        await asyncio.sleep(0)

    llm = GatedLLM(gate)
    a = _briefer(services, "a", llm, sleep, clock)
    name, start = "brief:" + a.key(make_article(ARTICLE), chat_id=1), clock.now
    result = await a.brief(make_article(ARTICLE), UpdateFacts(chat_id=1))
    assert result.cached is False
    assert taken_meanwhile and not any(taken_meanwhile)


async def test_a_cache_hit_never_waits_for_a_lease(
    two_processes: tuple[Services, Services],
) -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    llm = GatedLLM(asyncio.Event())
    llm.gate.set()
    a = _briefer(two_processes[0], "a", llm, sleep)
    await a.brief(make_article(ARTICLE), UpdateFacts(chat_id=1))
    waited.clear()  # the first one's renewals
    name = "brief:" + a.key(make_article(ARTICLE), chat_id=1)
    assert Leases(two_processes[1].index, "busy").take(name, LEASE_S)  # someone holds it
    again = await a.brief(make_article(ARTICLE), UpdateFacts(chat_id=2))
    assert again.cached and waited == [] and len(llm.calls) == 1
