"""Feeds and pages for the feed tests: RSS 2.0, Atom, a site with autodiscovery, a channel page.

Written by hand in the shapes publishers and Telegram really serve (Telegram's web preview at
t.me/s/NAME: `tgme_widget_message` blocks with `data-post`, the text, and a date link).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime


@dataclass(frozen=True)
class Entry:
    """One item of a fixture feed."""

    guid: str
    link: str
    title: str
    summary: str
    published: datetime | None


def rss(
    entries: list[Entry], *, title: str = "Korea Watch", link: str = "https://news.test/"
) -> str:
    """An RSS 2.0 document (guid, link, description with HTML, pubDate in RFC 822)."""
    items = "\n".join(
        f"""<item><title>{html.escape(e.title)}</title><link>{html.escape(e.link)}</link>
<guid isPermaLink="false">{html.escape(e.guid)}</guid>
<description>{html.escape("<p>" + e.summary + "</p>")}</description>
{f"<pubDate>{format_datetime(e.published)}</pubDate>" if e.published else ""}</item>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{html.escape(title)}</title><link>{html.escape(link)}</link>
<description>News from the peninsula</description>
{items}
</channel></rss>"""


def atom(entries: list[Entry], *, title: str = "Port Daily", base: str | None = None) -> str:
    """An Atom 1.0 document; with `base`, links are relative to that xml:base."""
    xml_base = f' xml:base="{html.escape(base)}"' if base else ""
    items = "\n".join(
        f"""<entry><id>{html.escape(e.guid)}</id><title>{html.escape(e.title)}</title>
<link rel="alternate" href="{html.escape(e.link)}"/>
<updated>{(e.published or datetime(2026, 1, 1, tzinfo=UTC)).isoformat()}</updated>
<summary type="html">{html.escape(e.summary)}</summary></entry>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"{xml_base}>
<title>{html.escape(title)}</title><id>urn:port-daily</id>
<updated>2026-03-12T08:00:00Z</updated>
{items}
</feed>"""


def site_with_feed(feed_href: str, *, title: str = "Korea Watch") -> str:
    """A home page that declares its feed in <head> (RSS autodiscovery)."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="{html.escape(title)} — all news" href="{html.escape(feed_href)}">
</head><body><h1>{html.escape(title)}</h1><p>Latest news.</p></body></html>"""


@dataclass(frozen=True)
class Post:
    """One post of a fixture channel."""

    number: int
    text: str  # paragraphs separated by blank lines become <br/><br/>
    posted: datetime
    link: str | None = None  # an external link shown as a link preview


def channel_page(name: str, title: str, posts: list[Post]) -> str:
    """A t.me/s/NAME page in Telegram's markup: channel header, then posts oldest first."""
    blocks = []
    for p in posts:
        text = "<br/>".join(html.escape(line) for line in p.text.split("\n"))
        preview = (
            f'<a class="tgme_widget_message_link_preview" href="{html.escape(p.link)}">'
            f'<div class="link_preview_site_name" dir="auto">news.test</div></a>'
            if p.link
            else ""
        )
        blocks.append(f"""
<div class="tgme_widget_message_wrap js-widget_message_wrap">
 <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{name}/{p.number}" data-view="eyJjIjo">
  <div class="tgme_widget_message_user"><a href="https://t.me/{name}"><i class="tgme_widget_message_user_photo bgcolor0"></i></a></div>
  <div class="tgme_widget_message_bubble">
   <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{name}"><span dir="auto">{html.escape(title)}</span></a></div>
   <div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
   {preview}
   <div class="tgme_widget_message_footer compact js-message_footer">
    <div class="tgme_widget_message_info short js-message_info">
     <span class="tgme_widget_message_views">12.4K</span>
     <span class="copyonly"> views</span>
     <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{name}/{p.number}"><time datetime="{p.posted.isoformat()}" class="time">{p.posted:%H:%M}</time></a></span>
    </div>
   </div>
  </div>
 </div>
</div>""")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)} – Telegram</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:url" content="https://t.me/s/{name}">
</head><body class="widget_frame_base tgme_webpreview">
<header class="tgme_header"><div class="tgme_header_search"><form class="tgme_header_search_form" action="/s/{name}"><input class="tgme_header_search_form_input js-header_search" name="q" placeholder="Search"></form></div></header>
<main class="tgme_main"><div class="tgme_container">
<div class="tgme_channel_info">
 <div class="tgme_channel_info_header">
  <i class="tgme_page_photo_image bgcolor0"></i>
  <div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title)}</span></div>
  <div class="tgme_channel_info_header_username"><a href="https://t.me/{name}">@{name}</a></div>
 </div>
 <div class="tgme_channel_info_description">Breaking news from the peninsula.</div>
 <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">48.1K</span> <span class="counter_type">subscribers</span></div></div>
</div>
<section class="tgme_channel_history js-message_history">{"".join(blocks)}
</section></div></main></body></html>"""
