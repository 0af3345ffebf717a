"""The /stats report: prices, a window's summary (`Period`) and its plain-text rendering.

`Events` (stats.py) records what happens and sums a window's rows; what those sums cost,
how a window is shaped for JSON and how the report reads on a terminal or in /stats are
a separate concern — pricing and presentation over numbers already counted — kept here so
the events table's module stays about the table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.models import Usage
from bot.store.index import iso

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ops.budget import TokenBudget
    from bot.ops.stats import Events


# OpenAI's published prices for gpt-4o-mini, USD per million tokens (input, output, cached input).
KNOWN_PRICES: dict[str, tuple[float, float, float]] = {"gpt-4o-mini": (0.15, 0.60, 0.075)}


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cached_input: float

    def cost(self, usage: Usage) -> float:
        """Price a usage: cached input tokens at the cached rate, the rest at the input rate."""
        fresh = max(0, usage.prompt_tokens - usage.cached_tokens)
        return (
            fresh * self.input
            + usage.cached_tokens * self.cached_input
            + usage.completion_tokens * self.output
        ) / 1_000_000


@dataclass(frozen=True)
class Prices:
    """The configured model's prices (settings), else the known published ones."""

    model: str
    configured: Price | None

    def for_model(self, model: str) -> Price | None:
        """Return the price of `model`, or None when unknown."""
        if model == self.model and self.configured is not None:
            return self.configured
        known = KNOWN_PRICES.get(model)
        return Price(*known) if known else None


@dataclass(frozen=True)
class Period:
    """What happened in one window."""

    since: datetime
    until: datetime
    received: int
    briefed: int
    cache_hits: int
    degraded: int
    digests_sent: int
    failures: dict[str, int]
    llm_calls: int
    tokens_in: int
    tokens_out: int
    tokens_cached: int
    cost_usd: float | None
    top_users: list[tuple[int, int]] = field(default_factory=list)
    top_chats: list[tuple[int, int]] = field(default_factory=list)

    @property
    def hit_rate(self) -> float | None:
        """Return the share of served briefings that came from the cache."""
        served = self.cache_hits + self.briefed
        return self.cache_hits / served if served else None

    def as_json(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        data = asdict(self)
        data.update(since=iso(self.since), until=iso(self.until), hit_rate=self.hit_rate)
        data["top_users"] = [{"user_id": u, "tokens": t} for u, t in self.top_users]
        data["top_chats"] = [{"chat_id": c, "tokens": t} for c, t in self.top_chats]
        return data


def prices_for(settings: Settings) -> Prices:
    """Return the prices in force: LLM_PRICE_PER_MTOK_* when both are set."""
    p_in, p_out = settings.llm_price_per_mtok_in, settings.llm_price_per_mtok_out
    configured = None
    if p_in is not None and p_out is not None:
        cached = settings.llm_price_per_mtok_cached
        configured = Price(p_in, p_out, p_in if cached is None else cached)
    return Prices(settings.llm_model, configured)


def report_for(events: Events, settings: Settings, budget: TokenBudget) -> dict[str, Period]:
    """Return today (in BUDGET_TZ) and the last 7 days."""
    day_start, _ = budget.day_bounds()
    now = datetime.now(UTC)
    end = now + timedelta(seconds=1)  # inclusive of events booked this very instant
    prices = prices_for(settings)
    return {
        "today": events.period(day_start, end, prices),
        "last_7_days": events.period(now - timedelta(days=7), end, prices),
    }


def render_text(periods: dict[str, Period], *, model: str) -> str:
    """Render the report as plain text (the terminal, and /stats inside <pre>)."""
    lines: list[str] = []
    for label, p in periods.items():
        rate = f"{p.hit_rate:.0%}" if p.hit_rate is not None else "n/a"
        cost = f"${p.cost_usd:.4f}" if p.cost_usd is not None else "unknown (set prices)"
        lines += [
            f"{label.replace('_', ' ').capitalize()}:",
            f"  articles received  {p.received:,}",
            f"  briefed (LLM)      {p.briefed:,}",
            f"  from cache         {p.cache_hits:,} (hit rate {rate})",
            f"  degraded           {p.degraded:,}",
            f"  LLM calls          {p.llm_calls:,}",
            f"  tokens in/out      {p.tokens_in:,} / {p.tokens_out:,} ({p.tokens_cached:,} cached)",
            f"  estimated cost     {cost}",
            f"  digests sent       {p.digests_sent:,}",
            "  failures           "
            + (", ".join(f"{k} {v}" for k, v in p.failures.items()) or "none"),
            "  top users          " + (", ".join(f"{u} ({t:,})" for u, t in p.top_users) or "none"),
            "  top chats          " + (", ".join(f"{c} ({t:,})" for c, t in p.top_chats) or "none"),
            "",
        ]
    lines.append(f"Model: {model}. Costs are estimates from the per-million-token prices.")
    return "\n".join(lines)
