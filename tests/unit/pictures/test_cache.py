"""A picture is rendered once per data shown (and renderer version), then read from disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.pictures import cache as cache_module
from bot.pictures.cache import PictureCache, picture_key
from tests.unit.pictures.rows import sample_timeline


def test_the_key_follows_the_data_and_the_renderer_version(monkeypatch) -> None:
    data = sample_timeline()
    key = picture_key("timeline", data)
    assert picture_key("timeline", replace(data)) == key
    assert picture_key("timeline", replace(data, left_out=4)) != key
    assert picture_key("map", data) != key
    monkeypatch.setattr(cache_module, "RENDERER_VERSION", "next")
    assert picture_key("timeline", data) != key


async def test_a_cached_picture_is_not_rendered_again(tmp_path: Path) -> None:
    calls: list[object] = []

    def render(data: object) -> bytes:
        calls.append(data)
        return b"png"

    pictures = PictureCache(tmp_path / "pictures")
    data = sample_timeline()
    assert await pictures.picture("timeline", data, render) == b"png"
    assert await pictures.picture("timeline", data, render) == b"png"
    assert len(calls) == 1
    assert [p.suffix for p in (tmp_path / "pictures").iterdir()] == [".png"]


def test_an_unwritable_cache_still_returns_the_picture(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    pictures = PictureCache(blocker / "pictures")
    assert pictures.get_or_render("map", sample_timeline(), lambda _d: b"png") == b"png"


async def test_the_running_bot_renders_in_a_child_process(tmp_path: Path) -> None:
    from bot.pictures.render import _render_timeline, warm_up
    from bot.pictures.timeline_plot import render_timeline

    pictures = PictureCache(tmp_path / "pictures")
    pictures.use_process(warm_up)  # started and warmed up before the first picture
    try:
        png = await pictures.picture("timeline", sample_timeline(), _render_timeline)
    finally:
        pictures.close()
    assert png == render_timeline(sample_timeline())  # the same picture as in this process
    assert len(list((tmp_path / "pictures").glob("*.png"))) == 1


def test_only_the_newest_pictures_are_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_FILES", 3)
    pictures = PictureCache(tmp_path)
    for i in range(5):
        pictures.get_or_render("map", replace(sample_timeline(), left_out=i), lambda _d: b"png")
    assert len(list(tmp_path.glob("*.png"))) == 3


async def test_a_render_that_takes_too_long_is_given_up(tmp_path: Path, monkeypatch) -> None:
    import asyncio
    import threading

    import pytest

    release = threading.Event()
    monkeypatch.setattr(cache_module, "RENDER_TIMEOUT_S", 0.05)

    def stuck(_data: object) -> bytes:
        release.wait(5)
        return b"png"

    with pytest.raises(TimeoutError):
        await PictureCache(tmp_path).picture("map", sample_timeline(), stuck)
    release.set()
    await asyncio.sleep(0)
