"""An in-process fake of the LLM port: a queue of answers and a history of calls, no HTTP.

The service's unit tests use it (as simonw/llm's tests use a scripted model); the end-to-end
tests go one level lower, through the real OpenAI client and the fake server in fake_llm.py.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from bot.errors import LLMError
from bot.llm.port import Completion
from bot.models import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Call:
    """One request the service made of the model."""

    system: str
    user: str
    schema: type[BaseModel]


@dataclass
class ScriptedLLM:
    """Answer each call with the next scripted payload (validated) or raise the next error."""

    model: str = "scripted-model"
    answers: deque[dict[str, Any] | LLMError] = field(default_factory=deque)
    calls: list[Call] = field(default_factory=list)

    def script(self, *answers: dict[str, Any] | LLMError) -> None:
        """Queue answers, in the order the calls will get them."""
        self.answers.extend(answers)

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Return the next answer as `schema`, or raise the next scripted error."""
        self.calls.append(Call(system, user, schema))
        answer = self.answers.popleft()
        if isinstance(answer, LLMError):
            raise answer
        usage = Usage(prompt_tokens=len(user) // 4, completion_tokens=100, calls=1)
        return Completion(schema.model_validate(answer), usage)

    async def aclose(self) -> None:
        """Hold no connections."""
