"""Keep the garbage collector from stalling the event loop once the bot has started.

A full (generation 2) collection walks every tracked object. After start-up that is
well over 100,000 of them (python-telegram-bot, pydantic models, the openai SDK, the
prompts), none of which will ever be garbage, and each full collection held the event loop
for 60-100 ms during a burst of briefings. `gc.freeze()` moves them out of the collector's
sight, so later collections walk only what was created since.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def settle_heap() -> None:
    """Collect start-up garbage once, then exempt the survivors from future collections."""
    gc.collect()
    gc.freeze()


def settled_after(
    start: Callable[[T], Coroutine[Any, Any, None]] | None,
    warm: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> Callable[[T], Coroutine[Any, Any, None]]:
    """Wrap a start-up hook: run it, then `warm` (lazy imports done now), then settle."""

    async def hook(arg: T) -> None:
        if start is not None:
            await start(arg)
        if warm is not None:
            await warm()
        settle_heap()

    return hook
