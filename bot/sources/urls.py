"""Links in messages, and the canonical form that makes one article one cache entry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

# A bare link in text Telegram sent without entities (pasted into /brief, the CLI).
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"\u00bb\u201d\u2019"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASH = re.compile("%2F", re.IGNORECASE)
_PATH_SAFE = "/:@!$&'()*+,;=~"

# Query parameters that say how the reader arrived, never which page they read: campaign tags
# and click ids of ad and mail platforms and analytics. Names only, lower-case.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "ysclid", "twclid", "ttclid", "li_fat_id", "epik", "rdt_cid", "scid",
        "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp",
        "hsctatracking", "vero_id", "vero_conv", "oly_anon_id", "oly_enc_id", "wickedid",
        "rb_clickid", "s_cid", "_openstat", "igshid", "igsh", "ref_src", "ref_url",
        "_ga", "_gl", "_ke", "xtor", "ncid", "sr_share", "cmpid", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "matomo_", "piwik_", "stm_")
# Names that track on these sites only (elsewhere "si" or "feature" may well name a page).
_TRACKING_BY_SITE = {
    "youtube.com": ("si", "feature", "pp"),
    "youtu.be": ("si", "feature"),
    "spotify.com": ("si",),
    "twitter.com": ("s", "t"),
    "x.com": ("s", "t"),
}


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
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = _kept_query(parts.query, host.removeprefix("www."))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def url_key(url: str) -> str:
    """Return a key equal for every link to the same page: http/https, www., utm_*…."""
    try:
        parts = urlsplit(canonical_url(with_scheme(url)))
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return url
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _same_escapes(parts.path).rstrip("/") or "/"
    return urlunsplit(("", netloc, path, parts.query, "")).removeprefix("//")


def _same_escapes(path: str) -> str:
    # "/%40alice" and "/@alice" are one page (extractors escape what the page wrote); an
    # escaped slash stays escaped, as it is not a path separator to the server.
    return "%2F".join(quote(unquote(part), safe=_PATH_SAFE) for part in _SLASH.split(path))


def _kept_query(query: str, host: str) -> str:
    # Parameters stay as written (no re-encoding) and are sorted, so their order never matters;
    # only names known to track the reader go: anything else may be what names the page
    # (?v=, ?article=, ?id=, ?p=).
    extra = next((names for site, names in _TRACKING_BY_SITE.items() if _on(host, site)), ())
    kept = sorted(
        pair
        for pair in query.split("&")
        if pair and not _is_tracking(unquote_plus(pair.split("=", 1)[0]).lower(), extra)
    )
    return "&".join(kept)


def _is_tracking(name: str, extra: Iterable[str]) -> bool:
    return name in TRACKING_PARAMETERS or name.startswith(_TRACKING_PREFIXES) or name in extra


def _on(host: str, site: str) -> bool:
    return host == site or host.endswith(f".{site}")


def host_label(url: str) -> str:
    """Name a link's site by its host, as a reader would ("example.com")."""
    try:
        host = urlsplit(with_scheme(url)).hostname or url
    except ValueError:
        return url
    return host.removeprefix("www.")
