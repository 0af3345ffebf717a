"""Feeds, channel pages and autodiscovery parsed (pure functions, no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.channel import channel_name, parse_channel, preview_url
from bot.feeds.followed_html import every
from bot.feeds.items import item_keys
from bot.feeds.parse import FeedItem, NotAFeedError, discover, parse_feed, plain_text
from tests.feed_pages import Entry, Post, atom, channel_page, rss, site_with_feed

T0 = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


def entries(n: int) -> list[Entry]:
    return [
        Entry(f"id-{i}", f"https://news.test/a/{i}", f"Story {i}", f"Summary <b>{i}</b> & more", T0)
        for i in range(n)
    ]


def test_rss_items_have_guid_link_date_and_plain_summary() -> None:
    feed = parse_feed(rss(entries(2)).encode(), "https://news.test/feed.xml", max_items=10)
    assert feed.title == "Korea Watch" and feed.total == 2
    first = feed.items[0]
    assert (first.guid, first.link, first.title) == ("id-0", "https://news.test/a/0", "Story 0")
    assert first.summary == "Summary 0 & more"  # tags gone, entities decoded
    assert first.published == T0


def test_atom_relative_links_resolve_against_xml_base_and_feed_url() -> None:
    items = [
        Entry("urn:1", "/story/1", "One", "x", T0),
        Entry("urn:2", "story/2", "Two", "y", None),
    ]
    feed = parse_feed(
        atom(items, base="https://port.test/news/").encode(), "https://port.test/atom", max_items=10
    )
    assert [i.link for i in feed.items] == [
        "https://port.test/story/1",
        "https://port.test/news/story/2",
    ]
    assert feed.title == "Port Daily"


def test_rss_relative_links_resolve_against_the_feed_url() -> None:
    body = rss([Entry("g", "/a/1", "One", "x", T0)]).encode()
    [item] = parse_feed(body, "https://news.test/feeds/main.xml", max_items=5).items
    assert item.link == "https://news.test/a/1"


def test_huge_feed_is_capped_but_counted() -> None:
    feed = parse_feed(rss(entries(300)).encode(), "https://news.test/feed.xml", max_items=25)
    assert len(feed.items) == 25 and feed.total == 300
    assert feed.items[0].title == "Story 0"  # the feed's own order: newest first


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hello</p></body></html>",
        b"",
        b"\x00\x01\x02 binary",
        b'{"version": "https://jsonfeed.org/version/1"}',
    ],
    ids=["html-served-as-feed", "empty", "binary", "json"],
)
def test_not_a_feed_is_refused_clearly(body: bytes) -> None:
    with pytest.raises(NotAFeedError, match="RSS or Atom"):
        parse_feed(body, "https://news.test/feed.xml", max_items=10)


def test_malformed_xml_still_yields_the_readable_items() -> None:
    good = rss(entries(2))
    broken = good.replace("</channel></rss>", "<item><title>Broken & unescaped <b>tag</title>")
    feed = parse_feed(broken.encode(), "https://news.test/feed.xml", max_items=10)
    assert [i.title for i in feed.items][:2] == ["Story 0", "Story 1"]


def test_autodiscovery_finds_declared_feeds_only() -> None:
    page = site_with_feed("/feed.xml").encode()
    assert discover(page, "https://news.test/") == ["https://news.test/feed.xml"]
    assert (
        discover(
            b"<html><head><link rel='stylesheet' href='/a.css'></head></html>", "https://x.test/"
        )
        == []
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("@koreawatch", "koreawatch"),
        ("t.me/koreawatch", "koreawatch"),
        ("https://t.me/koreawatch", "koreawatch"),
        ("https://t.me/s/koreawatch", "koreawatch"),
        ("telegram.me/korea_watch", "korea_watch"),
        ("https://t.me/koreawatch/123", None),  # one post, not a channel
        ("https://t.me/+AbCdEf123", None),  # a private invite
        ("@abc", None),  # too short for a username
        ("https://news.test/koreawatch", None),
        ("koreawatch", None),
    ],
)
def test_channel_names(text: str, name: str | None) -> None:
    assert channel_name(text) == name


def test_channel_page_posts_newest_first_with_permalinks_and_links() -> None:
    posts = [
        Post(41, "Old post\nsecond line", T0),
        Post(
            42,
            "Seoul and Washington began drills.",
            T0.replace(hour=9),
            link="https://news.test/a/42",
        ),
    ]
    feed = parse_channel(
        channel_page("koreawatch", "Korea Watch", posts).encode(),
        preview_url("koreawatch"),
        max_items=10,
    )
    assert feed.title == "Korea Watch"
    newest, oldest = feed.items
    assert (
        newest.permalink == "https://t.me/koreawatch/42" and newest.link == "https://news.test/a/42"
    )
    assert newest.published == T0.replace(hour=9) and newest.own_text
    assert oldest.summary == "Old post\nsecond line" and oldest.link is None
    assert oldest.title == "Old post"


CONTACT_PAGE = b"""<!DOCTYPE html><html><head><meta property="og:title" content="Telegram: Contact @nobody">
<meta property="og:description" content="You can contact @nobody right away."></head>
<body class="tgme_page_body"><div class="tgme_page"><div class="tgme_page_title"><span dir="auto">Nobody</span></div>
<div class="tgme_page_action"><a class="tgme_action_button_new" href="tg://resolve?domain=nobody">Send Message</a></div></div></body></html>"""


@pytest.mark.parametrize(
    "page",
    [b"<html><body><p>Nothing</p></body></html>", CONTACT_PAGE],
    ids=["plain", "contact-page"],
)
def test_a_page_that_is_not_a_channel_preview_is_refused(page: bytes) -> None:
    with pytest.raises(NotAFeedError, match="public channel"):
        parse_channel(page, "https://t.me/s/nobody", max_items=5)


def test_a_channel_with_no_posts_yet_is_followable() -> None:
    feed = parse_channel(
        channel_page("brandnew", "Brand New", []).encode(), preview_url("brandnew"), max_items=5
    )
    assert (feed.title, feed.items) == ("Brand New", [])


def test_item_keys_fall_back_to_text_when_there_is_no_guid_or_link() -> None:
    a = FeedItem(None, None, "T", "text", None)
    b = FeedItem(None, None, "T", "other text", None)
    assert item_keys(a)[0] != item_keys(b)[0] and item_keys(a)[1] is None
    with_link = FeedItem(None, "https://www.news.test/a/1?utm_source=rss", "T", "", None)
    assert (
        item_keys(with_link)[1]
        == item_keys(FeedItem(None, "https://news.test/a/1", "T", "", None))[1]
    )


def test_plain_text_of_html_fragments() -> None:
    assert plain_text("<p>One<br>two &amp; <i>three</i></p>") == "One two & three"
    assert plain_text("") == ""


@pytest.mark.parametrize(
    ("seconds", "said"), [(900, "15 min"), (45, "45 s"), (7200, "2 h"), (5400, "90 min")]
)
def test_poll_interval_is_said_plainly(seconds: float, said: str) -> None:
    assert every(seconds) == said


def test_every_feed_setting_is_documented() -> None:
    from pathlib import Path

    from bot.config import Settings

    root = Path(__file__).resolve().parents[2]
    example = (root / ".env.example").read_text(encoding="utf-8")
    table = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    names = [n.upper() for n in Settings.model_fields if n.startswith("feed_")]
    assert len(names) == 11
    for name in names:
        assert f"\n{name}=" in example and f"| `{name}` |" in table, name
