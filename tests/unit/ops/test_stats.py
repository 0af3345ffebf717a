"""The stats report: counting, pricing, and `briefbot stats` in the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.errors import (
    LLMAuthError,
    LLMError,
    LLMInvalidOutputError,
    LLMNotConfiguredError,
    LLMRequestError,
    LLMUnavailableError,
)
from bot.models import Usage
from bot.ops.budget import BudgetExceededError
from bot.ops.pricing import Price, Prices
from bot.ops.stats import BRIEFED, CACHE_HIT, FAILED, RECEIVED, Events, failure_kind

MILLION = 1_000_000


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (BudgetExceededError("user", 1, datetime.now(UTC), datetime.now(UTC)), "budget"),
        (LLMUnavailableError("down"), "unavailable"),
        (LLMInvalidOutputError("bad"), "invalid_output"),
        (LLMNotConfiguredError(), "not_configured"),
        (LLMAuthError("no"), "auth"),
        (LLMRequestError("no"), "request"),
        (LLMError("?"), "llm"),
        (ValueError("x"), "ValueError"),
    ],
)
def test_failures_have_short_kind_names(error: Exception, kind: str) -> None:
    assert failure_kind(error) == kind


def test_gpt_4o_mini_is_priced_at_openais_published_rates_by_default() -> None:
    price = Prices("gpt-4o-mini", None).for_model("gpt-4o-mini")
    assert price == Price(0.15, 0.60, 0.075)
    usage = Usage(prompt_tokens=MILLION, completion_tokens=MILLION, cached_tokens=MILLION // 2)
    # Half the input at the cached rate: 0.075 + 0.0375 + 0.60.
    assert price.cost(usage) == pytest.approx(0.7125)
    assert Prices("some-local-model", None).for_model("some-local-model") is None
    assert Prices("m", Price(1, 2, 0.5)).for_model("m") == Price(1, 2, 0.5)


def test_period_counts_only_its_window(services) -> None:
    events: Events = services.events
    now = datetime.now(UTC)
    events.record(RECEIVED, chat_id=1, user_id=7, at=now - timedelta(days=8))  # too old
    for kind in (RECEIVED, RECEIVED, BRIEFED, CACHE_HIT):
        events.record(kind, chat_id=1, user_id=7)
    events.record(FAILED, chat_id=2, detail="unavailable")
    events.record_llm("briefing", "gpt-4o-mini", Usage(prompt_tokens=100_000, completion_tokens=20_000,
                      calls=1), user_id=7, chat_id=1, ms=5)  # fmt: skip
    period = events.period(now - timedelta(days=7), now + timedelta(seconds=1),
                           Prices("gpt-4o-mini", None))  # fmt: skip
    assert (period.received, period.briefed, period.cache_hits) == (2, 1, 1)
    assert period.hit_rate == 0.5
    assert period.failures == {"unavailable": 1}
    assert period.top_users == [(7, 120_000)]
    assert period.top_chats == [(1, 120_000)]
    # 100k input at $0.15/M = $0.015, 20k output at $0.60/M = $0.012 (at the input rate: $0.003).
    assert period.cost_usd == pytest.approx(0.027)


def test_briefbot_stats_prints_the_report_and_json(tmp_path, monkeypatch, capsys) -> None:
    from bot.store.index import Index

    index = Index(tmp_path / "data" / "index.sqlite3")
    events = Events(index)
    events.record(RECEIVED, chat_id=3, user_id=9)
    events.record(CACHE_HIT, chat_id=3, user_id=9)
    index.close()
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "gpt-4o-mini"
    assert (data["today"]["received"], data["last_7_days"]["cache_hits"]) == (1, 1)
    assert data["today"]["cost_usd"] == 0.0  # a known model with nothing spent
    kinds = dict(data["storage"]["kinds"])
    assert kinds["index database"] > 0 and kinds["fetch cache"] == 0
    assert data["storage"]["total"] == sum(kinds.values())
    assert set(data["today"]) >= {
        "briefed", "cache_hits", "hit_rate", "llm_calls", "tokens_in", "tokens_out",
        "tokens_cached", "cost_usd", "degraded", "failures", "top_users", "top_chats",
        "digests_sent",
    }  # fmt: skip
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "articles received  1" in out
    assert "from cache         1 (hit rate 100%)" in out
    assert "Storage (" in out and "index database" in out
