"""The SSRF-safe fetcher against a fake web on loopback, a scripted resolver and a router."""

from __future__ import annotations

import pytest

from bot.errors import FetchFailedError, RefusedURLError
from bot.sources.fetch import Fetcher, Limits
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport

PUBLIC = "93.184.216.34"  # routed to the fake web by RoutingTransport
PAGE = "<html><head><title>T</title></head><body><p>Hello</p></body></html>"


@pytest.fixture
def web():
    with FakeWeb() as fake:
        yield fake


@pytest.fixture
def resolver():
    fake = FakeResolver()
    fake.set("news.test", [PUBLIC])
    fake.set("other.test", [PUBLIC])
    fake.set("intranet.test", ["10.1.2.3"])
    fake.set("metadata.test", ["169.254.169.254"])
    fake.set("mixed.test", [PUBLIC, "192.168.0.7"])
    fake.set("rebind.test", [PUBLIC], ["127.0.0.1"])  # public first, private on the 2nd lookup
    return fake


@pytest.fixture
async def transport(web):
    routing = RoutingTransport(web)
    yield routing
    await routing.aclose()


@pytest.fixture
def fetcher(resolver, transport):
    return Fetcher(Limits(max_bytes=200_000, timeout_s=3.0), resolver=resolver, transport=transport)


# Every target the issue lists; {port} is the fake web's, so a slip would show in its hit log.
REFUSED = [
    ("http://127.0.0.1:{port}/", "private network"),
    ("http://localhost:{port}/", "private network"),
    ("http://localhost.:{port}/", "private network"),
    ("http://LOCALHOST:{port}/", "private network"),
    ("http://api.localhost:{port}/", "private network"),
    ("http://0.0.0.0:{port}/", "private network"),
    ("http://[::1]:{port}/", "private network"),
    ("http://[::ffff:127.0.0.1]:{port}/", "private network"),
    ("http://[::ffff:7f00:1]:{port}/", "private network"),
    ("http://[::127.0.0.1]:{port}/", "private network"),
    ("http://2130706433:{port}/", "private network"),
    ("http://0x7f000001:{port}/", "private network"),
    ("http://0177.0.0.1:{port}/", "private network"),
    ("http://127.1:{port}/", "private network"),
    ("http://0x7f.1:{port}/", "private network"),
    ("http://169.254.169.254/latest/meta-data/", "private network"),
    ("http://[fd00:ec2::254]/", "private network"),
    ("http://10.0.0.1/", "private network"),
    ("http://172.16.0.1/", "private network"),
    ("http://192.168.1.1/", "private network"),
    ("http://100.64.0.1/", "private network"),
    ("http://224.0.0.251/", "private network"),
    ("http://240.0.0.1/", "private network"),
    ("http://[fd00::1]/", "private network"),
    ("http://[fe80::1]/", "private network"),
    ("http://[ff02::1]/", "private network"),
    ("http://[64:ff9b::a00:1]/", "private network"),
    ("http://[2002:c0a8:101::1]/", "private network"),
    ("http://intranet.test:{port}/", "private network"),
    ("http://metadata.test/latest/meta-data/", "private network"),
    ("http://mixed.test/", "private network"),
    ("file:///etc/passwd", "only fetch http and https"),
    ("ftp://news.test/file.txt", "only fetch http and https"),
    ("gopher://news.test:70/_GET", "only fetch http and https"),
    ("data:text/html,<p>hi</p>", "only fetch http and https"),
    ("javascript:alert(1)", "only fetch http and https"),
    ("http://example.com@127.0.0.1:{port}/", "user name or password"),
    ("http://user:pw@news.test/", "user name or password"),
    ("http://news.test\\@127.0.0.1:{port}/", "characters a web address"),
    ("http://1.2.3.999/", "not valid"),
    ("http://nowhere.test/", "couldn't find the site"),
]


@pytest.mark.parametrize(("template", "why"), REFUSED)
async def test_refused_targets_open_no_connection(
    fetcher, web, resolver, transport, template, why
) -> None:
    url = template.format(port=web.port)
    with pytest.raises((RefusedURLError, FetchFailedError)) as caught:
        await fetcher.fetch(url)
    assert why in str(caught.value)
    assert web.hits == []
    assert transport.dialled == []
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if not host.endswith(".test"):  # literal addresses and bad schemes never reach DNS
        assert resolver.lookups == []


