"""The /stats report: today and the last 7 days, and their plain-text rendering.

`Events` (stats.py) records what happens and sums a window into a `Period` (period.py),
priced by pricing.py; how the report reads on a terminal or in /stats is a separate
concern, kept here so the events table's module stays about the table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.ops.pricing import prices_for

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ops.budget import TokenBudget
    from bot.ops.period import Period
    from bot.ops.stats import Events


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
