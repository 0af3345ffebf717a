"""Main text and metadata of a web page, with trafilatura tuned for news articles."""

from __future__ import annotations

import codecs
import copy
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.errors import NoArticleError
from bot.sources.walls import no_article_message, page_wall, phrase_wall

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# The HTML spec's encoding prescan, reduced: a <meta charset> or http-equiv in the first 2 KB.
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_WALL_MAX_CHARS = 1500  # a wall's phrase in a longer text is a footer, not the page
# Boilerplate trafilatura keeps on some sites, each rule kept because it measured better
# (benchmarks/extraction.py): "read more"/related lists inside the article's container, and
# the "about the company"/media-contact block of press releases.
_PRUNE = [
    "//*[contains(@class, 'related') or contains(@class, 'read-more')]",
    "//*[contains(@class, 'about-company') or contains(@class, 'media-contact')]",
]
# A class name matches wrappers too ("entry-content-read-more" holds a whole article): a
# rule never removes an element that holds more than this share of the page's paragraph text.
_GUARD_SHARE = 0.5
# Below this share of trafilatura's plain result the tuned one lost the article (a rule or
# the precision setting cut into it); legitimate trims of comments and lists stay above.
_FALLBACK_SHARE = 0.2
_PARAGRAPH_TEXT = ".//p//text()[not(ancestor::script or ancestor::style)]"


def _import_trafilatura() -> None:
    # trafilatura imports urllib3's SOCKS support for its own downloader (unused here), which
    # warns when PySocks is missing; that notice is noise, not a problem of ours.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*SOCKS support.*")
        import trafilatura  # noqa: F401


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
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise NoArticleError(no_article_message(None))
    # Both runs get their own copy: extraction edits the tree, and the original is still
    # needed to tell why a page has no article.
    tuned = _extract(prune(copy.deepcopy(tree), _PRUNE), url, tuned=True)
    plain = _extract(copy.deepcopy(tree), url, tuned=False)
    document = plain if lost_article(_text(tuned), _text(plain)) else tuned
    text = _text(document)
    title = _clean(getattr(document, "title", None))
    first, _, rest = text.partition("\n")
    if title and rest and first.strip().casefold() == title.casefold():
        text = rest.strip()  # the headline travels as the title; twice would skew the briefing
    if not text:
        raise NoArticleError(no_article_message(page_wall(tree)))
    if len(text) < _WALL_MAX_CHARS and (wall := phrase_wall(text)):
        raise NoArticleError(f"That page shows {wall} instead of the article.")
    return Page(
        text=text,
        title=title,
        site=_clean(getattr(document, "sitename", None)),
        author=_clean(getattr(document, "author", None)),
        published=_clean(getattr(document, "date", None)),
        canonical_url=_clean(getattr(document, "url", None)),
    )


def _extract(tree: HtmlElement, url: str | None, *, tuned: bool) -> Any:  # noqa: ANN401
    from trafilatura import bare_extraction

    return bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=tuned,  # measured: fewer bylines, captions and teasers, same recall
        # Declared dates only: a guess from text ("Dec 4" in a dateline) is worse than none.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _text(document: object) -> str:
    return (getattr(document, "text", None) or "").strip() if document is not None else ""


def lost_article(tuned: str, plain: str) -> bool:
    """Tell whether the tuned extraction lost the article that trafilatura's plain run found."""
    return len(tuned) < _FALLBACK_SHARE * len(plain)


def prune(tree: HtmlElement, rules: list[str]) -> HtmlElement:
    """Remove what the rules match, except an element holding most of the paragraph text."""
    total = _paragraph_chars(tree)
    for rule in rules:
        for element in tree.xpath(rule):
            parent = element.getparent()
            if parent is None or _paragraph_chars(element) > _GUARD_SHARE * total:
                continue
            _drop(element, parent)
    return tree


def _drop(element: HtmlElement, parent: HtmlElement) -> None:
    # The text after an element (its tail) belongs to the parent: keep it where it stood.
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(t.strip()) for t in element.xpath(_PARAGRAPH_TEXT))


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
