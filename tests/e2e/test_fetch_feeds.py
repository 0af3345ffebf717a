"""The fetcher's feed mode: conditional GET (304, no body), feed content types, guards kept."""

from __future__ import annotations

import pytest

from bot.errors import FetchFailedError, RefusedURLError
from bot.sources.fetch import Fetcher, Limits, Validators
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport

PUBLIC = "93.184.216.34"
RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture
def web():
    with FakeWeb() as fake:
        yield fake


@pytest.fixture
async def fetcher(web):
    resolver = FakeResolver()
    resolver.set("news.test", [PUBLIC])
    resolver.set("intranet.test", ["10.1.2.3"])
    routing = RoutingTransport(web)
    yield Fetcher(Limits(max_bytes=50_000, timeout_s=3.0), resolver=resolver, transport=routing)
    await routing.aclose()


async def test_validators_are_sent_and_a_304_is_unchanged_with_no_body(fetcher, web) -> None:
    web.add("/feed", b"", None, status=304, headers={"ETag": '"abc"'})
    got = await fetcher.fetch(
        "http://news.test/feed",
        validators=Validators('"abc"', "Thu, 12 Mar 2026 08:00:00 GMT"),
        feeds=True,
    )
    assert got.not_modified and got.body == b"" and got.etag == '"abc"'
    headers = web.hits[-1].headers
    assert headers["If-None-Match"] == '"abc"'
    assert headers["If-Modified-Since"] == "Thu, 12 Mar 2026 08:00:00 GMT"
    assert "application/rss+xml" in headers["Accept"]


async def test_a_304_nobody_asked_for_is_an_error(fetcher, web) -> None:
    web.add("/feed", b"", None, status=304)
    with pytest.raises(FetchFailedError, match="HTTP 304"):
        await fetcher.fetch("http://news.test/feed", feeds=True)


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/rss+xml; charset=utf-8", "feed"),
        ("application/atom+xml", "feed"),
        ("text/xml", "feed"),
        ("application/xml", "feed"),
        (None, "feed"),  # sniffed from <?xml
        ("text/html", "html"),  # a site page: autodiscovery reads it
    ],
)
async def test_feed_mode_accepts_feed_types_and_reports_validators(
    fetcher, web, content_type, kind
) -> None:
    web.add(
        "/feed", RSS, content_type, headers={"ETag": '"v2"', "Last-Modified": "Mon, 1 Jan 2026"}
    )
    got = await fetcher.fetch("http://news.test/feed", feeds=True)
    assert got.kind == kind and not got.not_modified
    assert (got.etag, got.last_modified) == ('"v2"', "Mon, 1 Jan 2026")


async def test_links_never_accept_feed_types(fetcher, web) -> None:
    web.add("/feed", RSS, "application/rss+xml")
    with pytest.raises(FetchFailedError, match="application/rss\\+xml"):
        await fetcher.fetch("http://news.test/feed")


async def test_feed_mode_keeps_the_guards(fetcher, web) -> None:
    with pytest.raises(RefusedURLError):
        await fetcher.fetch("http://intranet.test/feed", feeds=True)
    web.redirect("/hop", "http://intranet.test/feed")
    with pytest.raises(RefusedURLError):
        await fetcher.fetch("http://news.test/hop", feeds=True)
    web.add("/big", "<?xml version='1.0'?><rss>" + "x" * 60_000 + "</rss>", "application/rss+xml")
    with pytest.raises(FetchFailedError, match="larger than"):
        await fetcher.fetch("http://news.test/big", feeds=True)
    assert web.paths() == ["/hop", "/big"]
