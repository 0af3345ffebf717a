"""Fixtures the store's tests share: a populated deployment to migrate, blobs on each engine."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.blobs import Blobs
from bot.store.index import Index
from tests import migrate_kit
from tests.blobs_kit import ENGINES, a_clock, open_blobs
from tests.harness import FakeClock


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, migrate_kit.Made]:
    """A data directory with a row in every table (copied per test: migrate opens it)."""
    data = tmp_path_factory.mktemp("deployment")
    index = Index(data / "index.sqlite3")
    try:
        made = migrate_kit.populate(index)
    finally:
        index.close()
    return data, made


@pytest.fixture
def source(deployment: tuple[Path, migrate_kit.Made], tmp_path: Path) -> Path:
    return Path(shutil.copytree(deployment[0], tmp_path / "source"))


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


@pytest.fixture(params=ENGINES)
def blobs(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Blobs]:
    made = open_blobs(request.param, tmp_path, request, clock)
    yield made
    made.close()