async def test_dns_rebinding_connects_to_the_address_that_was_checked(
    fetcher, web, resolver, transport
) -> None:
    web.add("/story", PAGE)
    fetched = await fetcher.fetch("http://rebind.test/story")
    assert b"Hello" in fetched.body
    assert resolver.lookups == ["rebind.test"]  # resolved once: the 2nd (private) answer unused
    assert transport.dialled == [PUBLIC]
    assert web.hits[0].host == "rebind.test"  # the name travels in Host, not in the connection


async def test_https_keeps_the_host_name_for_certificate_checks(fetcher, web, transport) -> None:
    web.add("/a", PAGE)
    await fetcher.fetch("https://news.test/a")
    assert transport.dialled == [PUBLIC]
    assert transport.sni == ["news.test"]
    assert web.hits[0].host == "news.test"


async def test_redirect_chain_into_a_private_network_is_cut_at_that_hop(fetcher, web) -> None:
    web.redirect("/r1", "/r2")
    web.redirect("/r2", f"http://127.0.0.1:{web.port}/secret")
    web.add("/secret", "<p>internal</p>")
    with pytest.raises(RefusedURLError, match="private network"):
        await fetcher.fetch("http://news.test/r1")
    assert web.paths() == ["/r1", "/r2"]


@pytest.mark.parametrize(
    "location",
    ["http://intranet.test/admin", "http://169.254.169.254/latest/", "file:///etc/passwd",
     "http://[::ffff:10.0.0.1]/", "http://2130706433/"],
)  # fmt: skip
async def test_every_redirect_hop_is_checked(fetcher, web, transport, location) -> None:
    web.redirect("/go", location, status=301)
    with pytest.raises(RefusedURLError):
        await fetcher.fetch("http://news.test/go")
    assert web.paths() == ["/go"]
    assert transport.dialled == [PUBLIC]


async def test_at_most_five_redirects(fetcher, web) -> None:
    for i in range(7):
        web.redirect(f"/hop{i}", f"/hop{i + 1}")
    web.add("/hop5", PAGE)
    fetched = await fetcher.fetch("http://news.test/hop0")  # five redirects: fine
    assert fetched.url.endswith("/hop5")
    for i in range(6):
        web.redirect(f"/long{i}", f"/long{i + 1}")
    web.add("/long6", PAGE)
    web.hits.clear()
    with pytest.raises(FetchFailedError, match="redirects more than 5"):
        await fetcher.fetch("http://news.test/long0")  # six redirects: refused
    assert len(web.hits) == 6
    assert "/long6" not in web.paths()


async def test_cookies_stay_with_the_host_that_set_them(fetcher, web) -> None:
    web.redirect("/consent", "/article", **{"Set-Cookie": "session=abc123; Path=/"})
    web.redirect("/article", "http://other.test/elsewhere")
    web.add("/elsewhere", PAGE)
    await fetcher.fetch("http://news.test/consent")
    cookies = [h.headers.get("Cookie") for h in web.hits]
    assert cookies == [None, "session=abc123", None]
    assert [h.host for h in web.hits] == ["news.test", "news.test", "other.test"]


async def test_declared_oversize_body_is_refused_unread(fetcher, web) -> None:
    web.add("/big", b"x" * 300_000)
    with pytest.raises(FetchFailedError, match="larger than I fetch"):
        await fetcher.fetch("http://news.test/big")


async def test_undeclared_oversize_body_is_cut_at_the_cap(fetcher, web) -> None:
    web.drip("/stream", b"<p>" + b"y" * 16_000, every=0, count=-1)  # never ends
    with pytest.raises(FetchFailedError, match="larger than I fetch"):
        await fetcher.fetch("http://news.test/stream")


async def test_slow_body_hits_the_total_time_cap(resolver, transport, web) -> None:
    fetcher = Fetcher(Limits(timeout_s=0.5), resolver=resolver, transport=transport)
    web.drip("/slow", b"<p>.", every=0.05, count=-1)
    with pytest.raises(FetchFailedError, match=r"too long to load \(over 0.5 s\)"):
        await fetcher.fetch("http://news.test/slow")


