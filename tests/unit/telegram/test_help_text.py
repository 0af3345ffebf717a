"""/help is the reference: it names every command in the menu; /start stays one short line."""

from __future__ import annotations

import re

from bot.telegram.app import COMMANDS
from bot.telegram.basics import HELP, START, START_GROUP


def test_help_names_every_command_in_the_menu() -> None:
    named = set(re.findall(r"/([a-z]+)", HELP))
    missing = {c.command for c in COMMANDS} - named - {"help"}
    assert missing == set()


def test_start_is_one_short_line() -> None:
    for text in (START, START_GROUP):
        assert "\n" not in text
        assert len(text) < 200
        assert "/help" in text
