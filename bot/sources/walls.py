"""Why a page holds no article: a paywall, a login, a cookie wall or a video player, when seen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Phrases that give a wall away; each names what the user is shown instead of the article.
_PHRASES = {
    "a paywall": re.compile(
        r"\b(subscribe to (continue|read)|subscribers only|abonnez-vous pour lire|"
        r"already a subscriber)\b",
        re.IGNORECASE,
    ),
    "a login": re.compile(
        r"\b(log ?in to (continue|read)|sign in to (continue|read)|create a free account)\b",
        re.IGNORECASE,
    ),
    "a cookie wall": re.compile(
        r"\b(accept (all )?cookies|we value your privacy)\b", re.IGNORECASE
    ),
    "a page that needs JavaScript": re.compile(
        r"\b(enable javascript|javascript is (disabled|required))\b", re.IGNORECASE
    ),
}
_LOGIN_FORM = "//form[.//input[@type='password']]"
_VIDEO = (
    "//video | //meta[@property='og:type'][starts-with(@content, 'video')] | "
    "//iframe[contains(@src, 'youtube') or contains(@src, 'vimeo') or "
    "contains(@src, 'dailymotion')]"
)
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::template)]"


def phrase_wall(text: str) -> str | None:
    """Name the wall a page's text announces (paywall, login, cookies…), if any."""
    return next((name for name, pattern in _PHRASES.items() if pattern.search(text)), None)


def page_wall(tree: HtmlElement | None) -> str | None:
    """Name what a page without an article shows instead, only when it is detected."""
    if tree is None:
        return None
    text = " ".join(tree.xpath(_VISIBLE_TEXT))
    if reason := phrase_wall(text):
        return reason
    if tree.xpath(_LOGIN_FORM):
        return "a login form"
    if tree.xpath(_VIDEO):
        return "a video player"
    return None


def no_article_message(reason: str | None) -> str:
    """Say that a page has no article, and why only when a reason was detected."""
    if reason is None:
        return "I found no article on that page."
    return f"I found no article on that page: it shows {reason} instead."
