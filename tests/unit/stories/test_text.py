"""Text features: name keys across scripts, numbers written one way, MinHash estimates."""

from __future__ import annotations

import pytest

from bot.stories.text import name_key, names, numbers, shingles, signature, similarity


@pytest.mark.parametrize(
    "spellings",
    [
        ("Путин", "Путина", "Putin", "Poutine"),
        ("Лавров", "Lavrov", "Lawrow"),
        ("Зеленский", "Zelenskiy", "Zelenskyy", "Selenskyj"),
        ("Мерц", "Merz"),
        ("Макрон", "Macron"),
        ("Пашинян", "Pashinyan"),
        ("Тбилиси", "Tbilisi", "Tbilissi"),
    ],
)
def test_a_name_has_one_key_in_every_script_and_language(spellings: tuple[str, ...]) -> None:
    assert len({name_key(s) for s in spellings}) == 1


def test_different_names_keep_different_keys() -> None:
    assert len({name_key(s) for s in ("Putin", "Peskov", "Lavrov", "Lagarde", "Powell")}) == 5


def test_names_skip_the_word_that_opens_a_sentence() -> None:
    found = names("Officials met. Kremlin spokesman Dmitry Peskov said so.")
    assert name_key("Peskov") in found
    assert name_key("Officials") not in found
    assert name_key("Kremlin") not in found  # opens the second sentence


def test_numbers_are_written_one_way_across_languages() -> None:
    assert numbers("3,000 troops") == {"3000"}
    assert numbers("15,5% годовых") == {"15.5"}
    assert numbers("2,0 Prozent") == {"2"}
    assert numbers("35,3 %") == numbers("35.3%") == {"35.3"}
    assert numbers("14 000 soldats") == {"14000"}
    assert numbers("on Nov 4 2026") == {"4", "2026"}


def test_minhash_estimates_jaccard_of_a_republished_copy_and_of_other_text() -> None:
    text = (
        "The Federal Reserve held interest rates steady on Wednesday, keeping its benchmark "
        "overnight rate in the 3.50%-3.75% range, and signaled it was in no hurry to resume "
        "cutting borrowing costs, Fed Chair Jerome Powell told reporters after the meeting."
    )
    copy = "By The Associated Press\n\n" + text.replace("on Wednesday", "Wednesday")
    other = "Measles cases in a West Texas outbreak have risen to 120, officials said on Friday."
    a, b, c = (signature(shingles(t)) for t in (text, copy, other))
    assert similarity(a, b) > 0.6
    assert similarity(a, c) < 0.1
    assert signature(shingles(text)) == a  # stable: signatures are stored across restarts
