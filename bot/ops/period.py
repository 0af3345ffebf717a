"""One window's summary for the /stats report: counts, tokens and cost."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from bot.store.index import iso


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
