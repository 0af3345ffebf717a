"""Every trust mark as a user sees it: each quote's class, summary flags, the footer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.checks.provenance import Provenance
from bot.models import (
    ActorKind,
    ArticleRef,
    Briefing,
    CheckedActor,
    CheckedKeyPoint,
    CheckedStance,
    Polarity,
    StoredBriefing,
    SummaryFlag,
    Usage,
)
from bot.render.briefing_html import render_briefing
from bot.render.split import split_html
from bot.render.terminal import briefing_text
from bot.render.trust_marks import quotes_footer, summary_footer
from tests.unit.render.test_render import check

D, V, R = Provenance.DIRECT, Provenance.VIA, Provenance.REPORTED
N, M, X = Provenance.NARRATION, Provenance.MISATTRIBUTED, Provenance.NOT_FOUND
WORDS = "the comprehensive strategic partnership"


def said(
    provenance: Provenance | None,
    *,
    quote: str = WORDS,
    verified: bool | None = None,
    speaker: str | None = None,
    via: str | None = None,
    quoted: bool | None = None,
) -> CheckedStance:
    if quoted is None:
        quoted = provenance in {D, V, M}
    own = (provenance is D or (provenance is V and quoted)) if verified is None else verified
    return CheckedStance(
        target="the partnership",
        position="Wants it closer.",
        polarity=Polarity.SUPPORTS,
        issue="Russia-North Korea ties",
        quote=quote,
        verified=own,
        provenance=provenance,
        speaker=speaker,
        via=via,
        quoted=quoted,
    )


def briefing(
    *stances: CheckedStance,
    flags: list[SummaryFlag] | None = None,
    points: list[CheckedKeyPoint] | None = None,
    checked: bool = True,
) -> Briefing:
    return Briefing(
        headline="Kim meets Shoigu",
        tldr="Kim met Shoigu on Wednesday.",
        key_points=points or [CheckedKeyPoint(text="They met.", source="x", source_found=True)],
        why_it_matters="Ties deepen.",
        language="en",
        topics=[],
        places=[],
        actors=[
            CheckedActor(
                name="Sergei Shoigu",
                aliases=["Shoigu"],
                kind=ActorKind.PERSON,
                stances=list(stances),
            )
        ],
        summary_flags=flags or [],
        summary_checked=checked,
    )


def stored(b: Briefing) -> StoredBriefing:
    return StoredBriefing(
        key="k",
        article=ArticleRef(content_hash="h", chars=100),
        prompt_name="briefing",
        prompt_version="4",
        model="m",
        created_at=datetime(2026, 12, 7, tzinfo=UTC),
        usage=Usage(),
        verified_stances=b.verified_count,
        total_stances=b.stance_count,
        briefing=b,
    )


def html_of(stance: CheckedStance, *, show: bool = True) -> tuple[str, str, str]:
    """Render one stance; give (all visible text, the blockquoted text, the raw HTML)."""
    rendered = render_briefing(stored(briefing(stance)), show_unverified=show)
    parsed = check(rendered)
    return "".join(parsed.parts), "".join(parsed.quoted), rendered


def test_direct_words_are_a_blockquote() -> None:
    _, quoted, _ = html_of(said(D))
    assert WORDS in quoted


def test_relayed_words_are_a_blockquote_naming_the_relay() -> None:
    text, quoted, _ = html_of(said(V, via="KCNA"))
    assert WORDS in quoted
    assert "via KCNA" in text
    assert "via KCNA" not in quoted


def test_a_relays_unquoted_paraphrase_is_reported_not_the_actors_words() -> None:
    # "according to state media, Kim pledged his support": KCNA's wording, Kim's position.
    stance = said(V, via="KCNA", quoted=False)
    _, quoted, rendered = html_of(stance)
    assert quoted == ""
    assert f"<i>“{WORDS}”</i> (reported via KCNA)" in rendered
    assert quotes_footer([said(D), stance]) == f"1 of 2 quotes is {OWN}; 1 is reported speech."


def test_reported_words_are_italic_and_marked_never_a_blockquote() -> None:
    _, quoted, rendered = html_of(said(R))
    assert quoted == ""
    assert f"<i>“{WORDS}”</i> (reported)" in rendered


@pytest.mark.parametrize("show", [True, False])
def test_reporters_narration_is_never_the_actors_quote(show: bool) -> None:
    text, quoted, _ = html_of(said(N), show=show)
    assert quoted == ""
    assert "📰 reporter's words, not Sergei Shoigu's" in text
    assert (WORDS in text) is show


@pytest.mark.parametrize("show", [True, False])
def test_misattributed_words_name_the_real_speaker(show: bool) -> None:
    text, quoted, _ = html_of(said(M, speaker="Kim Jong Un"), show=show)
    assert quoted == ""
    assert "⚠️ said by Kim Jong Un, not Sergei Shoigu" in text
    assert (WORDS in text) is show


@pytest.mark.parametrize("show", [True, False])
def test_words_not_found_are_marked_or_withheld(show: bool) -> None:
    text, quoted, _ = html_of(said(X), show=show)
    assert quoted == ""
    assert "⚠️ not found in the article" in text
    assert (WORDS in text) is show
    assert ("quote withheld" in text) is not show


def test_a_stance_checked_before_provenance_claims_found_not_own_words() -> None:
    text, quoted, _ = html_of(said(None, verified=True))
    assert quoted == ""
    assert f"found in the article (speaker not checked): “{WORDS}”" in text
    assert "own words" not in text


OWN = "the actor's own words, found in the article"


@pytest.mark.parametrize(
    ("classes", "footer"),
    [
        ([D, V, D, D, N], f"4 of 5 quotes are {OWN}; 1 is the reporter's."),
        ([D], f"1 of 1 quote is {OWN}."),
        ([N], f"0 of 1 quote is {OWN}; 1 is the reporter's."),
        (
            [D, D, R, R, M, X, X],
            (
                f"2 of 7 quotes are {OWN}; 2 are reported speech, 1 is another speaker's, "
                "2 are not in the article."
            ),
        ),
        ([M, M], f"0 of 2 quotes are {OWN}; 2 are another speaker's."),
    ],
)
def test_footer_says_what_each_quote_is(classes: list[Provenance], footer: str) -> None:
    assert quotes_footer([said(c) for c in classes]) == footer


def test_footer_of_a_briefing_checked_before_provenance() -> None:
    stances = [said(None, verified=True), said(None, verified=False)]
    assert quotes_footer(stances) == "1 of 2 quotes found in the article (speakers not checked)."


NOT_IN = "in the summary is not in the article."
ARE_NOT_IN = "in the summary are not in the article."


@pytest.mark.parametrize(
    ("kinds", "footer"),
    [
        ([], "Every figure, date and name in the summary is in the article."),
        (["number"], f"1 figure {NOT_IN}"),
        (["number", "number", "name"], f"2 figures and 1 name {ARE_NOT_IN}"),
        (["date", "number", "name"], f"1 date, 1 figure and 1 name {ARE_NOT_IN}"),
    ],
)
def test_footer_counts_summary_flags(kinds: list[str], footer: str) -> None:
    flags = [SummaryFlag(field="tldr", kind=k, text=f"x{i}") for i, k in enumerate(kinds)]
    assert summary_footer(briefing(flags=flags)) == footer


def test_footer_counts_key_points_whose_source_is_missing() -> None:
    points = [
        CheckedKeyPoint(text="A.", source="a", source_found=False),
        CheckedKeyPoint(text="B.", source="b", source_found=False),
        CheckedKeyPoint(text="C.", source="c", source_found=True),
    ]
    assert summary_footer(briefing(points=points)).endswith(
        "2 key points' source sentences are not in the article."
    )


def test_an_unchecked_summary_claims_nothing() -> None:
    assert summary_footer(briefing(checked=False)) == ""


def test_flags_are_marked_under_their_field_and_analysis_is_labelled() -> None:
    flags = [
        SummaryFlag(field="key_points", index=1, kind="number", text="25,000"),
        SummaryFlag(field="why_it_matters", kind="name", text="Iran"),
    ]
    points = [
        CheckedKeyPoint(text="They met.", source="x", source_found=True),
        CheckedKeyPoint(text="25,000 containers were sent.", source="y", source_found=False),
    ]
    b = briefing(said(D), flags=flags, points=points)
    text = "".join(check(render_briefing(stored(b))).parts)
    lines = text.splitlines()
    at = lines.index("• 25,000 containers were sent.")
    assert lines[at + 1 : at + 3] == [
        "  ⚠️ not in the article: 25,000",
        "  ⚠️ its source sentence is not in the article",
    ]
    assert "Why it matters (analysis)\nTies deepen.\n⚠️ not in the article: Iran" in text
    assert "1 figure and 1 name in the summary are not in the article." in text
    assert "1 key point's source sentence is not in the article." in text
    plain = briefing_text(stored(b))
    assert "⚠️ not in the article: 25,000" in plain
    assert "Why it matters (analysis):" in plain


def test_terminal_shows_the_same_classes() -> None:
    b = briefing(said(D), said(V, via="KCNA"), said(R), said(N), said(M, speaker="Kim"), said(X))
    plain = briefing_text(stored(b))
    assert "(via KCNA)" in plain
    assert f'(reported) "{WORDS}"' in plain
    assert f"📰 reporter's words, not Sergei Shoigu's: \"{WORDS}\"" in plain
    assert "⚠️ said by Kim, not Sergei Shoigu" in plain
    assert "⚠️ not found in the article" in plain
    assert "2 of 6 quotes are the actor's own words" in " ".join(plain.split())
    hidden = briefing_text(stored(b), show_unverified=False)
    assert hidden.count(WORDS) == 3  # direct, via and reported stay; the rest are withheld


def test_every_class_keeps_telegram_html_valid_when_split() -> None:
    hostile = 'a <b> & "q" </blockquote> ' * 30
    classes = [D, V, R, N, M, X, None]
    b = briefing(*[said(c, quote=hostile, speaker="<i>X</i>", via="<KCNA>") for c in classes])
    for chunk in split_html(render_briefing(stored(b)), limit=300):
        check(chunk)


OLD_STORED = {
    "key": "k",
    "article": {"content_hash": "h", "chars": 100},
    "prompt_name": "briefing",
    "prompt_version": "3",
    "model": "m",
    "created_at": "2026-11-01T10:00:00Z",
    "usage": {},
    "verified_stances": 1,
    "total_stances": 2,
    "briefing": {
        "headline": "Kim meets Shoigu",
        "tldr": "They met.",
        "key_points": ["One point.", "Another point."],
        "why_it_matters": "Ties deepen.",
        "language": "en",
        "topics": [],
        "places": [],
        "actors": [{"name": "Sergei Shoigu", "aliases": [], "kind": "person", "stances": [
            {"target": "t", "position": "p", "polarity": "supports", "quote": "found words",
             "verified": True},
            {"target": "t", "position": "p", "polarity": "opposes", "quote": "made-up words",
             "verified": False},
        ]}],
    },
}  # fmt: skip


def test_a_briefing_stored_before_these_checks_loads_and_renders() -> None:
    old = StoredBriefing.model_validate_json(json.dumps(OLD_STORED))
    assert [p.text for p in old.briefing.key_points] == ["One point.", "Another point."]
    parsed = check(render_briefing(old))
    text = "".join(parsed.parts)
    assert parsed.quoted == []  # "found" was all that was checked: no blockquote
    assert "found in the article (speaker not checked): “found words”" in text
    assert "⚠️ not found in the article: “made-up words”" in text
    assert "1 of 2 quotes found in the article (speakers not checked)." in text
    assert "in the summary" not in text  # the summary was never checked: no claim either way
    assert "• Another point." in text
    assert "Another point." in briefing_text(old)
