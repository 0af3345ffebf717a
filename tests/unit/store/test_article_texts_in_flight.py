"""An article's text reads back while its write is still on the way to disk."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.store import briefing_cache
from bot.store.briefing_cache import ArticleTexts


async def test_a_text_being_written_is_read_back_and_then_comes_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_write = briefing_cache.atomic_write

    def slow_write(path: Path, data: str, *, durable: bool = True) -> None:
        release.wait(timeout=10)  # the fsync of a busy disk, held until the test lets it go
        real_write(path, data, durable=durable)

    monkeypatch.setattr(briefing_cache, "atomic_write", slow_write)
    texts = ArticleTexts(tmp_path)
    writing = texts.put_soon("ab" * 32, "SEOUL (Reuters) - ...")
    await asyncio.sleep(0)  # the write has started, and waits
    assert not texts.path("ab" * 32).exists()
    assert texts.get("ab" * 32) == "SEOUL (Reuters) - ..."  # a /ask right after the reply
    release.set()
    await writing
    assert texts.path("ab" * 32).read_text(encoding="utf-8") == "SEOUL (Reuters) - ..."
    assert texts.get("ab" * 32) == "SEOUL (Reuters) - ..."
    assert texts._in_flight == {}  # nothing held once it is on disk
