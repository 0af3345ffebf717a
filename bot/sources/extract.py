"""Main text and metadata of a web page, with trafilatura tuned for news articles."""

from __future__ import annotations

import codecs
import functools
import re
import warnings
from configparser import ConfigParser
from dataclasses import dataclass
from typing import Any

from bot.errors import NoArticleError

# The HTML spec's encoding prescan, reduced: a <meta charset> or http-equiv in the first 2 KB.
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
# Pages that are a wall, not an article: these words in a short extraction give it away.
_WALL = re.compile(
    r"\b(subscribe to (continue|read)|subscribers only|log ?in to (continue|read)|sign in to "
    r"(continue|read)|create a free account|accept (all )?cookies|we value your privacy|"
    r"enable javascript|this content is not available|abonnez-vous pour lire)\b",
    re.IGNORECASE,
)
_WALL_MAX_CHARS = 1500
# Boilerplate trafilatura's defaults keep on some sites: share bars, newsletter boxes,
# "read more" lists, cookie banners, live-blog key-event summaries repeated below.
_PRUNE = [
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' newsletter')]",
    "//*[contains(@class, 'related') or contains(@class, 'read-more')]",
    "//*[contains(@class, 'share') or contains(@class, 'social')]",
    "//*[contains(@class, 'cookie') or contains(@id, 'cookie') or contains(@class, 'consent')]",
    "//*[contains(@class, 'promo') or contains(@class, 'advert') or contains(@class, 'sponsor')]",
    "//*[@role='complementary' or @aria-hidden='true']",
    "//figcaption",
    "//*[contains(@class, 'key-events')]",  # live blogs: a summary of entries that follow
    "//*[contains(@class, 'about-company') or contains(@class, 'media-contact')]",
]


def _import_trafilatura() -> None:
    # trafilatura imports urllib3's SOCKS support for its own downloader (unused here), which
    # warns when PySocks is missing; that notice is noise, not a problem of ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*SOCKS support.*")
        import trafilatura  # noqa: F401


@functools.cache
def _config() -> ConfigParser:
    _import_trafilatura()
    from trafilatura.settings import use_config

    config: ConfigParser = use_config()
    # CJK news is short in characters: under the default 250 trafilatura drops its own
    # structured result for a flattened fallback that glues the byline to the body.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "120")
    return config


@dataclass(frozen=True)
class Page:
    """What a page holds: its main text and whatever metadata it declares."""

    text: str
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    canonical_url: str | None = None


def decode_html(body: bytes, charset: str | None) -> str:
    """Decode HTML bytes: the HTTP charset, else the page's <meta>, else UTF-8, else a guess."""
    for candidate in (charset, _meta_charset(body)):
        if candidate:
            try:
                return body.decode(codecs.lookup(candidate).name, errors="replace")
            except LookupError:
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        _import_trafilatura()
        from trafilatura.utils import decode_file

        return str(decode_file(body))


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:2048])
    return match.group(1).decode("ascii") if match else None


def extract_page(html: str, *, url: str | None = None) -> Page:
    """Extract the article of an HTML page; raise NoArticleError when there is none."""
    _import_trafilatura()
    from trafilatura import bare_extraction

    document: Any = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,  # news bodies lose closing paragraphs under the default
        prune_xpath=_PRUNE,
        config=_config(),
        # Declared dates only: a guess from text ("Dec 4" in a dateline) is worse than none.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    title = _clean(getattr(document, "title", None))
    first, _, rest = text.partition("\n")
    if title and rest and first.strip().casefold() == title.casefold():
        text = rest.strip()  # the headline travels as the title; twice would skew the briefing
    if not text:
        raise NoArticleError(
            "I found no article on that page (it may be a video, a picture gallery, or a page "
            "that needs JavaScript or a login)."
        )
    if len(text) < _WALL_MAX_CHARS and _WALL.search(text):
        raise NoArticleError(
            "That page shows a paywall, login or cookie wall instead of the article."
        )
    return Page(
        text=text,
        title=title,
        site=_clean(getattr(document, "sitename", None)),
        author=_clean(getattr(document, "author", None)),
        published=_clean(getattr(document, "date", None)),
        canonical_url=_clean(getattr(document, "url", None)),
    )


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
