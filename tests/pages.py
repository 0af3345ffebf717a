"""Realistic news pages around an article text: navigation, banners, related stories, comments."""

from __future__ import annotations

import html
import json


def news_page(
    text: str,
    *,
    site: str = "Korea Watch",
    author: str | None = "Jane Park",
    date: str | None = "2026-03-12",
    canonical: str | None = None,
) -> str:
    """Wrap an article (first line = headline) in a cluttered news-site page."""
    title, _, body = text.strip().partition("\n")
    paragraphs = "\n".join(
        f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip()
    )
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "datePublished": f"{date}T08:00:00Z" if date else None,
        "author": {"@type": "Person", "name": author} if author else None,
        "publisher": {"@type": "Organization", "name": site},
    }  # fmt: skip
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="og:title" content="{html.escape(title)}">
{link}
<script type="application/ld+json">{json.dumps({k: v for k, v in ld.items() if v})}</script>
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<div class="byline">By {html.escape(author or "Staff")} · {html.escape(date or "")}</div>
<div class="share-bar"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>
<div class="article-body">
{paragraphs}
</div>
<aside class="newsletter-signup"><h3>Get the morning briefing</h3>
<p>Sign up for our newsletter and never miss a story.</p></aside>
</article>
<section class="related-stories"><h2>Related stories</h2><ul>
<li><a href="/a">Markets slide as oil prices jump on supply fears</a></li>
<li><a href="/b">Opinion: why the summit will change nothing at all</a></li></ul></section>
<section id="comments"><h2>Comments (212)</h2>
<div class="comment"><p>Totally agree with this, great reporting as always!!!</p></div></section>
</main>
<footer><p>© 2026 {html.escape(site)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""
