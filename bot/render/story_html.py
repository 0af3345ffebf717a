"""Stories as Telegram HTML: the briefing's one line about other sources, and the /story view."""

from __future__ import annotations

STORY_CALLBACK = "story"  # the button under a briefing; the message says which article


def covered_line(other_sources: int) -> str:
    """Say how many other sources covered the briefing's story ("" when none)."""
    if other_sources <= 0:
        return ""
    noun = "source" if other_sources == 1 else "sources"
    return f"<i>Also covered by {other_sources} other {noun}: /story</i>"


def covered_button(other_sources: int) -> tuple[str, str] | None:
    """Return the button that opens the story, when it has other sources."""
    if other_sources <= 0:
        return None
    noun = "source" if other_sources == 1 else "sources"
    return (f"Also covered by {other_sources} other {noun}", STORY_CALLBACK)
