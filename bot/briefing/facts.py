"""What is already known about one request to brief an article, carried as one value.

A handler learns things the layers below would otherwise ask again: whose request it is,
whether the cache was read and what it held, whether the sender's quota already paid (a
fetch is charged like a new article). One frozen value says so, instead of a keyword at
every step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.models import StoredBriefing


@dataclass(frozen=True)
class UpdateFacts:
    """Whose request this is, what the cache held when read, whether the sender was charged."""

    chat_id: int | None = None
    user_id: int | None = None
    looked_up: bool = False  # the cache was read for this request: `hit` is what it held
    hit: StoredBriefing | None = None
    charged: bool = False  # the sender's quota already paid for this article (its fetch)

    def __post_init__(self) -> None:
        if self.hit is not None and not self.looked_up:
            raise ValueError("a cache hit without a lookup")

    @property
    def cached(self) -> bool:
        """Tell whether the cache held a briefing when it was read."""
        return self.hit is not None

    def after_lookup(self, hit: StoredBriefing | None) -> UpdateFacts:
        """Return these facts with the cache read, holding `hit` (None: not cached)."""
        return dataclasses.replace(self, looked_up=True, hit=hit)
