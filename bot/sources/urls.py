"""Links in messages, and the canonical form that makes one article one cache entry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

# A bare link in text Telegram sent without entities (pasted into /brief, the CLI).
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"\u00bb\u201d\u2019"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def with_scheme(url: str) -> str:
    """Give a scheme-less link ("www.example.com/a") the http:// a browser would."""
    url = url.strip()
    return url if _SCHEME.match(url) else f"http://{url}"


def links_in_text(text: str) -> list[str]:
    """Find bare http(s) and www. links in plain text, without trailing punctuation."""
    return [with_scheme(m.group().rstrip(_TRAILING)) for m in _URL_IN_TEXT.finditer(text)]


def unique(urls: Iterable[str]) -> list[str]:
    """Keep each link once (by its canonical key), in order of appearance."""
    seen: set[str] = set()
    kept = []
    for url in urls:
        key = url_key(url)
        if key not in seen:
            seen.add(key)
            kept.append(url)
    return kept


def canonical_url(url: str) -> str:
    """Return the URL without tracking parameters and fragment, host lower-cased."""
    from courlan import normalize_url

    try:
        return str(normalize_url(url, strict=True))
    except ValueError:
        return url


def url_key(url: str) -> str:
    """Return a key equal for every link to the same page: http/https, www., utm_*…."""
    try:
        parts = urlsplit(canonical_url(with_scheme(url)))
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return url
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", netloc, path, parts.query, "")).removeprefix("//")


def host_label(url: str) -> str:
    """Name a link's site by its host, as a reader would ("example.com")."""
    try:
        host = urlsplit(with_scheme(url)).hostname or url
    except ValueError:
        return url
    return host.removeprefix("www.")
