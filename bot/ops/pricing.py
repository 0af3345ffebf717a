"""Prices: USD per million tokens for the configured model, else the known published ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.models import Usage

if TYPE_CHECKING:
    from bot.config import Settings


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


def prices_for(settings: Settings) -> Prices:
    """Return the prices in force: LLM_PRICE_PER_MTOK_* when both are set."""
    p_in, p_out = settings.llm_price_per_mtok_in, settings.llm_price_per_mtok_out
    configured = None
    if p_in is not None and p_out is not None:
        cached = settings.llm_price_per_mtok_cached
        configured = Price(p_in, p_out, p_in if cached is None else cached)
    return Prices(settings.llm_model, configured)