async def test_gzip_bomb_is_stopped_by_decompressed_size(fetcher, web) -> None:
    compressed = web.gzip_bomb("/bomb", inflated=20_000_000)
    assert compressed < 200_000  # small on the wire: only the inflated size gives it away
    with pytest.raises(FetchFailedError, match="larger than I fetch"):
        await fetcher.fetch("http://news.test/bomb")


async def test_gzip_page_is_decoded(fetcher, web) -> None:
    import gzip

    web.add("/gz", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    fetched = await fetcher.fetch("http://news.test/gz")
    assert fetched.body == PAGE.encode()
    assert web.hits[0].headers["Accept-Encoding"] == "gzip, deflate"


async def test_unrequested_brotli_is_refused(fetcher, web) -> None:
    web.add("/br", b"\x1b\x03\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchFailedError, match=r"encoding I can't read \(br\)"):
        await fetcher.fetch("http://news.test/br")


@pytest.mark.parametrize(
    ("content_type", "why"),
    [("image/png", "an image"), ("video/mp4", "a video"), ("audio/mpeg", "audio"),
     ("application/json", "application/json"), ("application/zip", "application/zip")],
)  # fmt: skip
async def test_wrong_content_types_are_refused(fetcher, web, content_type, why) -> None:
    web.add("/thing", b"\x89PNG...", content_type)
    with pytest.raises(FetchFailedError, match=f"leads to {why}, not an article"):
        await fetcher.fetch("http://news.test/thing")


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [("text/html; charset=utf-8", "html"), ("application/xhtml+xml", "html"),
     ("text/plain", "text"), ("application/pdf", "pdf"), (None, "html")],
)  # fmt: skip
async def test_allowed_content_types(fetcher, web, content_type, kind) -> None:
    web.add("/doc", b"%PDF-1.4 ..." if kind == "pdf" else PAGE.encode(), content_type)
    assert (await fetcher.fetch("http://news.test/doc")).kind == kind


@pytest.mark.parametrize(
    ("status", "why"),
    [(404, "doesn't exist"), (410, "doesn't exist"), (403, "may need a login"),
     (401, "may need a login"), (503, "isn't answering properly"), (429, "isn't answering")],
)  # fmt: skip
async def test_http_errors_say_what_happened(fetcher, web, status, why) -> None:
    web.add("/x", PAGE, status=status)
    with pytest.raises(FetchFailedError, match=why):
        await fetcher.fetch("http://news.test/x")


async def test_private_networks_only_with_the_dangerous_setting(web) -> None:
    web.add("/local", PAGE)
    fetched = await Fetcher(allow_private=True).fetch(web.url("/local"))
    assert b"Hello" in fetched.body
    with pytest.raises(RefusedURLError):
        await Fetcher().fetch(web.url("/local"))
    assert len(web.hits) == 1


async def test_connection_refused_is_a_clear_error() -> None:
    from tests.fake_web import free_port_refusing

    with pytest.raises(FetchFailedError, match="couldn't connect"):
        await Fetcher(allow_private=True).fetch(f"http://127.0.0.1:{free_port_refusing()}/")


# --- TLS: the connection goes to the checked address, the certificate is checked for the name ---
@pytest.fixture
def ca():
    import trustme

    return trustme.CA()


def tls_web(ca, *names: str) -> FakeWeb:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return FakeWeb(tls=context)


def trusting(ca):
    import ssl

    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_tls_to_the_pinned_address_verifies_the_host_name(ca) -> None:
    with tls_web(ca, "news.test") as web:
        web.add("/a", PAGE)
        # "news.test" exists only in this resolver: the connection can only go to its answer.
        resolver = FakeResolver({"news.test": [["127.0.0.1"]]})
        fetcher = Fetcher(allow_private=True, resolver=resolver, ssl_context=trusting(ca))
        fetched = await fetcher.fetch(f"https://news.test:{web.port}/a")
    assert b"Hello" in fetched.body
    assert web.hits[0].host == f"news.test:{web.port}"


async def test_tls_certificate_for_another_name_is_refused(ca) -> None:
    with tls_web(ca, "other.test") as web:
        web.add("/a", PAGE)
        resolver = FakeResolver({"news.test": [["127.0.0.1"]]})
        fetcher = Fetcher(allow_private=True, resolver=resolver, ssl_context=trusting(ca))
        with pytest.raises(FetchFailedError, match="security certificate is not valid"):
            await fetcher.fetch(f"https://news.test:{web.port}/a")
        assert web.hits == []
