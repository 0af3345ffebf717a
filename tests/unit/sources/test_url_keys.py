"""URL keys: parameters that name a page are kept, only known tracking parameters dropped."""

from __future__ import annotations

import pytest

from bot.sources.urls import unique, url_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.youtube.com/watch?v=A", "https://www.youtube.com/watch?v=B"),
        ("https://news.test/index.php?article=1", "https://news.test/index.php?article=2"),
        ("https://news.test/?p=101", "https://news.test/?p=102"),
        ("https://news.test/view?story=kim&lang=en", "https://news.test/view?story=kim&lang=ru"),
        ("https://news.test/index.php?article=1", "https://news.test/index.php"),
        ("https://github.com/a/b?ref=main", "https://github.com/a/b?ref=dev"),
        ("https://news.test/a?q=hello%20world", "https://news.test/a?q=hello"),
    ],
)
def test_parameters_that_name_a_page_keep_pages_apart(one: str, other: str) -> None:
    assert url_key(one) != url_key(other)


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("https://youtube.com/watch?v=A&utm_source=tg", "https://www.youtube.com/watch?v=A"),
        ("https://www.youtube.com/watch?si=x1&v=A&feature=share", "https://youtube.com/watch?v=A"),
        ("https://youtu.be/A?si=abc", "https://youtu.be/A"),
        (
            "https://news.test/index.php?utm_campaign=x&article=1&fbclid=IwAR0&gclid=z",
            "https://news.test/index.php?article=1",
        ),
        (
            "https://news.test/a?article=1&yclid=1&mc_cid=2&mc_eid=3&igshid=4&ref_src=twsrc",
            "https://news.test/a?article=1",
        ),
        (
            "https://news.test/a?article=1&_ga=2.1&_gl=1*x&msclkid=9",
            "https://news.test/a?article=1",
        ),
        ("https://news.test/a?UTM_Source=x&article=1", "https://news.test/a?article=1"),
        ("https://news.test/a?b=2&a=1", "https://news.test/a?a=1&b=2"),  # order never matters
        ("https://news.test/a?a=1#comments", "https://news.test/a?a=1"),
        ("https://news.test/a?utm_source=x&", "https://news.test/a"),
    ],
)
def test_tracking_parameters_alone_are_dropped(variant: str, plain: str) -> None:
    assert url_key(variant) == url_key(plain)


def test_a_parameter_tracks_only_on_the_sites_that_use_it_so() -> None:
    # "si" is YouTube's share id; elsewhere it may well be the page's id.
    assert url_key("https://news.test/show?si=1") != url_key("https://news.test/show?si=2")


def test_two_videos_sent_together_are_both_kept() -> None:
    links = [
        "https://www.youtube.com/watch?v=A",
        "https://youtube.com/watch?v=B",
        "https://youtube.com/watch?v=A&utm_source=tg",
    ]
    assert unique(links) == links[:2]


def test_escaped_and_plain_paths_are_one_page_but_an_escaped_slash_is_not_a_slash() -> None:
    assert url_key("https://telegra.ph/%40alice/post") == url_key("https://telegra.ph/@alice/post")
    assert url_key("https://news.test/%D0%BA%D0%B8%D0%BC") == url_key("https://news.test/ким")
    assert url_key("https://news.test/a%2Fb") != url_key("https://news.test/a/b")
