"""A refusal names why a page has no article only when that reason was seen on the page."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from bot.errors import NoArticleError
from bot.sources.extract import extract_page
from bot.sources.walls import no_article_message, page_wall, phrase_wall


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<html><body><form><input name='u'><input type='password' name='p'></form></body></html>",
         "a login form"),
        ("<html><body><video src='/clip.mp4'></video></body></html>", "a video player"),
        ("<html><body><iframe src='https://www.youtube.com/embed/x1'></iframe></body></html>",
         "a video player"),
        ("<html><head><meta property='og:type' content='video.other'></head><body></body></html>",
         "a video player"),
        ("<html><body><p>Subscribe to continue reading.</p></body></html>", "a paywall"),
        ("<html><body><p>Log in to continue.</p></body></html>", "a login"),
        ("<html><body><p>Please enable JavaScript to view this site.</p></body></html>",
         "a page that needs JavaScript"),
        ("<html><body><div id='root'></div><script>app()</script></body></html>", None),
        ("<html><body><form><input type='search' name='q'></form></body></html>", None),
        ("<html><body><script>var s = 'subscribe to continue';</script></body></html>", None),
    ],
)  # fmt: skip
def test_the_reason_is_named_only_when_detected(html: str, reason: str | None) -> None:
    assert page_wall(fromstring(html)) == reason


def test_a_page_without_a_detected_reason_gets_no_guess_list() -> None:
    assert no_article_message(None) == "I found no article on that page."
    assert no_article_message("a video player") == (
        "I found no article on that page: it shows a video player instead."
    )


def test_a_wall_phrase_names_its_kind() -> None:
    assert phrase_wall("Already a subscriber? Log in.") == "a paywall"
    assert phrase_wall("We value your privacy. Accept all cookies") == "a cookie wall"
    assert phrase_wall("The minister said the talks would continue on Monday.") is None


@pytest.mark.parametrize(
    ("html", "says", "never"),
    [
        ("<html><body><div id='app'></div><script>render()</script></body></html>",
         "I found no article on that page.", "video"),
        ("<html><body><video src='/v.mp4'></video></body></html>", "a video player", "login"),
        ("<html><body><form><input name='user'><input type='password'></form></body></html>",
         "a login form", "video"),
    ],
)  # fmt: skip
def test_a_refusal_says_what_was_detected_and_nothing_else(
    html: str, says: str, never: str
) -> None:
    with pytest.raises(NoArticleError) as refusal:
        extract_page(html)
    assert says in refusal.value.reason
    assert never not in refusal.value.reason
    assert "picture gallery" not in refusal.value.reason
