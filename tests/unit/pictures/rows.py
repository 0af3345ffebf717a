"""Light stance rows (as /who reads them) and picture data for the pictures' unit tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.pictures.stance_map import Cell, StanceMap
from bot.pictures.timeline import Mark, Timeline
from bot.store.who_rows import LightRow

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def row(
    article: str,
    issue: str,
    polarity: str,
    *,
    day: int,
    actor: str = "Kaja Kallas",
    verified: bool = True,
    provenance: str | None = "direct",
    dated_from: str | None = "dateline",
    late: timedelta = timedelta(0),
) -> LightRow:
    """Return one stance row published `day` days (and `late` more) after START."""
    at = (START + timedelta(days=day) + late).isoformat()
    return (article, 0, actor, "person", "", issue, polarity, int(verified), at, at,
            dated_from, issue, provenance)  # fmt: skip


def newest_first(rows: list[LightRow]) -> list[LightRow]:
    """Order rows as /who reads them."""
    return sorted(rows, key=lambda r: (r[9], r[0]), reverse=True)


POLARITIES = ("supports", "opposes", "mixed", "neutral")


def sample_timeline() -> Timeline:
    """Return a fixed timeline: three issues, twelve marks, two shifts, a non-Latin name."""
    issues = ("sanctions on Russian oil exports", "talks with the United States",
              "the nuclear programme and its inspections by the IAEA")  # fmt: skip
    marks = tuple(
        Mark(i + 1, i % 3, date(2026, 1 + i // 3, 1 + (i * 7) % 27), POLARITIES[i % 4],
             ("Reuters", "TASS", "Le Monde")[i % 3])
        for i in range(12)
    )  # fmt: skip
    return Timeline("Κυριάκος Μητσοτάκης", issues, marks, ((1, 4), (2, 5)), 3)


def sample_map() -> StanceMap:
    """Return a fixed map: six actors (Cyrillic, Greek, CJK among them) by five issues."""
    actors = ("Vladimir Putin", "Владимир Зеленский", "Emmanuel Macron",
              "Ursula von der Leyen, President of the European Commission", "习近平",
              "Κυριάκος Μητσοτάκης")  # fmt: skip
    issues = ("sanctions on Russian oil", "ceasefire in Ukraine", "military aid to Kyiv",
              "EU membership for Ukraine", "tariffs on Chinese electric vehicles")  # fmt: skip
    cells = tuple(
        tuple(
            None if (i + j) % 4 == 3
            else Cell(POLARITIES[(i * j + i) % 4], (i + 2 * j) % 5, 5, (i + j) % 5 == 1)
            for i in range(5)
        )
        for j in range(6)
    )  # fmt: skip
    return StanceMap(30, "", actors, issues, cells)
