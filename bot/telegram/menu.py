"""The command menu Telegram shows: one list for private chats, the same plus group-only commands.

Every command a user can send is in a menu (tests/unit/telegram/test_menu.py holds that), but
for /start, which Telegram's own button sends, and /stats, which only operators may use.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault
from telegram.error import TelegramError

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("brief", "Brief a message (reply), pasted text or a link"),
    BotCommand("who", "An actor's stances across this chat's articles"),
    BotCommand("search", "Search this chat's articles: words, actor:, since:"),
    BotCommand("ask", "A question answered from this chat's articles, with citations"),
    BotCommand("story", "Every source of a briefing's story, compared (reply)"),
    BotCommand("map", "Who stands where: actors by issues, e.g. /map 30d"),
    BotCommand("export", "This chat's briefings or stances as a file"),
    BotCommand("digest", "Daily digest: on [time] [place] | off | now"),
    BotCommand("lang", "Briefing language here: a language, or auto"),
    BotCommand("tz", "Time zone for dates here: a city or a zone"),
    BotCommand("follow", "Follow a feed, a site or a public channel"),
    BotCommand("following", "The sources this chat follows"),
    BotCommand("unfollow", "Stop following a source"),
    BotCommand("label", "Name a source your way: /label @channel state media"),
    BotCommand("help", "What this bot does"),
]
# Only a discussion group receives a channel's auto-forwards: elsewhere it would be noise.
GROUP_COMMANDS = [
    *COMMANDS[:-1],
    BotCommand("autoforwards", "Brief the posts the linked channel forwards: on | off"),
    COMMANDS[-1],
]
HIDDEN = frozenset({"start", "stats"})  # Telegram's own Start button; operators only


async def register_menus(bot: Bot) -> None:
    """Register both menus; a refusal is logged, never fatal (the commands work without)."""
    try:
        await bot.set_my_commands(COMMANDS, scope=BotCommandScopeDefault())
        await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", exc)
