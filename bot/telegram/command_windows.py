"""The moving windows behind per-chat command limits: uses per (chat, command), in memory."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping

# command → (uses, minutes). COMMAND_LIMITS overrides any of these; a command with no
# entry gets FALLBACK, so a new expensive command is limited before anyone thinks of it.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "overview": (6, 60),  # /brief alone: the last 24 h, one LLM call
    "digest_now": (3, 60),
    "who": (30, 10),
    "search": (30, 10),
    "ask": (10, 60),
    "map": (10, 60),
    "story": (10, 60),
    "export": (3, 60),
}
FALLBACK = (10, 60)


def describe_minutes(seconds: float) -> str:
    """Say a wait in whole minutes (or hours), plural-correct: "1 minute", "10 minutes"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:  # noqa: PLR2004
        return f"{minutes} minute{'s' * (minutes != 1)}"
    hours = math.ceil(minutes / 60)
    return f"{hours} hour{'s' * (hours != 1)}"


class CommandLimits:
    """Moving windows of uses per (chat, command); in memory, reset by a restart."""

    def __init__(
        self,
        overrides: Mapping[str, tuple[int, int]] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {**DEFAULT_LIMITS, **(overrides or {})}
        self._clock = clock
        self._uses: dict[tuple[int, str], deque[float]] = {}

    def limit(self, command: str) -> tuple[int, int]:
        """Return (uses, minutes) allowed for `command` per chat."""
        return self._limits.get(command, FALLBACK)

    def try_use(self, chat_id: int, command: str) -> float | None:
        """Count one use; return None if allowed, else the seconds until one would be."""
        uses, minutes = self.limit(command)
        window, now = minutes * 60.0, self._clock()
        hits = self._uses.setdefault((chat_id, command), deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= uses:
            return hits[0] + window - now
        hits.append(now)
        if len(self._uses) > 10_000:  # noqa: PLR2004 - drop idle chats' empty windows
            self._forget_idle(now)
        return None

    async def try_use_off_loop(self, chat_id: int, command: str) -> float | None:
        """Count one use as `try_use` does; SharedCommandLimits does it on the database thread."""
        return self.try_use(chat_id, command)

    def _forget_idle(self, now: float) -> None:
        longest = max(m for _, m in self._limits.values()) * 60.0
        for key in [k for k, hits in self._uses.items() if not hits or hits[-1] <= now - longest]:
            del self._uses[key]
