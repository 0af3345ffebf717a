"""The prune guard and the fallback: a rule or a setting never costs a page its article."""

from __future__ import annotations

import pytest
from lxml.html import fromstring, tostring

from bot.sources import extract
from bot.sources.extract import extract_page, lost_article, prune

PARAGRAPHS = [
    (
        "The city council voted on Tuesday to close the old harbour bridge to cars from March, "
        "citing a structural survey that found corrosion in three of its five main girders."
    ),
    (
        "Mayor Anna Berg said the closure would last at least two years while engineers decide "
        "whether the 1930s bridge can be repaired or has to be replaced outright."
    ),
    (
        "Traffic will be diverted over the ring road, adding an estimated twelve minutes to a "
        "typical commute from the northern districts, according to the council's transport office."
    ),
    (
        "Business owners on the harbour front said they feared losing customers, and asked the "
        "council for a temporary ferry service, which the mayor promised to consider next month."
    ),
]
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
CLUTTER = (
    "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
    "</nav></header>"
)
RELATED = (
    "<div class='related-links'><h3>Related</h3><p>Ferry fares rise again</p>"
    "<p>New tram line opens</p></div>"
)


def page(body: str) -> str:
    """Return a small news page around a body."""
    return (
        "<html><head><title>Harbour bridge to close to cars</title></head><body>"
        f"{CLUTTER}<main>{body}</main><footer><p>© Harbour Times</p></footer></body></html>"
    )


# --- the guard ---------------------------------------------------------------------------------
def test_a_rule_never_removes_the_element_holding_most_of_the_text() -> None:
    tree = fromstring(page(f"<div class='entry-content-read-more'>{ARTICLE}{RELATED}</div>"))
    pruned = tostring(prune(tree, ["//*[contains(@class, 'read-more')]"]), encoding="unicode")
    assert all(p in pruned for p in PARAGRAPHS)


def test_a_rule_removes_a_small_box_and_keeps_the_text_after_it() -> None:
    tree = fromstring(page(f"<div>{ARTICLE}{RELATED}Updated at noon.</div>"))
    pruned = tostring(prune(tree, ["//*[contains(@class, 'related')]"]), encoding="unicode")
    assert "Ferry fares rise again" not in pruned
    assert all(p in pruned for p in PARAGRAPHS)
    assert "Updated at noon." in pruned  # the text after the box was never part of it


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div class='share-container'>{}</div>",
        "<div class='social-wrapper'>{}</div>",
        "<section class='post related-content'>{}</section>",
        "<div class='entry-content entry-content-read-more'>{}</div>",
        "<div aria-hidden='true'>{}</div>",
        "<div class='promo-layout'><div role='complementary'>{}</div></div>",
    ],
)
def test_an_article_inside_a_boilerplate_named_wrapper_is_extracted(wrapper: str) -> None:
    html = page(wrapper.format(f"<h1>Harbour bridge to close to cars</h1>{ARTICLE}{RELATED}"))
    text = extract_page(html, url="https://harbour.example/bridge").text
    assert all(p in text for p in PARAGRAPHS)


# --- the fallback ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tuned", "plain", "lost"),
    [
        ("", "", False),
        ("", "an article", True),
        ("x" * 100, "x" * 1000, True),  # a tenth: the tuned run cut into the article
        ("x" * 300, "x" * 1000, False),  # trimmed comments or lists, not the article
        ("x" * 1000, "x" * 1000, False),
        ("x" * 1200, "x" * 1000, False),
    ],
)
def test_the_plain_run_is_used_only_when_the_tuned_one_lost_the_article(
    tuned: str, plain: str, *, lost: bool
) -> None:
    assert lost_article(tuned, plain) is lost


def test_a_rule_that_swallows_the_article_falls_back_to_the_plain_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without the guard, the wrapper rule removes the whole article from the tuned run.
    monkeypatch.setattr(extract, "_GUARD_SHARE", 10.0)
    monkeypatch.setattr(extract, "_PRUNE", ["//*[contains(@class, 'read-more')]"])
    html = page(f"<div class='entry-content-read-more'>{ARTICLE}</div>")
    text = extract_page(html, url="https://harbour.example/bridge").text
    assert all(p in text for p in PARAGRAPHS)
