"""The moving windows of per-chat command limits and how a wait is said."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError
from bot.telegram.command_windows import FALLBACK, CommandLimits, describe_minutes


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (3540, "59 minutes"), (3599, "1 hour"),
     (3600, "1 hour"), (5400, "2 hours")],
)  # fmt: skip
def test_waits_are_plural_correct(seconds: float, words: str) -> None:
    assert describe_minutes(seconds) == words


def test_a_window_moves_and_each_chat_and_command_has_its_own() -> None:
    now = [0.0]
    limits = CommandLimits({"who": (2, 10)}, clock=lambda: now[0])
    assert limits.try_use(1, "who") is None
    now[0] = 100.0
    assert limits.try_use(1, "who") is None
    assert limits.try_use(1, "who") == 500.0  # the first use leaves at 600
    assert limits.try_use(2, "who") is None  # another chat
    assert limits.try_use(1, "overview") is None  # another command
    now[0] = 600.0  # the first use has left the window
    assert limits.try_use(1, "who") is None
    assert limits.try_use(1, "who") == 100.0


def test_a_command_without_a_default_gets_the_fallback() -> None:
    assert CommandLimits().limit("brand_new") == FALLBACK


def test_command_limits_setting_is_parsed_and_bad_entries_refused() -> None:
    parsed = load_settings(command_limits="who=5/10, Overview=1/60").command_limits
    assert parsed == {"who": (5, 10), "overview": (1, 60)}
    for bad in ("who=5", "who=0/10", "who=5/0", "who:5/10"):
        with pytest.raises(ConfigError):
            load_settings(command_limits=bad)
