"""/ask replies as Telegram HTML: markers, sources with links, escaping, Telegram's limit."""

from __future__ import annotations

from datetime import date

from bot.ask.models import AskResult, KeptSentence, Mode
from bot.ask.periods import Period
from bot.render.answer_html import NO_MODEL, UNANSWERED, answer_text, render_answer
from bot.render.split import split_html
from bot.search.archive import Passage
from tests.fake_telegram import parse_html

GROUP = -1001234500001


def _passage(n: int, *, url: str | None = "https://example.com/a", text: str = "Text.") -> Passage:
    return Passage(
        article_hash=f"h{n}", text=text, title=f"Title <{n}>", published=date(2026, 11, n),
        source_label="Reuters & co", source_url=url, message_id=40 + n, score=1.0,
    )  # fmt: skip


def test_an_answer_has_markers_and_a_source_list_with_both_links() -> None:
    result = AskResult(
        "q", Mode.ANSWER,
        sentences=[KeptSentence("Kim said <no> talks.", (1,)), KeptSentence("Lee agreed.", (1, 2))],
        sources=[_passage(1), _passage(2, url=None)],
    )  # fmt: skip
    html = render_answer(result, GROUP)
    text = parse_html(html)[0]
    assert "Kim said <no> talks. [1] Lee agreed. [1][2]" in text
    assert "[1] 1 Nov 2026 · Reuters & co · Title <1> · message" in text
    assert '<a href="https://example.com/a">Title &lt;1&gt;</a>' in html
    assert '<a href="https://t.me/c/1234500001/41">message</a>' in html
    assert "[2] 2 Nov 2026 · Reuters & co · Title <2> · message" in text


def test_a_private_chat_has_no_message_links() -> None:
    result = AskResult(
        "q", Mode.ANSWER, sentences=[KeptSentence("A.", (1,))], sources=[_passage(1)]
    )
    assert "message" not in parse_html(render_answer(result, 100))[0]


def test_unanswered_names_the_window_and_the_closest_matches() -> None:
    period = Period(date(2026, 11, 7), date(2026, 12, 7), "over the last month")
    result = AskResult("q", Mode.UNANSWERED, sources=[_passage(3)], period=period)
    text = parse_html(render_answer(result, GROUP))[0]
    assert text.startswith(UNANSWERED)
    assert "(I looked at articles dated 7 Nov – 7 Dec 2026.)" in text
    assert "Closest matches:\n• 3 Nov 2026" in text


def test_no_model_shows_passages_labelled_and_the_terminal_writes_links_out() -> None:
    result = AskResult("q", Mode.PASSAGES, sources=[_passage(4, text="The <b>drills</b> began.")])
    text = parse_html(render_answer(result, GROUP))[0]
    assert text.startswith(NO_MODEL)
    assert "The <b>drills</b> began." in text
    plain = answer_text(result, GROUP)
    assert "https://example.com/a" in plain
    assert "https://t.me/c/1234500001/44" in plain


def test_a_long_answer_splits_within_telegrams_limit() -> None:
    many = [KeptSentence("word " * 60, (n,)) for n in range(1, 30)]
    result = AskResult(
        "q", Mode.ANSWER, sentences=many, sources=[_passage(n) for n in range(1, 30)]
    )
    chunks = split_html(render_answer(result, GROUP))
    assert len(chunks) > 1
    assert all(len(parse_html(c)[0]) <= 4096 for c in chunks)
