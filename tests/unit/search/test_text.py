"""Folding, tokenising and stemming as the archive indexes words."""

from __future__ import annotations

import pytest

from bot.search.text import detect_language, fold, index_text, variants, words


def test_fold_drops_case_and_diacritics_but_keeps_cyrillic_letters() -> None:
    assert fold("Kím Jöng Ün, Café, Straße") == "kim jong un, cafe, strasse"
    assert fold("Ёлка и йод") == "елка и йод"  # ё → е; й is a letter of its own


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", ["sanction", "sanctions", "sanctioned", "sanctioning"]),
        ("ru", ["налог", "налогов", "налогами", "налога"]),
        ("ru", ["санкции", "санкций", "санкциями"]),
        ("de", ["Steuer", "Steuern"]),
        ("de", ["Sanktion", "Sanktionen"]),
        ("fr", ["sanction", "sanctions"]),
        ("es", ["impuesto", "impuestos"]),
        ("it", ["sanzione", "sanzioni"]),
        ("pt", ["imposto", "impostos"]),
    ],
)
def test_word_forms_share_one_stem(language: str, forms: list[str]) -> None:
    assert len(set(index_text(" ".join(forms), language).split())) == 1


def test_a_query_word_matches_the_stem_of_any_language() -> None:
    german = index_text("Sanktionen", "de")
    english = index_text("sanctioned", "en")
    assert german in variants("Sanktionen")
    assert english in variants("sanctions")
    assert variants("налогами") == [index_text("налогов", "ru")]


def test_cyrillic_words_in_a_latin_text_are_stemmed_as_russian() -> None:
    assert index_text("Reuters quoted «налогами»", "en").split()[-1] == "налог"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The government said on Monday that the tax would rise.", "en"),
        ("Der Bundestag hat am Donnerstag die Steuer für Restaurants gesenkt.", "de"),
        ("Le gouvernement a annoncé que les impôts sont en hausse pour les ménages.", "fr"),
        ("Правительство предложило повысить налог на добавленную стоимость.", "ru"),
        ("Уряд України ухвалив рішення про підвищення податків.", "uk"),
        ("12345 67890", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(words(text)) == language
