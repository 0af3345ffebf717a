"""The overview without a model: headlines grouped by the actors they share, quotes counted."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digest.extractive import extractive_draft
from bot.models import ArticleRef, Briefing, CheckedActor, CheckedStance, StoredBriefing, Usage


def _stored(key: str, headline: str, *actors: tuple[str, int]) -> StoredBriefing:
    def said(n: int) -> list[CheckedStance]:
        return [
            CheckedStance(target="talks", position="for", polarity="supports", quote=f"q{i}",
                          verified=True)
            for i in range(n)
        ]  # fmt: skip

    briefing = Briefing(
        headline=headline, tldr="", key_points=[], why_it_matters="", language="en",
        topics=[], places=[],
        actors=[CheckedActor(name=n, aliases=[], kind="person", stances=said(q)) for n, q in actors],
    )  # fmt: skip
    return StoredBriefing(
        key=key, article=ArticleRef(content_hash=key, chars=100), prompt_name="p",
        prompt_version="1", model="m", created_at=datetime(2026, 12, 7, tzinfo=UTC),
        usage=Usage(), verified_stances=0, total_stances=0, briefing=briefing,
    )  # fmt: skip


def test_headlines_are_grouped_by_the_actor_they_share() -> None:
    draft = extractive_draft([
        _stored("a", "Kim fires missile", ("Kim Jong Un", 2), ("Lee Jae-myung", 1)),
        _stored("b", "Ports strike", ("Dockers' union", 1)),
        _stored("c", "Kim's sister speaks", ("Kim Jong Un", 1), ("Kim Yo Jong", 3)),
    ])  # fmt: skip
    [kim, other] = draft.themes
    assert kim.title == "Kim Jong Un"
    assert kim.citations == ["A1", "A3"]
    assert kim.summary == "2 articles naming Kim Jong Un:"
    assert (other.title, other.citations) == ("Other news", ["A2"])
    assert draft.headline == "3 articles in this period"
    assert draft.closing.startswith("Most quoted: Kim Jong Un (3 quotes), Kim Yo Jong (3 quotes)")
    assert "Lee Jae-myung (1 quote)" in draft.closing


def test_unrelated_articles_make_one_list_of_headlines() -> None:
    draft = extractive_draft([_stored("a", "One", ("A", 0)), _stored("b", "Two", ("B", 0))])
    assert [(t.title, t.citations) for t in draft.themes] == [("Headlines", ["A1", "A2"])]
    assert draft.closing == ""
