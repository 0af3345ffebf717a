"""The data directory's stores over the blobs table behave as they do over files, on both engines.

Cached answers (JsonStore), article texts, the fetch cache and the picture cache, each given
the index's Blobs instead of a folder: what the bot builds when the index is on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.ask.models import AnswerCache
from bot.digest.models import DigestCache
from bot.pictures import cache as picture_module
from bot.pictures.cache import PictureCache, picture_key
from bot.sources.fetch_cache import FetchCache, FetchedPage, prune_fetched
from bot.store.blobs import Blobs
from bot.store.briefing_cache import ArticleTexts, BriefingCache
from tests.harness import FakeClock
from tests.unit.pictures.rows import sample_timeline
from tests.who_kit import person, said, stored

TEXT = "SEOUL (Reuters) — 北 미사일 발사; « Pyongyang a tiré » 🚀\n"


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "index.sqlite3" not in p.name]


def test_a_briefing_round_trips_as_the_file_would_hold_it(blobs: Blobs, tmp_path: Path) -> None:
    made = stored("h1", person("Kim Yo-jong", said("« Nous sommes prêts » — 준비됐다")))
    on_table, on_disk = BriefingCache(blobs), BriefingCache(tmp_path / "data")
    on_table.put(made.key, made)
    on_disk.put(made.key, made)
    assert on_table.get(made.key) == made
    assert blobs.get("briefings", made.key) == on_disk.path(made.key).read_bytes()
    assert on_table.get("absent") is None
    again = made.model_copy(update={"model": "another"})
    on_table.put(made.key, again)
    assert on_table.get(made.key) == again
    assert _files(tmp_path) == _files(tmp_path / "data")  # the table store wrote no file


@pytest.mark.parametrize("body", [b"{not json", b"", b'{"key": "k"}', "é".encode("latin-1")])
def test_a_corrupt_entry_is_a_miss_with_a_warning(
    blobs: Blobs, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    blobs.put("briefings", "k", body)
    with caplog.at_level(logging.WARNING):
        assert BriefingCache(blobs).get("k") is None
    assert "unreadable, treating as a miss" in caplog.text


def test_an_unreachable_table_is_a_miss_for_reads_and_an_os_error_for_writes(
    blobs: Blobs, caplog: pytest.LogCaptureFixture
) -> None:
    blobs._run("DROP TABLE blobs", ())
    cache = AnswerCache(blobs)
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None  # as an unreadable file: the answer is made again
    made = stored("h1")
    with pytest.raises(OSError):  # as a full disk: the caller's handling holds
        BriefingCache(blobs).put(made.key, made)


def test_each_cache_is_its_own_kind(blobs: Blobs) -> None:
    made = stored("h1")
    BriefingCache(blobs).put("k", made)
    assert AnswerCache(blobs).get("k") is None and DigestCache(blobs).get("k") is None
    assert set(blobs.sizes()) == {"briefings"}


def test_a_table_store_has_no_paths(blobs: Blobs) -> None:
    with pytest.raises(TypeError, match="blobs table"):
        BriefingCache(blobs).path("k")
    with pytest.raises(TypeError, match="blobs table"):
        ArticleTexts(blobs).path("h")


def test_a_text_is_kept_once_and_read_back_exactly(blobs: Blobs) -> None:
    texts = ArticleTexts(blobs)
    assert texts.get("ab" * 32) is None
    texts.put("ab" * 32, TEXT)
    texts.put("ab" * 32, "another text under the same hash")  # content-addressed: kept
    assert texts.get("ab" * 32) == TEXT
    assert blobs.get("articles", "ab" * 32) == TEXT.encode()
    blobs.put("articles", "cd" * 32, b"\xff\xfe not utf-8")
    assert texts.get("cd" * 32) is None  # as an undecodable file


async def test_a_text_being_saved_is_read_back_and_then_comes_from_the_table(
    blobs: Blobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_add = Blobs.add

    def slow_add(self: Blobs, kind: str, key: str, body: bytes) -> bool:
        release.wait(timeout=10)  # a slow commit, held until the test lets it go
        return real_add(self, kind, key, body)

    monkeypatch.setattr(Blobs, "add", slow_add)
    texts = ArticleTexts(blobs)
    writing = texts.put_soon("ab" * 32, TEXT)
    await asyncio.sleep(0)  # the write has started, and waits
    assert blobs.get("articles", "ab" * 32) is None
    assert texts.get("ab" * 32) == TEXT  # a /ask right after the reply
    release.set()
    assert await texts.saved("ab" * 32, TEXT)  # waits for this same write
    assert writing.done()
    assert blobs.get("articles", "ab" * 32) == TEXT.encode()
    assert texts._in_flight == {}  # nothing held once it is committed
    assert texts.get("ab" * 32) == TEXT


async def test_a_text_that_cannot_be_saved_says_so(blobs: Blobs) -> None:
    blobs._run("DROP TABLE blobs", ())
    texts = ArticleTexts(blobs)
    assert await texts.saved("ab" * 32, TEXT) is False  # the job keeps the text, as on disk
    assert texts._in_flight == {}


def test_the_fetch_cache_keeps_pages_fresh_for_its_window(blobs: Blobs, clock: FakeClock) -> None:
    cache = FetchCache(blobs, fresh_hours=24, clock=clock)
    page = FetchedPage(url="https://news.test/a", fetched_at=clock.now, text=TEXT, title="T")
    cache.put(page, "https://news.test/a?utm_source=x", "https://www.news.test/a/")
    assert cache.get("http://news.test/a") == page  # any URL that led there
    assert cache.get("https://news.test/b") is None
    clock.advance(hours=25)
    assert cache.get("https://news.test/a") is None  # stale: fetched again


def test_old_fetched_pages_are_pruned_by_when_they_were_written(
    blobs: Blobs, clock: FakeClock
) -> None:
    cache = FetchCache(blobs, fresh_hours=24, clock=clock)
    old = FetchedPage(url="https://news.test/old", fetched_at=clock.now, text="x")
    cache.put(old, old.url)
    BriefingCache(blobs).put("kept", stored("h1"))  # briefings are never pruned
    clock.advance(hours=25)
    new = FetchedPage(url="https://news.test/new", fetched_at=clock.now, text="y")
    cache.put(new, new.url)
    day_ago = (clock.now - timedelta(hours=24)).timestamp()
    assert prune_fetched(blobs, day_ago) == 1
    assert cache.prune(day_ago) == 0
    assert blobs.get("fetched", FetchCache.key(new.url)) is not None
    assert blobs.get("fetched", FetchCache.key(old.url)) is None
    assert BriefingCache(blobs).get("kept") is not None


async def test_a_picture_is_rendered_once_then_read_from_the_table(blobs: Blobs) -> None:
    calls: list[object] = []

    def render(data: object) -> bytes:
        calls.append(data)
        return b"\x89PNG\r\n\x1a\n\x00" + bytes(range(256))

    pictures = PictureCache(blobs.shelf("pictures"))
    first = await pictures.picture("timeline", sample_timeline(), render)
    assert await pictures.picture("timeline", sample_timeline(), render) == first
    assert len(calls) == 1
    assert blobs.get("pictures", picture_key("timeline", sample_timeline())) == first


def test_only_the_newest_pictures_are_kept_in_the_table(
    blobs: Blobs, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(picture_module, "MAX_FILES", 3)
    pictures = PictureCache(blobs.shelf("pictures"))
    for i in range(5):
        clock.advance(seconds=1)
        pictures.get_or_render("map", replace(sample_timeline(), left_out=i), lambda _d: b"png")
    assert blobs.sizes() == {"pictures": 3 * len(b"png")}
    newest = picture_key("map", replace(sample_timeline(), left_out=4))
    assert blobs.get("pictures", newest) == b"png"


def test_a_failing_table_still_returns_the_picture(blobs: Blobs) -> None:
    blobs._run("DROP TABLE blobs", ())
    pictures = PictureCache(blobs.shelf("pictures"))
    assert pictures.get_or_render("map", sample_timeline(), lambda _d: b"png") == b"png"
