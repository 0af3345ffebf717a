"""Operating events (received, cache hits, failures, LLM calls, digests) and the /stats report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.errors import LLMError
from bot.models import Usage
from bot.store.index import Index, iso

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.ops.budget import TokenBudget

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    chat_id INTEGER,
    user_id INTEGER,
    detail TEXT,
    model TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    calls INTEGER NOT NULL DEFAULT 0,
    ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_kind_at ON events(kind, at);
CREATE INDEX IF NOT EXISTS events_user_at ON events(user_id, at);
"""

RECEIVED = "received"  # an article accepted for briefing
BRIEFED = "briefed"  # a briefing made by the LLM
CACHE_HIT = "cache_hit"  # a briefing served from the cache
DEGRADED = "degraded"  # a briefing made without the LLM (the extractive fallback)
FAILED = "failed"  # detail: the error's kind
DIGEST_SENT = "digest_sent"
LLM = "llm"  # one LLM request, with the tokens the provider reported; detail: purpose

# OpenAI's published prices for gpt-4o-mini, USD per million tokens (input, output, cached input).
KNOWN_PRICES: dict[str, tuple[float, float, float]] = {"gpt-4o-mini": (0.15, 0.60, 0.075)}


def failure_kind(exc: BaseException) -> str:
    """Name a failure for the stats, e.g. "budget", "unavailable" or "invalid_output"."""
    name = type(exc).__name__
    if name == "BudgetExceededError":
        return "budget"
    if isinstance(exc, LLMError):
        core = name.removeprefix("LLM").removesuffix("Error")
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in core).lstrip("_") or "llm"
    return name


def _insert_event(  # noqa: PLR0917 - the columns of one row
    index: Index,
    kind: str,
    chat_id: int | None,
    user_id: int | None,
    detail: str | None,
    at: datetime,
) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO events (at, kind, chat_id, user_id, detail) VALUES (?, ?, ?, ?, ?)",
            (iso(at), kind, chat_id, user_id, detail),
        )


def _insert_llm(  # noqa: PLR0917 - the columns of one row
    index: Index,
    purpose: str,
    model: str,
    usage: Usage,
    user_id: int | None,
    chat_id: int | None,
    ms: int,
    failure: str | None,
) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (iso(_now()), LLM, chat_id, user_id,
             purpose if failure is None else f"{purpose}:{failure}", model,
             usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens,
             usage.calls, ms),
        )  # fmt: skip


class Events:
    """The events table in the index database: one row per thing worth counting."""

    def __init__(self, index: Index) -> None:
        self._index = index
        index.connection.executescript(_SCHEMA)

    def record(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Count one event."""
        _insert_event(self._index, kind, chat_id, user_id, detail, at or _now())

    def write(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
    ) -> Callable[[Index], None]:
        """Return one event's insert, for the database thread to run with other writes."""

        def insert(index: Index) -> None:  # stamped when written, as record_off_loop's are
            _insert_event(index, kind, chat_id, user_id, detail, _now())

        return insert

    async def record_off_loop(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        """Count one event on the database thread: the event loop never waits for the lock."""
        await self._index.run(_insert_event, kind, chat_id, user_id, detail, _now())

    def record_llm(
        self,
        purpose: str,
        model: str,
        usage: Usage,
        *,
        user_id: int | None,
        chat_id: int | None,
        ms: int,
        failure: str | None = None,
    ) -> None:
        """Book one LLM call's reported tokens (failed calls too: they were billed)."""
        _insert_llm(self._index, purpose, model, usage, user_id, chat_id, ms, failure)

    async def record_llm_off_loop(  # noqa: PLR0917 - the columns of one row
        self,
        purpose: str,
        model: str,
        usage: Usage,
        user_id: int | None,
        chat_id: int | None,
        ms: int,
        failure: str | None = None,
    ) -> None:
        """Book one LLM call's tokens on the database thread."""
        await self._index.run(_insert_llm, purpose, model, usage, user_id, chat_id, ms, failure)

    def tokens_since(self, since: datetime, *, user_id: int | None = None) -> int:
        """Sum input and output tokens booked since `since` (one user's, or everyone's)."""
        sql = "SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM events "
        sql += "WHERE kind = ? AND at >= ?"
        args: tuple[Any, ...] = (LLM, iso(since))
        if user_id is not None:
            sql += " AND user_id = ?"
            args += (user_id,)
        return int(self._index.connection.execute(sql, args).fetchone()[0])

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's events to its new id."""
        with self._index.transaction() as db:
            db.execute("UPDATE events SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))

    def period(self, since: datetime, until: datetime, prices: Prices, top: int = 5) -> Period:
        """Summarise the events in [since, until)."""
        db, window = self._index.connection, (iso(since), iso(until))
        counts = dict(
            db.execute(
                "SELECT kind, COUNT(*) FROM events WHERE at >= ? AND at < ? AND kind != ? "
                "GROUP BY kind",
                (*window, LLM),
            ).fetchall()
        )
        failures = dict(
            db.execute(
                "SELECT detail, COUNT(*) FROM events WHERE at >= ? AND at < ? AND kind = ? "
                "GROUP BY detail ORDER BY COUNT(*) DESC",
                (*window, FAILED),
            ).fetchall()
        )
        usage, cost = Usage(), 0.0
        cost_known = True
        for model, p_in, p_out, p_cached, calls in db.execute(
            "SELECT model, SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), "
            "SUM(calls) FROM events WHERE at >= ? AND at < ? AND kind = ? GROUP BY model",
            (*window, LLM),
        ).fetchall():
            part = Usage(
                prompt_tokens=p_in, completion_tokens=p_out, cached_tokens=p_cached, calls=calls
            )
            usage += part
            price = prices.for_model(model)
            if price is None:
                cost_known = False
            else:
                cost += price.cost(part)
        return Period(
            since=since,
            until=until,
            received=counts.get(RECEIVED, 0),
            briefed=counts.get(BRIEFED, 0),
            cache_hits=counts.get(CACHE_HIT, 0),
            degraded=counts.get(DEGRADED, 0),
            digests_sent=counts.get(DIGEST_SENT, 0),
            failures={str(k): v for k, v in failures.items()},
            llm_calls=usage.calls,
            tokens_in=usage.prompt_tokens,
            tokens_out=usage.completion_tokens,
            tokens_cached=usage.cached_tokens,
            cost_usd=round(cost, 4) if cost_known else None,
            top_users=self._top("user_id", window, top),
            top_chats=self._top("chat_id", window, top),
        )

    def _top(self, column: str, window: tuple[str, str], top: int) -> list[tuple[int, int]]:
        rows = self._index.connection.execute(
            f"""SELECT {column}, SUM(prompt_tokens + completion_tokens) AS t FROM events
                WHERE at >= ? AND at < ? AND kind = ? AND {column} IS NOT NULL
                GROUP BY {column} ORDER BY t DESC LIMIT ?""",  # noqa: S608 - a fixed column name
            (*window, LLM, top),
        ).fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]


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


def _now() -> datetime:
    return datetime.now(UTC)
