"""What a Telegram message holds: article text, where it came from, whether it is a link."""

from __future__ import annotations

import re
from datetime import datetime

from telegram import (
    Message,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)
from telegram.ext import filters

from bot.models import Source
from bot.sources.urls import links_in_text, unique, with_scheme

_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_VISIBLE_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MAX_TITLE = 160


def text_of(message: Message) -> str:
    """Return the message's text, or a media post's caption."""
    return message.text or message.caption or ""


def replied_to(message: Message) -> Message | None:
    """Return the message this one replies to; in a forum topic, not the topic's header."""
    replied = message.reply_to_message
    if replied is None or replied.forum_topic_created is not None:
        return None
    # Telegram marks every message in a topic as a reply to the topic's first message.
    if message.is_topic_message and replied.message_id == message.message_thread_id:
        return None
    return replied


def source_of(message: Message) -> Source | None:
    """Attribute a forwarded message to its origin; None for a message the user wrote."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        label = chat.title or (f"@{chat.username}" if chat.username else "a channel")
        url = f"https://t.me/{chat.username}/{origin.message_id}" if chat.username else None
        if origin.author_signature:
            label = f"{label} ({origin.author_signature})"
        return Source(label=label, url=url)
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        label = chat.title or (f"@{chat.username}" if chat.username else "a chat")
        return Source(label=label)
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        name = user.full_name + (f" (@{user.username})" if user.username else "")
        return Source(label=name)
    if isinstance(origin, MessageOriginHiddenUser):
        name = origin.sender_user_name.strip()
        return Source(label=f"{name} (hidden user)" if name else "hidden user")
    return None


def forwarded_at(message: Message) -> datetime | None:
    """Return when a forwarded message was first posted (any origin: user, chat, channel)."""
    origin = message.forward_origin
    return origin.date if origin is not None else None


def title_of(text: str) -> str | None:
    """Use a short first line as the title when more text follows it."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if first and rest.strip() and len(first) <= _MAX_TITLE:
        return first
    return None


def links_in(message: Message) -> list[str]:
    """Return the message's links in order, each once: visible URLs and hidden text links."""
    # parse_entities slices by UTF-16 offsets, so links after emoji or CJK text come out whole.
    entities = message.parse_entities() or message.parse_caption_entities()
    urls = [
        with_scheme(entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else value)
        for entity, value in sorted(entities.items(), key=lambda item: item[0].offset)
        if entity.type == MessageEntity.URL
        or (entity.type == MessageEntity.TEXT_LINK and entity.url)
    ]
    return unique(urls or links_in_text(text_of(message)))


def is_link_only(message: Message) -> bool:
    """Tell whether the message is just a link (or a couple of words and a link)."""
    text = text_of(message).strip()
    if not text:
        return False
    if _URL.match(text):
        return True
    urls = links_in(message)
    if not urls:
        return False
    without = _VISIBLE_LINK.sub(" ", text)
    return len(without.split()) <= 8  # a link with a short comment is still "a link"  # noqa: PLR2004


class _ReplyToBot(filters.MessageFilter):
    """Messages that reply to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


REPLY_TO_BOT = _ReplyToBot(name="REPLY_TO_BOT")
