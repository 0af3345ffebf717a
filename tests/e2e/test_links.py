"""Links and documents through the whole bot: real PTB Application, fake Bot API, fake web."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.sources.article_reader import SourceService
from bot.telegram.limiter import PriorityRateLimiter
from tests.briefings import KOREA_FOOTER, echo_briefing, fixture, korea_briefing, news, newsroom
from tests.fake_telegram import parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import GROUP as GROUP_ID
from tests.harness import OTHER_USER, STRANGER, USER, Bot, running_bot
from tests.pages import news_page
from tests.pdfs import bomb_pdf, make_pdf

KOREA = fixture("korea.txt")
PUBLIC = "93.184.216.34"


def visible(html: str) -> str:
    return parse_html(html)[0]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def url_entities(text: str, *urls: str) -> list[dict[str, object]]:
    """Entities as Telegram sends them: offsets and lengths in UTF-16 code units."""
    out = []
    for url in urls:
        start = text.index(url)
        out.append({"type": "url", "offset": utf16(text[:start]), "length": utf16(url)})
    return out


@pytest.fixture
def web():
    with FakeWeb() as fake:
        fake.add("/korea", news_page(KOREA))
        fake.add("/harbour", news_page(news("harbour strike"), site="Port Daily", author=None))
        yield fake


@pytest.fixture
def resolver():
    fake = FakeResolver()
    for host in ("news.test", "www.news.test", "port.test"):
        fake.set(host, [PUBLIC])
    fake.set("intranet.test", ["10.0.0.8"])
    return fake


@pytest.fixture
async def transport(web):
    routing = RoutingTransport(web)
    yield routing
    await routing.aclose()


@pytest.fixture
async def link_bot(tg, fake_llm, make_settings, web, resolver, transport):
    """The bot with its fetcher pointed at the fake web as if it were public hosts."""
    fake_llm.responder = newsroom({"Park Won-gon": korea_briefing()})
    async with running_bot(tg, fake_llm, make_settings, fetch_timeout_s=2.0) as running:
        running.services.sources = SourceService(
            running.settings, resolver=resolver, transport=transport
        )
        yield running


def send_link(bot: Bot, text: str, *urls: str, **kw) -> dict[str, Any]:
    return bot.tg.user_message(
        USER, USER, text, entities=url_entities(text, *(urls or (text,))), **kw
    )


async def test_link_is_fetched_and_briefed_with_the_page_as_source(link_bot: Bot, web) -> None:
    sent = send_link(link_bot, "http://news.test/korea")
    [reply] = await link_bot.replies(USER)
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert "North Korea fires missile as allies drill" in reply["text"]
    assert (
        '<a href="http://news.test/korea">Korea Watch · Jane Park · 2026-03-12</a>' in reply["text"]
    )
    assert KOREA_FOOTER in visible(reply["text"])
    article = link_bot.llm.requests[0].user
    assert "overwhelming force" in article and "Park Won-gon" in article  # the whole body
    for boilerplate in ("Accept all cookies", "Related stories", "newsletter", "Comments (212)",
                        "Share on X", "All rights reserved", "Totally agree"):  # fmt: skip
        assert boilerplate not in article
    assert web.paths() == ["/korea"]


async def test_same_article_through_another_link_costs_no_fetch_and_no_call(
    link_bot: Bot, web
) -> None:
    send_link(link_bot, "http://news.test/korea?utm_source=tg&fbclid=xyz")
    await link_bot.replies(USER, 1)
    for variant in (
        "https://www.news.test/korea#comments",
        "https://news.test/korea/?gclid=1&mc_eid=7",
    ):
        send_link(link_bot, variant)
    replies = await link_bot.replies(USER, 3)
    assert all("from cache" in visible(r["text"]) for r in replies[1:])
    assert web.paths() == ["/korea?utm_source=tg&fbclid=xyz"]
    assert link_bot.llm.calls == 1


async def test_hidden_text_link_is_followed(link_bot: Bot, web) -> None:
    text = "Read this one"
    entity = {"type": "text_link", "offset": 5, "length": 4, "url": "http://news.test/korea"}
    link_bot.tg.user_message(USER, USER, text, entities=[entity])
    [reply] = await link_bot.replies(USER)
    assert "North Korea fires missile" in reply["text"]
    assert web.paths() == ["/korea"]


@pytest.mark.parametrize(
    "prefix",
    ["🇰🇷🔥 ", "Северная Корея снова: ", "朝鲜再次发射导弹 👉 ", "👨‍👩‍👧‍👦 𝕂𝕠𝕣𝕖𝕒 "],
)
async def test_links_after_emoji_and_non_latin_text_are_read_whole(
    link_bot: Bot, web, prefix
) -> None:
    url = "http://news.test/korea"
    send_link(link_bot, prefix + url, url)
    [reply] = await link_bot.replies(USER)
    assert "North Korea fires missile" in reply["text"]
    assert web.paths() == ["/korea"]


async def test_brief_command_with_a_link_and_as_reply_to_a_link(link_bot: Bot, web) -> None:
    text = "/brief http://news.test/korea"
    link_bot.tg.user_message(USER, USER, text, entities=[
        {"type": "bot_command", "offset": 0, "length": 6}, *url_entities(text, "http://news.test/korea")
    ])  # fmt: skip
    [first] = await link_bot.replies(USER)
    assert "North Korea fires missile" in first["text"]
    target = link_bot.tg.user_message(GROUP_ID, USER, "http://port.test/harbour",
                                      entities=url_entities("http://port.test/harbour", "http://port.test/harbour"))  # fmt: skip
    link_bot.tg.command(
        GROUP_ID, USER, "brief", reply_to_message_id=target["message"]["message_id"]
    )
    [second] = await link_bot.replies(GROUP_ID)
    assert "Harbour Strike officials said" in second["text"]
    assert "Port Daily" in second["text"]
    assert web.paths() == ["/korea", "/harbour"]


async def test_several_links_brief_the_first_and_offer_the_others(link_bot: Bot, web) -> None:
    text = "Two takes: http://news.test/korea and http://port.test/harbour"
    send_link(link_bot, text, "http://news.test/korea", "http://port.test/harbour")
    replies = await link_bot.replies(USER, 2)
    # The hint comes from the handler, the briefing from a worker: either may arrive first.
    [briefing] = [r for r in replies if "North Korea fires missile" in r["text"]]
    [hint] = [r for r in replies if r is not briefing]
    assert "2 links; I briefed the first" in hint["text"]
    assert "http://port.test/harbour" in hint["text"]
    assert web.paths() == ["/korea"]


async def test_post_with_its_own_text_and_a_link_is_briefed_from_its_text(
    link_bot: Bot, web
) -> None:
    url = "https://port.test/harbour"
    text = KOREA + "\n\nMore: " + url
    send_link(link_bot, text, url, forward_origin=link_bot.tg.origin_channel(title="Korea Desk"))
    [reply] = await link_bot.replies(USER)
    assert "North Korea fires missile" in reply["text"]
    assert f'<a href="{url}">Korea Desk</a>' in reply["text"]
    assert web.paths() == []


REFUSED_IN_CHAT = [
    "http://127.0.0.1:{port}/korea", "http://localhost:{port}/korea", "http://localhost.:{port}/",
    "http://0.0.0.0:{port}/", "http://[::1]:{port}/", "http://[::ffff:127.0.0.1]:{port}/",
    "http://2130706433:{port}/", "http://0x7f000001:{port}/", "http://0177.0.0.1:{port}/",
    "http://127.1:{port}/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
    "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/",
    "http://[fe80::1]/", "http://intranet.test/", "http://example.com@127.0.0.1:{port}/",
]  # fmt: skip


async def test_refused_targets_get_a_clear_reply_and_no_connection(
    link_bot: Bot, web, resolver, transport
) -> None:
    # 19 replies to one private chat: Telegram's pacing (one a second) is not what this tests.
    limiter = link_bot.app.bot.rate_limiter
    assert isinstance(limiter, PriorityRateLimiter)
    limiter.budget.limits = replace(limiter.budget.limits, private_interval_s=0.02)
    for n, template in enumerate(REFUSED_IN_CHAT, start=1):
        url = template.format(port=web.port)
        send_link(link_bot, url)
        replies = await link_bot.replies(USER, n)
        text = visible(replies[-1]["text"])
        assert "private network" in text or "user name or password" in text, (url, text)
        assert "paste the article's text" in text
    assert web.hits == []
    assert transport.dialled == []
    assert resolver.lookups == ["intranet.test"]  # the only name; literals never reach DNS
    assert link_bot.llm.calls == 0


@pytest.mark.parametrize(
    ("path", "setup", "why"),
    [
        ("/gone", lambda w: None, "doesn't exist (HTTP 404)"),
        (
            "/paywall",
            lambda w: w.add(
                "/paywall",
                "<html><body><h1>Big story</h1><p>Subscribe to continue reading this article.</p></body></html>",
            ),
            "paywall",
        ),
        (
            "/video",
            lambda w: w.add("/video", b"\x00\x00\x00 ftypmp4", "video/mp4"),
            "a video, not an article",
        ),
        (
            "/empty",
            lambda w: w.add(
                "/empty", "<html><body><div id='app'></div><script>render()</script></body></html>"
            ),
            "no article",
        ),
        (
            "/teaser",
            lambda w: w.add(
                "/teaser",
                "<html><body><article><h1>Teaser</h1><p>A short teaser of twelve words only, nothing more to read here.</p></article></body></html>",
            ),
            "too little text",
        ),
        ("/slow", lambda w: w.drip("/slow", b"<p>.", every=0.05), "took too long"),
    ],
)
async def test_pages_without_an_article_get_a_clear_reply_and_no_llm_call(
    link_bot: Bot, web, path, setup, why
) -> None:
    setup(web)
    send_link(link_bot, f"http://news.test{path}")
    [reply] = await link_bot.replies(USER)
    text = visible(reply["text"])
    assert why in text
    assert "Forward the post or paste the article's text instead." in text
    assert link_bot.llm.calls == 0


async def test_strangers_trigger_no_fetch(link_bot: Bot, web) -> None:
    link_bot.tg.user_message(STRANGER, STRANGER, "http://news.test/korea",
                             entities=url_entities("http://news.test/korea"))  # fmt: skip
    [reply] = await link_bot.replies(STRANGER)
    assert "this bot is private" in reply["text"]
    assert web.hits == []


async def test_fetching_counts_against_the_hourly_limit(tg, fake_llm, make_settings, web) -> None:
    fake_llm.responder = newsroom({"Park Won-gon": korea_briefing()})
    resolver = FakeResolver({"news.test": [[PUBLIC]], "port.test": [[PUBLIC]]})
    transport = RoutingTransport(web)
    async with running_bot(tg, fake_llm, make_settings, user_rate_limit_per_hour=1) as bot:
        bot.services.sources = SourceService(bot.settings, resolver=resolver, transport=transport)
        send_link(bot, "http://news.test/korea")
        await bot.replies(USER, 1)
        send_link(bot, "http://port.test/harbour")
        replies = await bot.replies(USER, 2)
        assert "try again in" in replies[1]["text"]
        send_link(bot, "https://news.test/korea?utm_medium=x")  # cached page and briefing: free
        replies = await bot.replies(USER, 3)
        assert "from cache" in visible(replies[2]["text"])
    await transport.aclose()
    assert web.paths() == ["/korea"]
    assert fake_llm.calls == 1


# --- documents --------------------------------------------------------------------------------
@pytest.fixture
async def doc_bot(tg, fake_llm, make_settings):
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings) as running:
        yield running


REPORT_LINES = [
    "Harbour Strike Report",
    *[f"Dock workers in the northern harbour stayed out for day {i} of the strike." for i in range(1, 12)],
]  # fmt: skip


@pytest.mark.parametrize(
    ("file_name", "mime", "content"),
    [
        (
            "report.pdf",
            "application/pdf",
            make_pdf([REPORT_LINES[:6], REPORT_LINES[6:]], title="Harbour Strike Report"),
        ),
        ("report.html", "text/html", news_page("\n\n".join(REPORT_LINES)).encode()),
        ("report.txt", "text/plain", "\n\n".join(REPORT_LINES).encode()),
        ("report.PDF", None, make_pdf([REPORT_LINES])),
    ],
)
async def test_documents_are_downloaded_and_briefed(doc_bot: Bot, file_name, mime, content) -> None:
    document = doc_bot.tg.add_file(content, file_name=file_name, mime_type=mime)
    sent = doc_bot.tg.user_document(
        USER, USER, document, forward_origin=doc_bot.tg.origin_channel(title="Port Desk")
    )
    [reply] = await doc_bot.replies(USER)
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert "Port Desk" in reply["text"]
    assert "day 11 of the strike" in doc_bot.llm.requests[0].user
    assert [r.status for r in doc_bot.tg.requests("getFile")] == [200]
    assert [r.status for r in doc_bot.tg.requests("fileDownload")] == [200]


async def test_a_pdf_pypdf_gives_up_on_gets_damaged_not_something_went_wrong(
    doc_bot: Bot,
) -> None:
    document = doc_bot.tg.add_file(bomb_pdf(), file_name="bomb.pdf", mime_type="application/pdf")
    doc_bot.tg.user_document(USER, USER, document)
    [reply] = await doc_bot.replies(USER)
    assert "That PDF is damaged" in visible(reply["text"])
    assert "went wrong" not in visible(reply["text"])
    assert doc_bot.llm.calls == 0


async def test_scanned_pdf_gets_a_clear_reply(doc_bot: Bot) -> None:
    document = doc_bot.tg.add_file(
        make_pdf([[], []]), file_name="scan.pdf", mime_type="application/pdf"
    )
    doc_bot.tg.user_document(USER, USER, document)
    [reply] = await doc_bot.replies(USER)
    assert "no text layer" in visible(reply["text"])
    assert doc_bot.llm.calls == 0


@pytest.mark.parametrize(
    ("file_name", "mime", "content", "size", "why"),
    [
        ("huge.pdf", "application/pdf", b"%PDF-1.4", 25 * 1024 * 1024, "up to 20 MB"),
        ("photo.png", "image/png", b"\x89PNG", None, "I can brief PDF, HTML and plain-text files"),
        ("data.zip", "application/zip", b"PK", None, "I can brief PDF, HTML and plain-text files"),
        ("broken.pdf", "application/pdf", b"%PDF-1.4 not really", None, "damaged"),
    ],
)
async def test_unusable_documents_are_explained(
    doc_bot: Bot, file_name, mime, content, size, why
) -> None:
    document = doc_bot.tg.add_file(content, file_name=file_name, mime_type=mime, declared_size=size)
    doc_bot.tg.user_document(USER, USER, document)
    [reply] = await doc_bot.replies(USER)
    assert why in visible(reply["text"])
    assert doc_bot.llm.calls == 0


async def test_fake_get_file_rejects_like_telegram(doc_bot: Bot) -> None:
    from telegram.error import BadRequest

    big = doc_bot.tg.add_file(
        b"x", file_name="a.pdf", mime_type="application/pdf", declared_size=21 * 1024 * 1024
    )
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await doc_bot.app.bot.get_file(big["file_id"])
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await doc_bot.app.bot.get_file("no-such-file")


async def test_link_article_is_linked_in_who_and_in_the_overview(link_bot: Bot) -> None:
    send_link(link_bot, "http://news.test/korea")
    await link_bot.replies(USER, 1)
    link_bot.tg.command(USER, USER, "who", args="Kim Jong Un")
    who = (await link_bot.replies(USER, 2))[1]
    link_bot.tg.command(USER, USER, "brief")  # the last 24 h overview
    overview = (await link_bot.replies(USER, 3))[2]
    assert '<a href="http://news.test/korea">' in who["text"]
    assert "Korea Watch · Jane Park · 2026-03-12" in visible(who["text"])
    assert "http://news.test/korea" in overview["text"]


async def test_ipv6_only_site_is_fetched_through_its_checked_address(
    tg, fake_llm, make_settings, web
) -> None:
    fake_llm.responder = newsroom({"Park Won-gon": korea_briefing()})
    resolver = FakeResolver({"v6.test": [["2606:2800::1"]]})
    transport = RoutingTransport(web)
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.services.sources = SourceService(bot.settings, resolver=resolver, transport=transport)
        send_link(bot, "https://v6.test/korea")
        [reply] = await bot.replies(USER)
    await transport.aclose()
    assert "North Korea fires missile" in reply["text"]
    assert transport.dialled == ["2606:2800::1"]
    assert transport.sni == ["v6.test"]


async def test_two_chats_sharing_a_fresh_link_at_once_cause_one_fetch(link_bot: Bot, web) -> None:
    # The page takes a moment to arrive, so the second request finds the first in flight.
    web.drip("/slow-korea", news_page(KOREA).encode(), every=0.3, count=1)
    for user in (USER, OTHER_USER):
        link_bot.tg.user_message(user, user, "http://news.test/slow-korea",
                                 entities=url_entities("http://news.test/slow-korea"))  # fmt: skip
    [first] = await link_bot.replies(USER)
    [second] = await link_bot.replies(OTHER_USER)
    assert "North Korea fires missile" in first["text"]
    assert "North Korea fires missile" in second["text"]
    assert web.paths() == ["/slow-korea"]
    assert link_bot.llm.calls == 1
