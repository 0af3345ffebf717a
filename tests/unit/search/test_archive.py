"""The archive on the fixture: ranking, snippets, filters, isolation, and keeping in step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.search.archive import passages_now, search_now
from bot.search.query import parse_query
from bot.store.index import Index
from tests.archive_kit import TODAY, articles, briefing_of, content_hash, load, score

EN, RU, DE = 1001, 2002, -1003003


@pytest.fixture(scope="module")
def fixture_index(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Index, dict[str, str]]]:
    index = Index(tmp_path_factory.mktemp("archive") / "index.sqlite3")
    names = load(index)
    yield index, names
    index.close()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    made = Index(tmp_path / "index.sqlite3")
    yield made
    made.close()


def found(index: Index, names: dict[str, str], chat: int, text: str) -> list[str]:
    hits, _total = search_now(index, chat, parse_query(text, today=TODAY), limit=50)
    return [names[h.article_hash] for h in hits]


def test_search_meets_its_targets_on_the_fixture(
    fixture_index: tuple[Index, dict[str, str]],
) -> None:
    scores = score(*fixture_index)
    assert scores.questions == 80
    assert scores.recall_at_10 >= 0.9
    assert scores.mrr_at_10 >= 0.8


def test_word_forms_match_across_languages(fixture_index: tuple[Index, dict[str, str]]) -> None:
    index, names = fixture_index
    # налогами finds налог, налогов, налогам…; sanctions finds sanctioned.
    assert {"ru01", "ru02", "ru03"} <= set(found(index, names, RU, "налогами"))
    assert {"en05", "en06"} <= set(found(index, names, EN, "sanctions"))


def test_snippets_mark_the_matched_words(fixture_index: tuple[Index, dict[str, str]]) -> None:
    index, names = fixture_index
    hits, _ = search_now(index, EN, parse_query("sanctioned tanker", today=TODAY))
    assert names[hits[0].article_hash] == "en06"
    assert "\x02sanctioned\x03 oil \x02tanker\x03" in hits[0].snippet
    assert hits[0].source_url == "https://www.reuters.com/world/sanctioned-tanker-seized"
    assert hits[0].published is not None and hits[0].published.isoformat() == "2026-11-11"


def test_a_chat_only_finds_what_it_sent(fixture_index: tuple[Index, dict[str, str]]) -> None:
    index, names = fixture_index
    assert found(index, names, EN, "Airbus deliveries") == ["en24"]
    assert found(index, names, RU, "Airbus deliveries") == []
    query = parse_query("Airbus deliveries", today=TODAY)
    assert passages_now(index, RU, query) == []
    assert passages_now(index, RU, query, article_hash=content_hash("en24")) == []


def test_filters_narrow_the_hits(fixture_index: tuple[Index, dict[str, str]]) -> None:
    index, names = fixture_index
    kim = found(index, names, EN, "actor:kim")  # Kim Jong Un and Kim Ju Ae, newest first
    assert kim == ["en60", "en41", "en03", "en02", "en01"]
    assert set(found(index, names, EN, "Merz")) == {"en43", "de03"}
    assert found(index, names, EN, "Merz lang:de") == ["de03"]
    assert found(index, names, EN, "Merz lang:en") == ["en43"]
    assert set(found(index, names, RU, "санкции source:@tass_agency")) == {
        "ru07",
        "ru18",
        "ru42",
        "ru50",
    }
    assert set(found(index, names, EN, "Kim source:apnews.com")) == {"en02"}
    window = found(index, names, EN, "Kim since:2026-11-03 until:2026-11-30")
    assert set(window) == {"en02", "en03", "en41"}  # not en01 (11-02) nor en60 (12-03)


def test_a_phrase_needs_its_words_together(fixture_index: tuple[Index, dict[str, str]]) -> None:
    index, names = fixture_index
    assert set(found(index, names, EN, '"shadow fleet"')) == {"en04", "en06"}
    assert found(index, names, EN, '"fleet shadow"') == []


def test_passages_answer_a_question_from_the_best_paragraph(
    fixture_index: tuple[Index, dict[str, str]],
) -> None:
    index, names = fixture_index
    question = parse_query("How much grain did Ukraine export in October?", today=TODAY)
    best = passages_now(index, EN, question, limit=3)
    assert names[best[0].article_hash] == "en21"
    assert "4.1 million tonnes" in best[0].text
    one = passages_now(index, EN, question, article_hash=content_hash("en24"))
    assert [names[p.article_hash] for p in one] == ["en24"]  # that article's, even unmatched


def _send(index: Index, a: dict[str, object], chat: int) -> None:
    h = content_hash(str(a["id"]))
    index.record_chat_article(
        chat, h, message_id=1, received_at=datetime.now(UTC), title=None, source=None
    )


def test_a_rebriefing_replaces_the_indexed_briefing(index: Index) -> None:
    article = next(a for a in articles() if a["id"] == "ru12")
    index.index_briefing(briefing_of(article))
    _send(index, article, RU)
    names = {content_hash("ru12"): "ru12"}
    assert found(index, names, RU, "урожай") == ["ru12"]
    english = briefing_of({**article, "title": "Russian harvest forecast"}, language="en")
    english.briefing.headline = "Russia expects a bumper harvest"  # re-briefed in English
    index.index_briefing(english)
    assert found(index, names, RU, "bumper harvest") == ["ru12"]
    assert index.connection.execute("SELECT COUNT(*) FROM search_fts").fetchone()[0] == 1


def test_a_migrated_chat_keeps_its_archive(index: Index) -> None:
    article = next(a for a in articles() if a["id"] == "en24")
    index.texts.put(content_hash("en24"), str(article["text"]))
    index.index_briefing(briefing_of(article))
    _send(index, article, EN)
    names = {content_hash("en24"): "en24"}
    index.migrate_chat(EN, -100777)
    assert found(index, names, -100777, "Airbus") == ["en24"]
    assert found(index, names, EN, "Airbus") == []


def test_a_text_saved_after_its_briefing_is_added_when_it_arrives(index: Index) -> None:
    article = next(a for a in articles() if a["id"] == "en24")
    index.index_briefing(briefing_of(article))  # the text is still on its way to disk
    _send(index, article, EN)
    names = {content_hash("en24"): "en24"}
    assert found(index, names, EN, "A320neo engine shortages") == []
    index.texts.put(content_hash("en24"), str(article["text"]))
    assert found(index, names, EN, "A320neo engine shortages") == ["en24"]


def test_a_broad_query_is_ranked_among_its_newest_matches(
    fixture_index: tuple[Index, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, names = fixture_index
    everything = found(index, names, EN, "said")
    monkeypatch.setattr("bot.search.retrieve.MANY", 3)
    hits, total = search_now(index, EN, parse_query("said", today=TODAY), limit=10)
    assert total == 3 and len(hits) == 3
    ids = dict(index.connection.execute("SELECT article_hash, id FROM search_docs").fetchall())
    newest = sorted((ids[h] for h in names if names[h] in everything), reverse=True)[:3]
    assert sorted(ids[h.article_hash] for h in hits) == sorted(newest)
