"""/help is the reference and the menus list every command; /start stays one short line."""

from __future__ import annotations

import re
from pathlib import Path

from telegram.ext import CommandHandler

from bot.config import load_settings
from bot.services import build_services
from bot.telegram.app import build_application
from bot.telegram.basics import HELP, START, START_GROUP
from bot.telegram.menu import COMMANDS, GROUP_COMMANDS, HIDDEN


def test_help_names_every_command_in_the_menus() -> None:
    named = set(re.findall(r"/([a-z]+)", HELP))
    missing = {c.command for c in GROUP_COMMANDS} - named - {"help"}
    assert missing == set()


async def test_every_command_the_bot_answers_is_in_a_menu_and_every_menu_entry_is_answered(
    tmp_path: Path,
) -> None:
    settings = load_settings(bot_data_dir=tmp_path, telegram_bot_token="1:unused")
    services = build_services(settings)
    try:
        app = build_application(settings, services, digest_job=False)
        handled = {
            name
            for handlers in app.handlers.values()
            for h in handlers
            if isinstance(h, CommandHandler)
            for name in h.commands
        }
    finally:
        await services.aclose()
    in_menus = {c.command for c in GROUP_COMMANDS}
    assert handled - HIDDEN == in_menus
    assert {c.command for c in COMMANDS} < in_menus  # the group menu only adds to it
    assert "autoforwards" not in {c.command for c in COMMANDS}  # a discussion group's only


def test_start_is_one_short_line() -> None:
    for text in (START, START_GROUP):
        assert "\n" not in text
        assert len(text) < 200
        assert "/help" in text
