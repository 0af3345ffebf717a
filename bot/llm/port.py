"""The LLM port: what services need from a model. Light: importing it loads no SDK."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from bot.models import Usage

T = TypeVar("T", bound=BaseModel)

# Invalid answers are sent back for repair this many times per call (llm/client.py); budgets
# reserve for every round (ops/budget.py).
REPAIR_ROUNDS = 1


@dataclass(frozen=True)
class Completion(Generic[T]):
    """A validated answer and the tokens it cost."""

    value: T
    usage: Usage


class LLMPort(Protocol):
    """One validated structured answer per call, or a typed LLMError."""

    @property
    def model(self) -> str:
        """Return the model name (part of every cache key)."""
        ...

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Return `schema` filled in by the model, or raise an LLMError."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
