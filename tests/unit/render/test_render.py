import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from bot.checks.provenance import Provenance
from bot.models import (
    ActorKind,
    ArticleRef,
    Briefing,
    CheckedActor,
    CheckedStance,
    Polarity,
    Source,
    StoredBriefing,
    Usage,
)
from bot.render.briefing_html import esc, link, render_briefing, render_error
from bot.render.split import split_html

ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}
TAG_RE = re.compile(r"</?(?:b|i|u|s|a|code|pre|blockquote|tg-spoiler)(?:\s[^<>]*)?>")
ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
HOSTILE = 'Tom & Jerry <b>bold</b> </blockquote> <a href="javascript:x">*_x_*</a> "q" \'s\' &amp;'


class Checker(HTMLParser):
    """Collects visible text and problems; blockquoted text is tracked separately."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.quoted: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS or (self.get_starttag_text() or "").endswith("/>"):
            self.errors.append(f"tag {tag}")
        names = {name for name, _ in attrs}
        allowed = {"a": {"href"}, "blockquote": {"expandable"}}.get(tag, set())
        if not names <= allowed:
            self.errors.append(f"attrs {attrs} on {tag}")
        if tag == "a" and not str(dict(attrs).get("href", "")).startswith(("http://", "https://")):
            self.errors.append(f"href {attrs}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if "blockquote" in self.stack:
            self.quoted.append(data)


def check(chunk: str) -> Checker:
    """Parse a chunk and assert it is HTML that Telegram accepts."""
    rest = ENTITY_RE.sub("", TAG_RE.sub("", chunk))
    assert not set(rest) & set("<>&"), f"raw markup left in {rest!r}"
    parser = Checker()
    parser.feed(chunk)
    parser.close()
    assert not parser.errors
    assert not parser.stack, f"unclosed {parser.stack}"
    return parser


def visible(chunk: str) -> str:
    return "".join(check(chunk).parts)


def stance(
    quote: str = "A quote.",
    *,
    verified: bool = True,
    polarity: Polarity = Polarity.SUPPORTS,
    target: str = "NATO",
) -> CheckedStance:
    # Checked as today: the actor's own words, or not found at all.
    return CheckedStance(
        target=target,
        position="Wants more.",
        polarity=polarity,
        quote=quote,
        verified=verified,
        provenance=Provenance.DIRECT if verified else Provenance.NOT_FOUND,
    )


def actor(
    *stances: CheckedStance, name: str = "Kim Jong Un", aliases: Sequence[str] = ("Kim",)
) -> CheckedActor:
    return CheckedActor(
        name=name, aliases=list(aliases), kind=ActorKind.PERSON, stances=list(stances)
    )


def stored(
    *,
    headline: str = "Headline",
    tldr: str = "Short.",
    key_points: Sequence[str] = ("One", "Two"),
    why: str = "Because.",
    actors: Sequence[CheckedActor] = (),
    source: Source | None = None,
    truncated_from: int | None = None,
) -> StoredBriefing:
    briefing = Briefing(
        headline=headline,
        tldr=tldr,
        key_points=list(key_points),
        why_it_matters=why,
        language="en",
        topics=[],
        places=[],
        actors=list(actors),
    )
    return StoredBriefing(
        key="k",
        article=ArticleRef(
            content_hash="h", source=source, chars=1000, truncated_from=truncated_from
        ),
        prompt_name="brief",
        prompt_version="1",
        model="m",
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        usage=Usage(),
        verified_stances=briefing.verified_count,
        total_stances=briefing.stance_count,
        briefing=briefing,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a < b > c", "a &lt; b &gt; c"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&amp;", "&amp;amp;"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("*_bold_*", "*_bold_*"),
    ],
)
def test_esc(text: str, expected: str) -> None:
    assert esc(text) == expected


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        (
            "https://example.com/a?b=1&c=2",
            "Ex",
            '<a href="https://example.com/a?b=1&amp;c=2">Ex</a>',
        ),
        ("http://example.com", "<b>", '<a href="http://example.com">&lt;b&gt;</a>'),
        ('https://e.com/"><b>', "x", '<a href="https://e.com/&quot;&gt;&lt;b&gt;">x</a>'),
        ("javascript:alert(1)", "click", "click"),
        ("JaVaScRiPt:alert(1)", "click", "click"),
        ("java\tscript:alert(1)", "click", "click"),
        ("data:text/html,<b>", "d", "d"),
        ("ftp://example.com", "f", "f"),
        ("https://", "empty host", "empty host"),
        ("javascript:alert(1)", "", "javascript:alert(1)"),
    ],
)
def test_link(url: str, text: str, expected: str) -> None:
    assert link(url, text) == expected


def test_hostile_text_is_escaped_everywhere() -> None:
    hostile = actor(
        stance(HOSTILE, target=HOSTILE),
        stance(HOSTILE, verified=False, polarity=Polarity.MIXED),
        name=HOSTILE,
        aliases=[HOSTILE],
    )
    brief = stored(
        headline=HOSTILE,
        tldr=HOSTILE,
        key_points=[HOSTILE],
        why=HOSTILE,
        actors=[hostile],
        source=Source(label=HOSTILE, url="https://example.com/?a=1&b=<2>"),
    )
    rendered = render_briefing(brief)
    text = visible(rendered)
    assert text.count(HOSTILE) >= 6
    for chunk in split_html(rendered, limit=200):
        check(chunk)


def long_briefing() -> StoredBriefing:
    words = [f"w{n}&<x>" for n in range(1200)]
    points = [" ".join(words[k : k + 40]) for k in range(0, 600, 40)]
    quotes = [" ".join(words[k : k + 50]) for k in range(600, 1200, 50)]
    stances = [stance(q, verified=n % 3 != 0) for n, q in enumerate(quotes)]
    return stored(key_points=points, actors=[actor(*stances[:6]), actor(*stances[6:], name="B")])


def test_long_briefing_splits_without_losing_words() -> None:
    rendered = render_briefing(long_briefing())
    assert len(visible(rendered)) >= 10_000
    chunks = split_html(rendered)
    assert len(chunks) >= 3
    assert all(len(visible(c)) <= 4096 for c in chunks)
    assert all(len(c) <= 2 * 4096 for c in chunks)
    assert " ".join(visible(c) for c in chunks).split() == visible(rendered).split()


def test_single_paragraph_splits_at_words() -> None:
    words = [f"word{n}" for n in range(3000)]
    chunks = split_html(" ".join(words), limit=1000)
    assert len(chunks) >= 20
    assert all(0 < len(c) <= 1000 for c in chunks)
    assert " ".join(chunks).split() == words


def test_word_longer_than_limit_is_cut_hard() -> None:
    assert split_html("x" * 250, limit=100) == ["x" * 100, "x" * 100, "x" * 50]


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("", 10, []),
        (" \n\n \n", 10, []),
        ("\n\nshort\n\n", 10, ["short"]),
        ("aaaa\nbbbb\n\ncccc", 12, ["aaaa\nbbbb", "cccc"]),
        ("aaaa bbbb\ncccc dddd", 12, ["aaaa bbbb", "cccc dddd"]),
        ("<b>aaaaaaaa bbbbbbbb</b>", 10, ["<b>aaaaaaaa</b>", "<b>bbbbbbbb</b>"]),
        ("<b>aaaaaaaa</b> bbbbbbbb", 10, ["<b>aaaaaaaa</b>", "bbbbbbbb"]),
        ("<i>aaaaaaaa\n<b>bbbbbbbb</b></i>", 16, ["<i>aaaaaaaa</i>", "<i><b>bbbbbbbb</b></i>"]),
        ("x &amp; y &lt; z", 5, ["x &amp; y", "&lt; z"]),
        ("&amp;&lt;&gt;&quot;", 2, ["&amp;", "&lt;", "&gt;", "&quot;"]),
        (
            '<a href="https://e.com">aaaaaaaaaaaaaaa bbbbbbbbbbbbbbb</a>',
            30,
            [
                '<a href="https://e.com">aaaaaaaaaaaaaaa</a>',
                '<a href="https://e.com">bbbbbbbbbbbbbbb</a>',
            ],
        ),
        ("🔀🔀🔀", 4, ["🔀🔀", "🔀"]),
    ],
)
def test_split_html_table(html: str, limit: int, expected: list[str]) -> None:
    assert split_html(html, limit) == expected


def test_entities_are_never_cut_and_raw_length_is_guarded() -> None:
    chunks = split_html("&amp;" * 3000, limit=1000)
    assert all(len(c) <= 2000 for c in chunks)
    assert "".join(visible(c) for c in chunks) == "&" * 3000


def test_long_blockquote_is_closed_and_reopened() -> None:
    body = " ".join(f"q{n}" for n in range(2000))
    html = f"<blockquote expandable>{body}</blockquote>\nafter"
    chunks = split_html(html)
    assert len(chunks) >= 3
    assert all(c.startswith("<blockquote expandable>") for c in chunks)
    assert all(c.endswith("</blockquote>") for c in chunks[:-1])
    assert chunks[-1].endswith("</blockquote>\nafter")
    assert all(len(visible(c)) <= 4096 for c in chunks)
    assert " ".join(visible(c) for c in chunks).split() == visible(html).split()


def test_unverified_quote_is_never_styled_as_verified() -> None:
    brief = stored(actors=[actor(stance("Real words."), stance("Made up words.", verified=False))])
    parsed = check(render_briefing(brief))
    quoted = "".join(parsed.quoted)
    assert "Real words." in quoted
    assert "Made up words." not in quoted
    assert "⚠️ not found in the article: “Made up words.”" in "".join(parsed.parts)


def test_show_unverified_false_withholds_quote() -> None:
    brief = stored(actors=[actor(stance("Real words."), stance("Made up words.", verified=False))])
    rendered = render_briefing(brief, show_unverified=False)
    assert "Made up words." not in rendered
    assert "Real words." in rendered
    assert "quote withheld" in rendered


def test_sections_order_and_footer() -> None:
    brief = stored(
        actors=[actor(stance(), stance(verified=False, polarity=Polarity.OPPOSES))],
        source=Source(label="Reuters", url="https://reuters.com/x"),
        truncated_from=5000,
    )
    text = visible(render_briefing(brief, cached=True))
    order = ["Headline", "Reuters", "TL;DR", "Key points", "• One", "Why it matters", "Actors"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert "(truncated: first 1,000 of 5,000 characters)" in text
    assert "✅ supports NATO: Wants more." in text
    assert "❌ opposes NATO" in text
    assert text.rstrip().endswith(
        "1 of 2 quotes is the actor's own words, found in the article; 1 is not in the article."
        "\n⚡ from cache"
    )
    assert '<a href="https://reuters.com/x">Reuters</a>' in render_briefing(brief)


def test_empty_sections_are_omitted() -> None:
    text = visible(render_briefing(stored(tldr=" ", key_points=[], why="")))
    assert text == "Headline"


def test_source_without_safe_url_is_plain_text() -> None:
    brief = stored(source=Source(label="Chan", url="javascript:alert(1)"))
    rendered = render_briefing(brief)
    assert "<a" not in rendered
    assert "<i>Chan</i>" in rendered


def test_aliases_are_short() -> None:
    many = actor(stance(), aliases=["Kim Jong Un", "Kim", "KJU", "Pyongyang", "Leader"])
    text = visible(render_briefing(stored(actors=[many])))
    assert "Kim Jong Un (Kim, KJU, Pyongyang, …) · person" in text


@pytest.mark.parametrize(
    ("message", "error_id", "expected"),
    [
        ("Bad <input> & stuff", None, "⚠️ Bad &lt;input&gt; &amp; stuff"),
        ("Oops", "e-<1>", "⚠️ Oops\nError ID: <code>e-&lt;1&gt;</code>"),
        ("", None, "⚠️ Something went wrong."),
    ],
)
def test_render_error(message: str, error_id: str | None, expected: str) -> None:
    assert render_error(message, error_id) == expected
    check(expected)


def test_render_error_is_short() -> None:
    assert len(visible(render_error("x" * 10_000))) < 600
