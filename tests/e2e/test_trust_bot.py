"""Trust marks end to end: the real bot over the fake Bot API, the real client over the fake LLM."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.briefing import model_call
from bot.checks.quotes import ground
from bot.digest.prompt_text import briefing_entry
from bot.models import Briefing, BriefingDraft, StoredBriefing
from bot.services import Services
from tests.briefings import actor, briefing, fixture, point, stance
from tests.fake_llm import FakeLLM, Reply
from tests.fake_telegram import FakeTelegram
from tests.harness import USER, running_bot
from tests.unit.render.test_render import check
from tests.unit.render.test_trust_marks import OLD_STORED

KIM_SHOIGU = fixture("wire/kim-shoigu.txt")
NARRATION = "The two men also discussed strengthening the comprehensive strategic partnership"
MINISTRY = "a political tool operating according to the geopolitical interests of the West"
KCNA_KIM = "North Korea will responsibly observe the articles of the treaty"
MSMT_SENTENCE = (
    "A report by the Multilateral Sanctions Monitoring Team, a group comprising 11 UN members, "
    "said North Korea enabled Russia to increase missile attacks against critical Ukrainian "
    "civilian infrastructure and supplied more than 20,000 containers of munitions."
)


def model_answer() -> dict[str, Any]:
    """What a careless model answers for the Kim/Shoigu story."""
    return briefing(
        actor("Kim Jong Un", "person", ["Kim", "North Korean leader"],
              stance("the treaty with Russia", "Will honour the treaty", "supports", KCNA_KIM,
                     "North Korea-Russia treaty"),
              # The ministry's words, given to Kim.
              stance("the sanctions report", "Calls it a Western tool", "opposes", MINISTRY,
                     "UN sanctions monitoring")),
        # The reporter's narration, given to Shoigu as his words.
        actor("Sergei Shoigu", "person", ["Shoigu"],
              stance("the partnership with North Korea", "Wants a closer partnership",
                     "supports", NARRATION, "Russia-North Korea ties")),
        headline="Kim pledges support for Russia in talks with Shoigu",
        tldr="Kim Jong Un met Sergei Shoigu and pledged unconditional support for Russia.",
        key_points=[
            # 25,000: the article says more than 20,000.
            point("North Korea supplied more than 25,000 containers of munitions.", MSMT_SENTENCE),
            point("Pyongyang rejected the report as politically motivated.",
                  "North Korea on Monday rejected a recent report by a multilateral sanctions "
                  "panel on its ties with Russia as politically motivated and biased"),
            point("The treaty includes a mutual defence pact.",
                  "The treaty includes a mutual defence pact."),  # no such article sentence
        ],
        why_it_matters="The pledge deepens military ties between the two countries.",
    )  # fmt: skip


def responder(payload: dict[str, Any]) -> Callable[[Any], Reply]:
    return lambda _request: Reply(content=payload)


async def _brief(
    tg: FakeTelegram, llm: FakeLLM, make_settings: Callable[..., Any], **settings: Any
) -> tuple[str, str, str]:
    llm.responder = responder(model_answer())
    async with running_bot(tg, llm, make_settings, **settings) as bot:
        bot.tg.user_message(USER, USER, KIM_SHOIGU)
        [reply] = await bot.replies(USER)
    parsed = check(reply["text"])  # valid Telegram HTML
    return "".join(parsed.parts), "".join(parsed.quoted), reply["text"]


async def test_narration_and_misattribution_are_never_shown_as_the_actors_words(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Any]
) -> None:
    text, quoted, _ = await _brief(tg, fake_llm, make_settings)
    # "…, Kim was quoted as saying." stands without quotation marks: the relay's wording of
    # Kim's position, shown as reported via the relay, never as a blockquote of his words.
    assert KCNA_KIM not in quoted
    assert "(reported via state media KCNA)" in text
    # Shoigu never said the reporter's sentence: not a blockquote, marked as the reporter's.
    assert NARRATION not in quoted
    assert f"📰 reporter's words, not Sergei Shoigu's: “{NARRATION}”" in text
    # The ministry's words given to Kim: marked with who really said them.
    assert MINISTRY not in quoted
    assert f"⚠️ said by the North Korean Foreign Ministry, not Kim Jong Un: “{MINISTRY}”" in text
    assert (
        "0 of 3 quotes are the actor's own words, found in the article; "
        "1 is reported speech, 1 is the reporter's, 1 is another speaker's."
    ) in text


async def test_a_number_the_article_lacks_is_marked_and_counted(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Any]
) -> None:
    text, _, _ = await _brief(tg, fake_llm, make_settings)
    lines = text.splitlines()
    at = lines.index("• North Korea supplied more than 25,000 containers of munitions.")
    assert lines[at + 1] == "  ⚠️ not in the article: 25,000"
    sourceless = lines.index("• The treaty includes a mutual defence pact.")
    assert lines[sourceless + 1] == "  ⚠️ its source sentence is not in the article"
    assert "1 figure in the summary is not in the article." in text
    assert "1 key point's source sentence is not in the article." in text
    assert "Why it matters (analysis)" in text


async def test_without_show_unverified_the_wrong_words_are_withheld(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Any]
) -> None:
    text, _quoted, _ = await _brief(tg, fake_llm, make_settings, show_unverified_quotes=False)
    assert KCNA_KIM in text  # reported speech is always shown
    assert NARRATION not in text
    assert MINISTRY not in text
    assert "📰 reporter's words, not Sergei Shoigu's (quote withheld)" in text
    assert "⚠️ said by the North Korean Foreign Ministry, not Kim Jong Un (quote withheld)" in text


async def test_a_briefing_stored_before_the_checks_is_served_and_rendered(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Any]
) -> None:
    fake_llm.responder = responder(model_answer())
    async with running_bot(tg, fake_llm, make_settings) as bot:
        article = make_article(KIM_SHOIGU)
        key = bot.services.briefing.key(article, chat_id=USER)
        ref = {"content_hash": article.content_hash, "chars": len(article.text)}
        old = {**OLD_STORED, "key": key, "article": ref}
        path = bot.services.cache.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(old), encoding="utf-8")
        bot.tg.user_message(USER, USER, KIM_SHOIGU)
        [reply] = await bot.replies(USER)
        assert fake_llm.calls == 0  # served from the file, as it was stored
    parsed = check(reply["text"])
    text = "".join(parsed.parts)
    assert parsed.quoted == []
    assert "found in the article (speaker not checked): “found words”" in text
    assert "1 of 2 quotes found in the article (speakers not checked)." in text
    assert "• One point." in text


def test_digest_entries_say_what_backs_each_stance() -> None:
    old = StoredBriefing.model_validate(OLD_STORED)
    entry = briefing_entry("A1", old)
    assert "- One point." in entry
    assert "Sergei Shoigu → t: supports;" in entry
    assert "Sergei Shoigu → t: opposes (quote not in the article)" in entry


async def test_the_checks_run_off_the_event_loop(
    services: Services, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []

    def recording_ground(draft: BriefingDraft, text: str) -> Briefing:
        threads.append(threading.current_thread())
        return ground(draft, text)

    monkeypatch.setattr(model_call, "ground", recording_ground)
    fake_llm.script(Reply(content=model_answer()))
    stored = (await services.briefing.brief(make_article(KIM_SHOIGU))).stored
    assert stored.briefing.summary_checked
    assert threads and threads[0] is not threading.main_thread()
