"""/map's arguments: a period and issue words, in any order."""

from __future__ import annotations

import pytest

from bot.telegram.maps import DEFAULT_DAYS, MAX_DAYS, parse_map_args


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (DEFAULT_DAYS, "")),
        (["7d"], (7, "")),
        (["sanctions"], (DEFAULT_DAYS, "sanctions")),
        (["oil", "90d", "sanctions"], (90, "oil sanctions")),
        (["14days"], (14, "")),
        (["0d"], (1, "")),
        (["999d"], (MAX_DAYS, "")),
    ],
)
def test_period_and_issue_words(args: list[str], expected: tuple[int, str]) -> None:
    assert parse_map_args(args) == expected
