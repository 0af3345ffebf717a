"""Why a link or a document yielded no article; each message is fit to show a user."""

from __future__ import annotations

from bot.errors import ArticleError

PASTE_HINT = "Forward the post or paste the article's text instead."


class SourceError(ArticleError):
    """A link or document gave no article; the message says why and what to do."""

    def __init__(self, reason: str, *, hint: bool = True) -> None:
        super().__init__(f"{reason} {PASTE_HINT}" if hint else reason)
        self.reason = reason


class RefusedURLError(SourceError):
    """The link points somewhere the bot will not go (not http(s), a private address…)."""


class FetchFailedError(SourceError):
    """The page could not be fetched: timeout, HTTP error, too large, wrong type."""


class NoArticleError(SourceError):
    """The page or document was fetched but holds no article text."""
