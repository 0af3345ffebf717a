"""Publication dates from wire datelines and the lead's date statements."""

from __future__ import annotations

from datetime import date

import pytest

from bot.articles.dates import dateline_date, resolve_weekday

SAT = date(2026, 12, 5)  # a Saturday; 2026-12-02 is the Wednesday before it
MON = date(2026, 12, 7)
LATER_PARAGRAPHS = "\n\n" + "The talks are expected to continue next month, officials said. " * 8

CASES = [
    # Wire datelines, each agency's convention.
    ("SEOUL, Dec 4 (Reuters) - North Korea said it rejected the report.", SAT, date(2026, 12, 4)),
    (
        "SEOUL, Dec. 4 (Yonhap) -- South Korea's spy agency said on Thursday ...",
        SAT,
        date(2026, 12, 4),
    ),
    (
        "MOSCOW, December 4. /TASS/. Russia and North Korea will expand cooperation.",
        SAT,
        date(2026, 12, 4),
    ),
    ("МОСКВА, 4 декабря. /ТАСС/. Россия и КНДР расширят сотрудничество.", SAT, date(2026, 12, 4)),
    ("МОСКВА, 3 дек — РИА Новости. Песков заявил журналистам, что ...", SAT, date(2026, 12, 3)),
    (
        "BERLIN, 4. Dezember (dpa) - Die Bundesregierung will die Hilfe ausweiten.",
        SAT,
        date(2026, 12, 4),
    ),
    ("BERLIN, 2. Dez. (Reuters) - Bundeskanzler Merz hat am Montag ...", SAT, date(2026, 12, 2)),
    (
        "PARIS, 4 décembre (AFP) - Le gouvernement a présenté mercredi son budget.",
        SAT,
        date(2026, 12, 4),
    ),
    ("PARIS, 1er déc (AFP) - Le président a reçu lundi son homologue.", SAT, date(2026, 12, 1)),
    (
        "Pyongyang, December 4 (KCNA) -- Kim Jong Un inspected a munitions factory.",
        SAT,
        date(2026, 12, 4),
    ),
    ("BEIJING, Nov. 28 (Xinhua) -- China on Friday urged restraint.", SAT, date(2026, 11, 28)),
    ("MOSCOW. Dec 3 (Interfax) - The Kremlin said on Wednesday ...", SAT, date(2026, 12, 3)),
    ("LONDON, 4 December (Reuters) - Britain announced new sanctions.", SAT, date(2026, 12, 4)),
    ("KYIV, Ukraine, Dec. 2 (AP) — Russian drones struck the capital.", SAT, date(2026, 12, 2)),
    ("GENEVA, Dec 4, 2025 (Reuters) - Talks resumed.", SAT, date(2025, 12, 4)),
    # A headline line before the dateline.
    (
        "North Korea rejects report\n\nSEOUL, Dec 4 (Reuters) - North Korea on Monday rejected ...",
        SAT,
        date(2026, 12, 4),
    ),
    # The year is inferred so the date is not after the day it was received.
    (
        "SEOUL, Dec 30 (Reuters) - North Korea fired a missile.",
        date(2027, 1, 2),
        date(2026, 12, 30),
    ),
    ("TOKYO, Jan 2 (Reuters) - Japan protested.", date(2027, 1, 2), date(2027, 1, 2)),
    # A day ahead is a dateline in an earlier time zone, not last year.
    ("SEOUL, Dec 8 (Yonhap) -- Seoul said ...", MON, date(2026, 12, 8)),
    ("SEOUL, Dec 10 (Yonhap) -- Seoul said ...", MON, date(2025, 12, 10)),
    # A bare weekday in the lead: the latest such day on or before the day received.
    (
        "WASHINGTON (AP) — The Senate on Wednesday passed a bill to fund the government.",
        SAT,
        date(2026, 12, 2),
    ),
    ("WASHINGTON (AP) — The Senate on Monday passed the bill.", MON, date(2026, 12, 7)),
    (
        "KYIV, Ukraine (AP) — Russia launched a wave of drones on Tuesday, officials said.",
        MON,
        date(2026, 12, 1),
    ),
    (
        "Berlin (dpa) - Die Bundesregierung hat am Mittwoch neue Hilfen beschlossen.",
        SAT,
        date(2026, 12, 2),
    ),
    (
        "Le gouvernement a annoncé jeudi un nouveau plan d'aide aux agriculteurs.",
        SAT,
        date(2026, 12, 3),
    ),
    (
        "МОСКВА, /ТАСС/. Президент России в среду провел совещание с правительством.",
        SAT,
        date(2026, 12, 2),
    ),
    # Every past day the lead names happened by the time it was written: the latest counts.
    (
        "On Wednesday, North Korean leader Kim Jong Un met Sergei Shoigu and, according to state media KCNA's report on Thursday, pledged support.",
        SAT,
        date(2026, 12, 3),
    ),
    # A day in a clause about the future is not the day of the news.
    (
        "The Senate on Wednesday passed the bill, and the House will vote on Friday.",
        SAT,
        date(2026, 12, 2),
    ),
    (
        "Der Bundestag hat am Dienstag beraten und wird am Freitag abstimmen.",
        SAT,
        date(2026, 12, 1),
    ),
    # A dated statement in the lead.
    (
        "The European Commission on Dec. 3 proposed a new package of sanctions on Russia.",
        SAT,
        date(2026, 12, 3),
    ),
    # The dateline wins over the lead's weekday, which dates the event.
    (
        "SEOUL, Dec 4 (Reuters) - North Korea on Monday rejected a recent report.",
        SAT,
        date(2026, 12, 4),
    ),
    # "next Monday" is not the day of the news.
    ("The minister will travel to Beijing next Monday for talks on trade.", SAT, None),
    # Nothing to go by, an impossible date, a weekday only deep in the text.
    ("North Korea's leader said talks should continue.", SAT, None),
    ("SEOUL, Feb 30 (Reuters) - A date that never was.", SAT, None),
    (
        "Officials said talks should continue." + LATER_PARAGRAPHS + "\n\nOn Wednesday they met.",
        SAT,
        None,
    ),
    ("", SAT, None),
]


@pytest.mark.parametrize(("text", "received", "expected"), CASES)
def test_dateline_date(text: str, received: date, expected: date | None) -> None:
    assert dateline_date(text, received=received) == expected


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize(
    ("word", "published", "expected"),
    [
        ("Wednesday", date(2026, 12, 3), date(2026, 12, 2)),
        ("wednesday", date(2026, 12, 2), date(2026, 12, 2)),
        ("Thursday", date(2026, 12, 2), date(2026, 11, 26)),
        ("среду", date(2026, 12, 3), date(2026, 12, 2)),
        ("в понедельник", date(2026, 12, 3), date(2026, 11, 30)),
        ("Mittwoch", date(2026, 12, 3), date(2026, 12, 2)),
        ("am Sonntag", date(2026, 12, 7), date(2026, 12, 6)),
        ("mercredi", date(2026, 12, 3), date(2026, 12, 2)),
        ("on Friday", date(2026, 12, 7), date(2026, 12, 4)),
        ("Blursday", date(2026, 12, 3), None),
        ("", date(2026, 12, 3), None),
    ],
)
def test_resolve_weekday(word: str, published: date, expected: date | None) -> None:
    assert resolve_weekday(word, published) == expected
